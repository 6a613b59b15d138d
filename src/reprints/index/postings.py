"""Containment candidates from an inverted index of sampled shingles.

A document contained in another shares most of its shingles with it, however little of the
container it is, so Jaccard-tuned LSH misses it. Every document keeps a consistent 1-in-``rate``
sample of its shingles (chosen by hash value, so shared shingles are sampled in both), as 32-bit
keys. Documents sharing at least ``min_shared`` sampled shingles, or a share of ``min_share`` of
the smaller sample, become candidates. A posting list longer than ``max_postings`` (boilerplate)
contributes a star from its first document only, so no list costs quadratic work.

The same sort gives each sample's document frequency, which the boilerplate model uses.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from reprints.index.lsh import pairs_from_groups


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
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(i, j)``, ``i < j``, from shared sampled keys of a CSR sample table, and
    the document frequency of every sample (``uint8``, saturating at 255).

    The keys are processed in ranges of about ``partition_size`` samples, so the working memory
    stays bounded whatever the corpus size.

    >>> offsets = np.array([0, 4, 10, 12])
    >>> keys = np.array([0, 4, 8, 12, 0, 4, 8, 12, 16, 20, 100, 104], dtype=np.uint32)
    >>> pairs, df = containment_candidates(offsets, keys)
    >>> pairs.tolist(), df.tolist()
    ([[0, 1]], [2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1])
    """
    n = len(offsets) - 1
    counts = np.diff(offsets)
    if len(samples) >= 1 << 32:
        raise ValueError("more than 2**32 sampled shingles: split the corpus")
    sample_df = np.zeros(len(samples), dtype=np.uint8)
    found: list[np.ndarray] = []
    starred: list[np.ndarray] = []
    for select in _partitions(samples, partition_size):
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
            if len(positions):
                found.append(docs[positions.ravel()].reshape(-1, 2))
                starred.append(big[positions[:, 0]])
    if not found:
        return np.empty((0, 2), dtype=np.int64), sample_df
    pairs = np.concatenate(found)
    star = np.concatenate(starred)
    del found, starred
    distinct = pairs[:, 0] != pairs[:, 1]
    code = np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
    code, star = code[distinct], star[distinct]
    del pairs
    codes_u, inverse = np.unique(code, return_inverse=True)
    shared = np.bincount(inverse, minlength=len(codes_u))
    specific = np.bincount(inverse, weights=~star, minlength=len(codes_u)).astype(np.int64)
    lo, hi = codes_u // n, codes_u % n
    smaller = np.minimum(counts[lo], counts[hi])
    # keys in short posting lists are evidence; keys in long ones (templates, widely copied
    # text) only when the pair shares most of the smaller document through them
    ok = (specific >= min_shared) | ((specific >= 1) & (specific >= min_share * smaller))
    ok |= shared >= star_share * smaller
    return np.stack([lo[ok], hi[ok]], axis=1).astype(np.int64), sample_df
