import numpy as np
import pytest

from reprints.index.lsh import exact_groups, lsh_candidates, optimal_bands
from reprints.index.postings import containment_candidates
from reprints.sketch.minhash import Permutations, estimate_jaccard, signature
from reprints.sketch.shingles import sample_keys, sample_mask, shingle_hashes, token_hash


def token_hashes(words):
    return np.array([token_hash(w.encode()) for w in words], dtype=np.uint64)


def test_shingles_are_deterministic_and_order_sensitive():
    a = shingle_hashes(token_hashes(["a", "b", "c", "d", "e", "f"]), 3)
    b = shingle_hashes(token_hashes(["a", "b", "c", "d", "e", "f"]), 3)
    c = shingle_hashes(token_hashes(["f", "e", "d", "c", "b", "a"]), 3)
    assert (a == b).all()
    assert not set(a.tolist()) & set(c.tolist())


def test_short_text_gives_one_shingle():
    assert len(shingle_hashes(token_hashes(["only", "two"]), 5)) == 1
    assert len(shingle_hashes(token_hashes([]), 5)) == 0


@pytest.mark.parametrize("true_j", [0.2, 0.5, 0.8])
def test_minhash_error_matches_theory(true_j):
    rng = np.random.default_rng(7)
    perms = Permutations.create(128, seed=3)
    errors = []
    for _ in range(60):
        universe = rng.integers(0, 2**63, size=2000, dtype=np.uint64)
        shared = round(2 * 500 * true_j / (1 + true_j))
        a = universe[:500]
        b = np.concatenate([universe[:shared], universe[500 : 500 + 500 - shared]])
        j = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        errors.append(estimate_jaccard(signature(a, perms), signature(b, perms)) - j)
    errors = np.asarray(errors)
    expected_sd = np.sqrt(true_j * (1 - true_j) / 128)
    assert abs(errors.mean()) < 3 * expected_sd / np.sqrt(len(errors)) + 0.01
    assert errors.std() < 1.5 * expected_sd


def test_optimal_bands_fit_the_permutations():
    for t in (0.3, 0.5, 0.8):
        b, r = optimal_bands(t, 128)
        assert b * r <= 128
        s_curve = (1 / b) ** (1 / r)
        assert abs(s_curve - t) < 0.15


def test_lsh_finds_similar_and_not_dissimilar():
    perms = Permutations.create(128)
    base = np.arange(1, 1001, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    near = base.copy()
    near[:50] += np.uint64(1)
    other = base + np.uint64(12345)
    sigs = np.vstack([signature(x, perms) for x in (base, near, other)])
    b, r = optimal_bands(0.5, 128)
    assert lsh_candidates(sigs, b, r).tolist() == [[0, 1]]


def test_big_bucket_costs_linear_pairs():
    sigs = np.zeros((5000, 128), dtype=np.uint32)  # 5,000 identical signatures
    pairs = lsh_candidates(sigs, 16, 8, max_bucket=64)
    assert len(pairs) == 4999  # a star, not 12.5 million pairs


def test_exact_groups():
    e = np.array([[3, 3], [1, 1], [3, 3], [1, 2]], dtype=np.uint64)
    assert exact_groups(e).tolist() == [0, 1, 0, 3]


def test_containment_candidates_find_small_inside_large():
    rng = np.random.default_rng(1)
    small = np.unique(rng.integers(0, 2**63, 200, dtype=np.uint64))
    extra = np.unique(rng.integers(0, 2**63, 2000, dtype=np.uint64))
    large = np.unique(np.concatenate([small, extra]))
    unrelated = np.unique(rng.integers(0, 2**63, 500, dtype=np.uint64))
    samples = [np.unique(sample_keys(x[sample_mask(x, 4)])) for x in (small, large, unrelated)]
    offsets = np.cumsum([0, *map(len, samples)])
    pairs, df = containment_candidates(offsets, np.concatenate(samples))
    assert pairs.tolist() == [[0, 1]]
    assert df[: offsets[1]].tolist() == [2] * len(samples[0])
    assert df[offsets[2] :].tolist() == [1] * len(samples[2])
    # partitioned by key range, the index gives the same answer
    again, df_again = containment_candidates(offsets, np.concatenate(samples), partition_size=16)
    assert again.tolist() == pairs.tolist() and df_again.tolist() == df.tolist()
    # documents left out of the index pair with nothing
    left_out, _ = containment_candidates(
        offsets, np.concatenate(samples), include=np.array([True, False, True])
    )
    assert left_out.tolist() == []
