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
by the containment index over every document, saturating at 255). A shingle between two sampled
ones gets the lower of their two frequencies: recurring passages are runs of consecutive
shingles, so a run shared by many pages is boilerplate throughout, and its edges stay content.

The same passage can be boilerplate in one page and content in another: the lead of an article is
a teaser on other pages but the start of the article in its copies. :func:`anchor_content` puts
such passages back into a document's content when a document strongly linked to it by content
also holds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reprints.sketch.kernel import compiled_module
from reprints.sketch.shingles import sample_keys, sample_mask

KEY_MASK = np.uint64((1 << 47) - 1)


def _compiled() -> Any:
    return compiled_module("evidence._compiled")


def block_content(
    shingles: np.ndarray,
    offsets: np.ndarray,
    sample_offsets: np.ndarray,
    samples: np.ndarray,
    sample_df: np.ndarray,
    rate: int,
    min_df: int,
    ratio: float,
    quantile: float,
    min_content_share: float = 0.1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted unique shingle keys and content flags of a block of documents, all at once.

    ``shingles[offsets[i]:offsets[i+1]]`` are document ``i``'s shingles in document order;
    ``samples[sample_offsets[i]:sample_offsets[i+1]]`` its sorted sampled keys and
    ``sample_df`` their document frequencies. Returns the CSR table ``(offsets, unique keys,
    content)``; a shingle occurring several times in a document is content if any of its
    occurrences is.

    Keys are the low 47 bits of the shingle hashes (two documents' unrelated shingles collide
    with probability ``|A| |B| / 2**47``: about one in a billion for two 500-word documents); a
    block holds at most 65,536 documents.

    >>> sh = np.array([8, 3, 8, 5], dtype=np.uint64)  # one document; 8 is sampled (rate 4)
    >>> o, u, c = block_content(sh, np.array([0, 4]), np.array([0, 1]),
    ...                         np.array([0], dtype=np.uint32), np.array([1], np.uint8),
    ...                         4, 5, 4.0, 0.1)
    >>> o.tolist(), u.tolist(), c.tolist()
    ([0, 3], [3, 5, 8], [True, True, True])
    """
    compiled = _compiled()
    if compiled is not None:
        return compiled.block_content(  # type: ignore[no-any-return]
            np.ascontiguousarray(shingles, dtype=np.uint64),
            np.asarray(offsets, dtype=np.int64),
            np.asarray(sample_offsets, dtype=np.int64),
            np.asarray(samples, dtype=np.uint32),
            np.asarray(sample_df, dtype=np.uint8),
            np.uint64(rate - 1),
            int(min_df),
            float(ratio),
            float(quantile),
            float(min_content_share),
        )
    return numpy_block_content(
        shingles,
        offsets,
        sample_offsets,
        samples,
        sample_df,
        rate,
        min_df,
        ratio,
        quantile,
        min_content_share,
    )


def numpy_block_content(
    shingles: np.ndarray,
    offsets: np.ndarray,
    sample_offsets: np.ndarray,
    samples: np.ndarray,
    sample_df: np.ndarray,
    rate: int,
    min_df: int,
    ratio: float,
    quantile: float,
    min_content_share: float = 0.1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`block_content` in numpy (where numba is missing); the same numbers."""
    m = len(shingles)
    nd = len(offsets) - 1
    sizes = np.diff(offsets)
    doc = np.repeat(np.arange(nd), sizes)
    sampled = sample_mask(shingles, rate)
    df = np.zeros(m, dtype=np.int64)
    table = (
        np.repeat(np.arange(nd, dtype=np.uint64), np.diff(sample_offsets)) << np.uint64(32)
    ) | samples.astype(np.uint64)
    query = (doc[sampled].astype(np.uint64) << np.uint64(32)) | sample_keys(shingles[sampled])
    found = np.minimum(np.searchsorted(table, query), max(len(table) - 1, 0))
    if len(table):
        df[sampled] = np.where(table[found] == query, sample_df[found], 1)
    else:
        df[sampled] = 1
    # frequency of every position: the lower of the nearest sampled ones in its document
    index = np.arange(m)
    first, stop = offsets[:-1][doc], offsets[1:][doc]
    before = np.maximum.accumulate(np.where(sampled, index, -1)) if m else index
    after = np.minimum.accumulate(np.where(sampled, index, m)[::-1])[::-1] if m else index
    big = np.iinfo(np.int64).max
    left = np.where(before >= first, df[np.clip(before, 0, max(m - 1, 0))], big)
    right = np.where(after < stop, df[np.clip(after, 0, max(m - 1, 0))], big)
    estimate = np.minimum(left, right)
    estimate[estimate == big] = 1
    # each document's own level: a low quantile of its sampled frequencies (numpy's "linear")
    s_doc, s_df = doc[sampled], df[sampled]
    order = np.lexsort((s_df, s_doc))
    values = s_df[order].astype(np.float64)
    counts = np.bincount(s_doc, minlength=nd)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    h = quantile * np.maximum(counts - 1, 0)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(counts - 1, 0))
    base = np.ones(nd, dtype=np.float64)
    if len(values):
        at_lo = values[np.minimum(starts + lo, len(values) - 1)]
        at_hi = values[np.minimum(starts + hi, len(values) - 1)]
        base = np.where(has, at_lo + (h - lo) * (at_hi - at_lo), 1.0)
    top = np.zeros(nd, dtype=np.int64)
    if len(s_df):
        np.maximum.at(top, s_doc, s_df)
    threshold = np.maximum(float(min_df), ratio * base)
    keep = estimate < threshold[doc]
    kept = np.bincount(doc, weights=keep, minlength=nd)
    apply = (top >= min_df) & (kept >= min_content_share * sizes)
    mask = np.where(apply[doc], keep, True)
    # sorted unique shingles per document: one sort of (document, 47-bit key, content bit)
    code = (
        (doc.astype(np.uint64) << np.uint64(48))
        | ((shingles & KEY_MASK) << np.uint64(1))
        | mask.astype(np.uint64)
    )
    code.sort()
    group = code >> np.uint64(1)
    last = np.ones(m, dtype=bool)
    if m > 1:
        last[:-1] = group[1:] != group[:-1]
    tails = np.flatnonzero(last)
    unique = group[tails] & KEY_MASK
    content = (code[tails] & np.uint64(1)).astype(bool)  # content if any occurrence is
    out_offsets = np.zeros(nd + 1, dtype=np.int64)
    np.cumsum(
        np.bincount((group[tails] >> np.uint64(47)).astype(np.int64), minlength=nd),
        out=out_offsets[1:],
    )
    return out_offsets, unique, content
