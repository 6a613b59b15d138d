"""Text evidence for the canonical choice: which document the others derive from.

Copies *add* (teasers, ads, comments, captions, local intros, a mirror's own template), *lose*
(truncation, dropped paragraphs) or *garble* (OCR, spinning) the text they copy. The original is
the document whose content the others hold, with the least added:

- ``score``: the sum of its content Jaccard with each document it joins at the level (its joined
  neighbours; nearly always the members of its cluster). Every copy derives from the original by
  adding and losing text, so the original is the member closest to all the others (the medoid of
  its cluster): a copy with comments is farther from a trimmed copy than the article both derive
  from is;
- ``tie``, where the score cannot tell (two members: the Jaccard is the same from both sides):
  ``held - own``, ``held`` the content shingles it shares with each document it joins (summed),
  ``own`` its content shared with none of them, what it adds to the common text; then its
  cleanliness (at most 1, weighed a half: it never outweighs one shingle). Page furniture
  discounted as boilerplate counts neither way, so a page's template (full navigation, or a
  two-line AMP header) never decides;
- ``part``: a document held almost whole (``containment_threshold``) by a document at least
  ``part_ratio`` times its content (a lead-only or paywalled copy, one page of a paginated
  article, an early snapshot) is a *part*. It never outranks a whole as the original unless its
  date is earlier, and it is never a cluster centre before its containers: a lead contained in an
  article and in an aggregator page cannot glue the two.

Two documents that each hold the other mostly (near duplicates) differ by what each adds: the one
adding less wins. A document holding another whole plus less than ``part_ratio`` times as much
again is read as the text with additions (comments, a rail, an intro), not as its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reprints.index.table import segment_sums


@dataclass(frozen=True, slots=True)
class TextEvidence:
    """Per-document canonical evidence of the documents a verifier measured."""

    docs: np.ndarray  # scan indices
    score: np.ndarray  # float64: summed Jaccard with the documents it joins
    tie: np.ndarray  # float64: held - own + cleanliness
    part: np.ndarray  # bool: held whole by a document part_ratio times its size


def canonical_evidence(
    offsets: np.ndarray,
    content: np.ndarray,
    reused: np.ndarray,
    cleanliness: np.ndarray,
    edges: np.ndarray,
    shared_content: np.ndarray,
    jaccard: np.ndarray,
    containment: float,
    part_ratio: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(score, tie, part)`` of each document of a CSR table (see the module docstring).

    ``reused`` marks the content positions shared with a joined document; ``edges`` are the
    joining pairs (local indices), ``shared_content`` and ``jaccard`` their measures.

    >>> # 0: an article (8 content shingles); 1: its copy with 4 shingles of comments added;
    >>> # 2: its first paragraph only (2 shingles)
    >>> offsets = np.array([0, 8, 20, 22])
    >>> content = np.ones(22, dtype=bool)
    >>> reused = np.array([True] * 8 + [True] * 8 + [False] * 4 + [True] * 2)
    >>> edges, shared = np.array([[0, 1], [0, 2], [1, 2]]), np.array([8, 2, 2])
    >>> jac = shared / np.array([12, 8, 12])
    >>> score, tie, part = canonical_evidence(offsets, content, reused, np.ones(3), edges, shared,
    ...                                       jac, 0.7, 2.0)
    >>> score.round(2).tolist(), tie.tolist(), part.tolist()
    ([0.92, 0.83, 0.42], [10.5, 6.5, 4.5], [False, False, True])
    """
    n = len(offsets) - 1
    content_n = segment_sums(offsets, content).astype(np.float64)
    own = content_n - segment_sums(offsets, reused)
    edges = edges.reshape(-1, 2)
    weights = shared_content.astype(np.float64)

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(edges[:, 0], values, minlength=n) + np.bincount(
            edges[:, 1], values, minlength=n
        )

    held = summed(weights)
    score = summed(np.asarray(jaccard, dtype=np.float64))
    tie = held - own + 0.5 * cleanliness  # under one shingle: it only breaks ties
    part = np.zeros(n, dtype=bool)
    for small, big in ((edges[:, 0], edges[:, 1]), (edges[:, 1], edges[:, 0])):
        size_small = np.maximum(content_n[small], 1.0)
        whole = weights / size_small >= containment
        part[small[whole & (content_n[big] >= part_ratio * size_small)]] = True
    return score, tie, part
