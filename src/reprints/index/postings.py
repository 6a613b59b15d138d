"""Containment candidates from an inverted index of sampled shingles.

A document contained in another shares most of its shingles with it, however little of the
container it is, so Jaccard-tuned LSH misses it. Every document keeps a consistent 1-in-``rate``
sample of its shingles (chosen by hash value, so shared shingles are sampled in both), as 32-bit
keys. Documents sharing at least ``min_shared`` sampled shingles, or a share of ``min_share`` of
the smaller sample, become candidates. A posting list longer than ``max_postings`` (a page
template, a widely copied text) contributes a star from its first document only, so no list
costs quadratic work; a pair linked only through such lists must share ``star_share`` of the
smaller document's samples (a copy, not two pages of one site).

The same sort gives each sample's document frequency, which the boilerplate model uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import numpy as np

from reprints.errors import CapacityError
from reprints.index.lsh import pairs_from_groups
from reprints.index.table import concat_release
from reprints.sketch.kernel import compiled_module


def _partitions(samples: np.ndarray, partition_size: int) -> Iterator[np.ndarray]:
    """Positions of the samples in each key range of about ``partition_size`` samples, in key
    order: a few coarse passes over all samples, then one radix split of each coarse range."""
    bits = 0
    while (len(samples) >> bits) > partition_size and bits < 12:
        bits += 1
    coarse = min(bits, 3)
    fine = bits - coarse
    for c in range(1 << coarse):
        if coarse:
            positions = np.flatnonzero((samples >> np.uint32(32 - coarse)) == c)
        else:
            positions = np.arange(len(samples), dtype=np.int64)
        if fine == 0:
            yield positions
            continue
        sub = (samples[positions] >> np.uint32(32 - bits)) & np.uint32((1 << fine) - 1)
        order = np.argsort(sub.astype(np.uint16), kind="stable")  # a radix sort
        bounds = np.concatenate(([0], np.cumsum(np.bincount(sub, minlength=1 << fine))))
        del sub
        for f in range(1 << fine):
            yield positions[order[bounds[f] : bounds[f + 1]]]


def containment_candidates(
    offsets: np.ndarray,
    samples: np.ndarray,
    max_postings: int = 64,
    min_shared: int = 2,
    min_share: float = 0.2,
    partition_size: int = 1 << 21,
    star_share: float = 0.5,
    include: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(i, j)``, ``i < j``, from shared sampled keys of a CSR sample table, and
    the document frequency of every sample (``uint8``, saturating at 255).

    The keys are processed in ranges of about ``partition_size`` samples, so the working memory
    stays bounded whatever the corpus size. ``include`` (a flag per document) leaves the other
    documents out of the index (their samples' frequencies stay 0).

    >>> offsets = np.array([0, 4, 10, 12])
    >>> keys = np.array([0, 4, 8, 12, 0, 4, 8, 12, 16, 20, 100, 104], dtype=np.uint32)
    >>> pairs, df = containment_candidates(offsets, keys)
    >>> pairs.tolist(), df.tolist()
    ([[0, 1]], [2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1])
    """
    n = len(offsets) - 1
    counts = np.diff(offsets)
    if len(samples) >= 1 << 32:
        raise CapacityError(
            "more than 2**32 sampled shingles (about 30 million documents) in one scan: "
            "split the corpus or use a larger sample_rate"
        )
    sample_df = np.zeros(len(samples), dtype=np.uint8)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    compiled = _compiled()
    if compiled is not None and n >= 1:
        coarse = 0
        while (len(samples) >> coarse) > 2 * partition_size and coarse < 10:
            coarse += 1
        for part in range(1 << coarse):
            pairs, packed = compiled.index_partition(
                samples,
                offsets.astype(np.int64),
                np.ones(n, dtype=bool) if include is None else include,
                coarse,
                part,
                max_postings,
                sample_df,
                n,
            )
            found.append((pairs, packed))
        return _aggregate(found, n, counts, min_shared, min_share, star_share), sample_df
    for select in _partitions(samples, partition_size):
        if include is not None:
            select = select[include[np.searchsorted(offsets, select, side="right") - 1]]
        if len(select) == 0:
            continue
        codes = (samples[select].astype(np.uint64) << np.uint64(32)) | select.astype(np.uint64)
        del select
        codes.sort()
        keys = (codes >> np.uint64(32)).astype(np.uint32)
        where = (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
        del codes
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        df = np.diff(np.append(starts, len(keys)))
        sample_df[where] = np.repeat(np.minimum(df, 255), df)
        # only keys held by two documents or more can pair documents
        held = np.repeat(df > 1, df)
        big = np.repeat(df > max_postings, df)[held]
        keys, where = keys[held], where[held]
        if n >= 2 and len(keys):
            docs = np.searchsorted(offsets, where, side="right") - 1
            positions = pairs_from_groups(np.arange(len(keys)), keys, max_postings)
            a, b = docs[positions[:, 0]], docs[positions[:, 1]]
            # one int64 per pair instance: (pair code, from a long posting list)
            code = (np.minimum(a, b) * n + np.maximum(a, b)) * 2 + big[positions[:, 0]]
            pairs, shared, specific = _collapse(code[a != b])
            found.append((pairs, (shared << 32) | specific))
    return _aggregate(found, n, counts, min_shared, min_share, star_share), sample_df


def _collapse(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair-instance codes (``pair * 2 + from_long_list``) to ``(pairs, shared, specific)``."""
    codes = np.sort(codes)
    pair = codes >> 1
    if len(codes) == 0:
        return pair, pair.copy(), pair.copy()
    heads = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
    shared = np.diff(np.append(heads, len(codes)))
    specific = np.add.reduceat((codes & 1) == 0, heads, dtype=np.int64)
    return pair[heads], shared, specific


def _aggregate(
    found: list[tuple[np.ndarray, np.ndarray]],
    n: int,
    counts: np.ndarray,
    min_shared: int,
    min_share: float,
    star_share: float,
    chunk: int = 1 << 22,
) -> np.ndarray:
    """Candidate pairs from per-range ``(pairs, shared << 32 | specific)`` counts, each range's
    pairs sorted. Pair codes are summed a slice of the code space at a time (about ``chunk``
    entries), so the working memory stays small."""
    total = sum(len(f[0]) for f in found)
    if total == 0:
        return np.empty((0, 2), dtype=np.int64)
    slices = max(1, -(-total // chunk))
    bounds = np.linspace(0, n * n, slices + 1).astype(np.int64)
    bounds[-1] = n * n + 1
    kept: list[np.ndarray] = []
    for lo_code, hi_code in pairwise(bounds.tolist()):
        pair_parts, packed_parts = [], []
        for pairs, packed in found:
            a, b = np.searchsorted(pairs, [lo_code, hi_code])
            pair_parts.append(pairs[a:b])
            packed_parts.append(packed[a:b])
        pairs = concat_release(pair_parts, np.int64)
        packed = concat_release(packed_parts, np.int64)
        if len(pairs) == 0:
            continue
        order = np.argsort(pairs, kind="stable")  # sorted runs: a merge
        pairs, packed = pairs[order], packed[order]
        del order
        heads = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
        shared = np.add.reduceat(packed >> 32, heads)
        specific = np.add.reduceat(packed & 0xFFFFFFFF, heads)
        pair = pairs[heads]
        del pairs, packed, heads
        lo, hi = pair // n, pair % n
        smaller = np.minimum(counts[lo], counts[hi])
        # keys in short posting lists are evidence; keys in long ones (templates, widely copied
        # text) only when the pair shares most of the smaller document through them
        ok = (specific >= min_shared) | ((specific >= 1) & (specific >= min_share * smaller))
        ok |= shared >= star_share * smaller
        kept.append(np.stack([lo[ok], hi[ok]], axis=1).astype(np.int64))
    found.clear()
    return np.concatenate(kept) if kept else np.empty((0, 2), dtype=np.int64)


def _compiled() -> Any:
    return compiled_module("index._compiled")
