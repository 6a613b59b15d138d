"""Containment candidates from an inverted index of sampled shingles.

A document contained in another shares most of its shingles with it, however little of the
container it is, so Jaccard-tuned LSH misses it. Every document keeps a consistent 1-in-``rate``
sample of its shingles (chosen by hash value, so shared shingles are sampled in both), as 32-bit
keys. Documents sharing at least ``min_shared`` sampled shingles, or a share of ``min_share`` of
the smaller sample, become candidates. A posting list longer than ``max_postings`` (boilerplate)
contributes a star from its first document only, so no list costs quadratic work.

The same sort gives each sampled key's document frequency, which the boilerplate model uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reprints.index.lsh import pairs_from_groups


@dataclass(frozen=True, slots=True)
class SampleFrequencies:
    """Document frequency of every sampled shingle key seen in two documents or more (a key
    not stored was seen once)."""

    keys: np.ndarray  # sorted unique uint32
    df: np.ndarray  # int32

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Frequencies of the given keys (1 for a key not stored)."""
        if len(self.keys) == 0:
            return np.ones(len(keys), dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[pos] == keys, self.df[pos], 1).astype(np.int64)


def containment_candidates(
    offsets: np.ndarray,
    samples: np.ndarray,
    max_postings: int = 64,
    min_shared: int = 2,
    min_share: float = 0.2,
    partition_size: int = 1 << 21,
) -> tuple[np.ndarray, SampleFrequencies]:
    """Candidate pairs ``(i, j)``, ``i < j``, from shared sampled keys of a CSR sample table,
    and the document frequency of every key.

    The keys are processed in ranges of about ``partition_size`` samples, so the working memory
    stays bounded whatever the corpus size.

    >>> offsets = np.array([0, 4, 10, 12])
    >>> keys = np.array([0, 4, 8, 12, 0, 4, 8, 12, 16, 20, 100, 104], dtype=np.uint32)
    >>> pairs, freq = containment_candidates(offsets, keys)
    >>> pairs.tolist(), freq.lookup(np.array([4, 100], dtype=np.uint32)).tolist()
    ([[0, 1]], [2, 1])
    """
    n = len(offsets) - 1
    counts = np.diff(offsets)
    bits = 0
    while (len(samples) >> bits) > partition_size and bits < 10:
        bits += 1
    shift = np.uint32(32 - bits) if bits else None
    found: list[np.ndarray] = []
    freq_keys: list[np.ndarray] = []
    freq_df: list[np.ndarray] = []
    for part in range(1 << bits):
        if shift is None:
            doc_of = np.repeat(np.arange(n, dtype=np.uint64), counts)
            codes = (samples.astype(np.uint64) << np.uint64(32)) | doc_of
        else:
            select = np.flatnonzero((samples >> shift) == part)
            doc_of = np.searchsorted(offsets, select, side="right").astype(np.uint64)
            codes = (samples[select].astype(np.uint64) << np.uint64(32)) | (doc_of - np.uint64(1))
            del select
        del doc_of
        codes.sort()
        keys = (codes >> np.uint64(32)).astype(np.uint32)
        if len(keys) == 0:
            continue
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        df = np.diff(np.append(starts, len(keys)))
        recurring = df > 1
        freq_keys.append(keys[starts[recurring]])
        freq_df.append(df[recurring].astype(np.int32))
        # only keys held by two documents or more can pair documents
        held = np.repeat(recurring, df)
        keys = keys[held]
        docs = (codes[held] & np.uint64(0xFFFFFFFF)).astype(np.int64)
        del codes, held
        if n >= 2 and len(keys):
            positions = pairs_from_groups(np.arange(len(keys)), keys, max_postings)
            if len(positions):
                found.append(docs[positions.ravel()].reshape(-1, 2))
    freq = SampleFrequencies(
        np.concatenate(freq_keys) if freq_keys else np.empty(0, dtype=np.uint32),
        np.concatenate(freq_df) if freq_df else np.empty(0, dtype=np.int32),
    )
    if not found:
        return np.empty((0, 2), dtype=np.int64), freq
    pairs = np.concatenate(found)
    del found
    code = np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
    code = code[pairs[:, 0] != pairs[:, 1]]
    del pairs
    codes_u, shared = np.unique(code, return_counts=True)
    lo, hi = codes_u // n, codes_u % n
    smaller = np.minimum(counts[lo], counts[hi])
    ok = (shared >= min_shared) | ((shared >= 1) & (shared >= min_share * smaller))
    return np.stack([lo[ok], hi[ok]], axis=1).astype(np.int64), freq
