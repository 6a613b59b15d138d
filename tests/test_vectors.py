"""Nearest neighbours for the rewrite level: the approximate index (usearch HNSW) agrees with
exact search, and gives the same neighbours whatever the input order."""

from __future__ import annotations

import numpy as np
import pytest

from reprints.evidence import rewrite
from reprints.evidence.rewrite import margin_neighbours
from reprints.index.vectors import ann_nearest, available, exact_nearest, nearest

pytestmark = pytest.mark.skipif(not available(), reason="usearch is not installed")


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def clustered(n: int, dim: int = 64, seed: int = 3) -> np.ndarray:
    """Vectors in groups of four close to a centre, like a story and its rewrites."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n // 4, dim))
    return unit(np.repeat(centres, 4, axis=0) + 0.3 * rng.standard_normal((n // 4 * 4, dim)))


def test_the_index_finds_what_exact_search_finds() -> None:
    vectors = clustered(4000)
    exact, _ = exact_nearest(vectors, 10)
    approx, scores = ann_nearest(vectors, 10, np.arange(len(vectors)))
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.95
    assert (approx[:, :3] == exact[:, :3]).mean() >= 0.99  # a rewrite's own group comes first
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    assert not np.any(approx == np.arange(len(vectors))[:, None])  # never itself


def test_same_documents_same_neighbours_whatever_the_input_order() -> None:
    vectors = clustered(3000)
    rng = np.random.default_rng(5)
    shuffle = rng.permutation(len(vectors))
    canonical = np.arange(len(vectors))  # a fixed order of the documents (the scan's rank)
    a, _ = ann_nearest(vectors, 10, canonical)
    # the same documents read in another order, inserted in the same canonical order
    b, _ = ann_nearest(vectors[shuffle], 10, np.argsort(shuffle))
    assert np.array_equal(shuffle[b], a[shuffle])  # row r of the shuffle is document shuffle[r]


def test_margin_pairs_through_the_index_equal_the_exact_ones() -> None:
    vectors = clustered(2000)
    exact = margin_neighbours(vectors, 10, 1.05, 0.5, exact_up_to=len(vectors))
    approx = margin_neighbours(vectors, 10, 1.05, 0.5, np.arange(len(vectors)), exact_up_to=0)
    exact_set = {tuple(p) for p in exact.tolist()}
    approx_set = {tuple(p) for p in approx.tolist()}
    assert len(exact_set) > 1000
    assert len(exact_set ^ approx_set) <= 0.01 * len(exact_set)


def test_small_corpora_are_searched_exactly() -> None:
    vectors = clustered(400)
    idx, cos = nearest(vectors, 5)
    assert np.array_equal(idx, exact_nearest(vectors, 5)[0])
    assert cos.shape == (400, 5)


def test_the_rewrite_level_through_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rewrites dev set with every neighbour search through the index: the same clusters."""
    import reprints
    from tests.conftest import eval_set

    folder = eval_set("rewrites")
    if reprints.evidence.embed.load_embedder("auto") is None:
        pytest.skip("no embedder installed: the neighbours source is off")
    exact = reprints.scan([folder / "docs.jsonl"], level="rewrite")
    monkeypatch.setattr(rewrite, "EXACT_UP_TO", 0)
    approx = reprints.scan([folder / "docs.jsonl"], level="rewrite")
    assert approx.cluster_of == exact.cluster_of


def test_ties_go_the_same_way_whatever_the_input_order() -> None:
    """Documents with the same lead have equal vectors: which of them are a document's k
    nearest must not depend on where they sit in the input."""
    rng = np.random.default_rng(9)
    vectors = unit(np.repeat(rng.standard_normal((30, 16)), 12, axis=0))  # groups of 12 equals
    n = len(vectors)
    rank = np.arange(n)  # the canonical order of the documents
    for exact_up_to in (n, 0):  # exact search, then the index (which may break ties otherwise)
        expected = margin_neighbours(vectors, 5, 1.0, 0.5, rank, exact_up_to)
        for seed in (1, 2):
            shuffle = np.random.default_rng(seed).permutation(n)  # row r is document shuffle[r]
            inverse = np.argsort(shuffle)
            got = margin_neighbours(vectors[shuffle], 5, 1.0, 0.5, inverse, exact_up_to)
            in_documents = np.sort(shuffle[got], axis=1)
            assert {tuple(p) for p in in_documents.tolist()} == {
                tuple(p) for p in expected.tolist()
            }
