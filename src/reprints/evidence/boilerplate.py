"""Boilerplate learned from the corpus: text that recurs across documents that otherwise differ.

Navigation bars, cookie notices, copyright footers and the "latest news" teasers of the day recur
on many pages. A shingle is *boilerplate in a document* when it occurs in far more documents than
that document's own text does:

    df(shingle) >= max(min_df, ratio * base_df(doc))

where ``base_df(doc)`` is a low quantile (default 10%) of the document frequencies of the
document's shingles: the frequency of its own text. A reprinted article's text recurs about as
often as its copies; a teaser recurs on every page of the day. A document whose every shingle
recurs (a teaser page copied whole) keeps its text as content.

Document frequencies are known exactly for the sampled shingles (1 in ``sample_rate``, counted
by the containment index over every document). A shingle between two sampled ones gets the lower
of their two frequencies: recurring passages are runs of consecutive shingles, so a run shared by
many pages is boilerplate throughout, and its edges stay content.

The same passage can be boilerplate in one page and content in another: the lead of an article is
a teaser on other pages but the start of the article in its copies. :func:`anchor_content` puts
such passages back into a document's content when a document strongly linked to it by content
also holds them.
"""

from __future__ import annotations

import numpy as np

from reprints.index.postings import SampleFrequencies
from reprints.sketch.shingles import sample_keys, sample_mask


def interpolate_frequencies(sampled: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Frequency of every shingle position (document order) from those of the sampled positions:
    the lower of the nearest sampled frequency before and after (or the only one there is).

    >>> sampled = np.array([True, False, False, True, False])
    >>> interpolate_frequencies(sampled, np.array([30, 0, 0, 2, 0])).tolist()
    [30, 2, 2, 2, 2]
    """
    n = len(sampled)
    if n == 0 or not sampled.any():
        return np.ones(n, dtype=np.int64)
    index = np.arange(n)
    before = np.maximum.accumulate(np.where(sampled, index, -1))
    after = np.minimum.accumulate(np.where(sampled, index, n)[::-1])[::-1]
    left = np.where(before >= 0, df[np.maximum(before, 0)], np.iinfo(np.int64).max)
    right = np.where(after < n, df[np.minimum(after, n - 1)], np.iinfo(np.int64).max)
    return np.minimum(left, right).astype(np.int64)


def document_content(
    shingles: np.ndarray,
    frequencies: SampleFrequencies,
    rate: int,
    min_df: int,
    ratio: float,
    quantile: float,
    min_content_share: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """One document's sorted unique shingles and, for each, whether it is content.

    ``shingles`` are in document order; a shingle occurring several times is content if any of
    its occurrences is.
    """
    if len(shingles) == 0:
        return shingles, np.ones(0, dtype=bool)
    sampled = sample_mask(shingles, rate)
    df = np.zeros(len(shingles), dtype=np.int64)
    df[sampled] = frequencies.lookup(sample_keys(shingles[sampled]))
    estimate = interpolate_frequencies(sampled, df)
    keep = content_mask(
        np.array([0, len(shingles)]),
        estimate,
        min_df,
        ratio,
        quantile,
        min_content_share,
        base=df[sampled] if sampled.any() else None,
    )
    unique, inverse = np.unique(shingles, return_inverse=True)
    content = np.zeros(len(unique), dtype=bool)
    content[inverse.ravel()[keep]] = True
    return unique, content


def content_mask(
    offsets: np.ndarray,
    df: np.ndarray,
    min_df: int,
    ratio: float,
    quantile: float,
    min_content_share: float = 0.1,
    base: np.ndarray | None = None,
) -> np.ndarray:
    """True where a shingle position is the document's own content, False where boilerplate.

    ``base`` (for a single document) holds the frequencies its base level is taken from (its
    sampled shingles'); by default, all of its positions'.

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
        level = segment if base is None else base
        base_df = float(np.quantile(level, quantile)) if len(level) else 1.0
        keep = segment < max(min_df, ratio * base_df)
        if keep.sum() >= min_content_share * (hi - lo):
            mask[lo:hi] = keep
    return mask
