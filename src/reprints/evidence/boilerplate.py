"""Boilerplate learned from the corpus: text that recurs across documents that otherwise differ.

Navigation bars, cookie notices, copyright footers and the "latest news" teasers of the day recur
on many pages. A shingle is *boilerplate in a document* when it occurs in far more documents than
that document's own text does:

    df(shingle) >= max(min_df, ratio * base_df(doc))

where ``base_df(doc)`` is a low quantile (default 10%) of the document frequencies of the
document's shingles: the frequency of its own text. A reprinted article's text recurs about as
often as its copies; a teaser recurs on every page of the day. A document whose every shingle
recurs (a teaser page copied whole) keeps its text as content.

The same passage can be boilerplate in one page and content in another: the lead of an article is
a teaser on other pages but the start of the article in its copies. :func:`anchor_content` puts
such passages back into a document's content when a document strongly linked to it by content
also holds them.
"""

from __future__ import annotations

import numpy as np


def document_frequencies(offsets: np.ndarray, shingles: np.ndarray) -> np.ndarray:
    """Document frequency of each shingle position of a CSR table of unique-per-document sets.

    >>> document_frequencies(np.array([0, 2, 4]), np.array([1, 2, 2, 3], dtype=np.uint64)).tolist()
    [1, 2, 2, 1]
    """
    if len(shingles) == 0:
        return np.empty(0, dtype=np.int64)
    _values, inverse, counts = np.unique(shingles, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()].astype(np.int64)


def content_mask(
    offsets: np.ndarray,
    df: np.ndarray,
    min_df: int,
    ratio: float,
    quantile: float,
    min_content_share: float = 0.1,
) -> np.ndarray:
    """True where a shingle position is the document's own content, False where boilerplate.

    >>> offsets = np.array([0, 4])
    >>> content_mask(offsets, np.array([1, 1, 30, 30]), 5, 4.0, 0.1).tolist()
    [True, True, False, False]
    """
    mask = np.ones(len(df), dtype=bool)
    for i in range(len(offsets) - 1):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        if hi - lo == 0:
            continue
        segment = df[lo:hi]
        if segment.max() < min_df:
            continue
        base = float(np.quantile(segment, quantile))
        keep = segment < max(min_df, ratio * base)
        if keep.sum() >= min_content_share * (hi - lo):
            mask[lo:hi] = keep
    return mask
