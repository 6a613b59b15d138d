"""The fingerprint kernel: both backends agree bit for bit, and they compute what the docs say."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reprints.sketch import kernel
from reprints.sketch.kernel import EMPTY_VALUE, default_backend, sketch_texts
from reprints.sketch.minhash import Permutations, estimate_jaccard, signature
from reprints.sketch.shingles import shingle_hashes, token_hash
from reprints.text.tokens import tokenize

PERMS = Permutations.create(64, seed=5)
HAVE_NUMBA = kernel._numba_kernel() is not None
TRICKY = [
    "",
    "   \n\t ",
    "!!! ... ???",
    "one",
    "Only four words here",
    "The quick brown Fox's tail, reduc-\n  tion of DON'T 東京タワー ok.",
    "Ｆｕｌｌ width ß İstanbul rock'n'roll -- dogs' a''b ab-\n-\ncd x-\r\ny end-",
    "Déjà vu, “quoted” text — em dash – en dash\u00a0nbsp ไทยภาษา and 한국어 텍스트",
    "emoji 🎉 party 🎉 and astral 𝒜𝒷𝒸 letters, \ud800 lone surrogate",
    "A title\nA full sentence here, as written.\nA teaser cut off in the middle of a sentence like",
    "x" * 5000 + " long token",
]


def fields(batch):
    return {name: getattr(batch, name) for name in batch.__dataclass_fields__}


def assert_same(a, b):
    for name, value in fields(a).items():
        assert np.array_equal(value, getattr(b, name)), name


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_backends_agree_on_tricky_texts():
    for rate in (1, 4):
        numba = sketch_texts(TRICKY, 5, PERMS, rate, backend="numba")
        numpy = sketch_texts(TRICKY, 5, PERMS, rate, backend="numpy")
        assert_same(numba, numpy)


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@pytest.mark.parametrize("texts", [["warm up"], ["one"], [], ["", "a b"], ["a b c d e f"]])
def test_backends_agree_on_batches_with_fewer_tokens_than_a_shingle(texts):
    assert_same(
        sketch_texts(texts, 5, PERMS, 4, backend="numba"),
        sketch_texts(texts, 5, PERMS, 4, backend="numpy"),
    )


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=300), max_size=6),
    st.integers(1, 6),
)
def test_backends_agree_on_any_text(texts, k):
    assert_same(
        sketch_texts(texts, k, PERMS, 2, backend="numba"),
        sketch_texts(texts, k, PERMS, 2, backend="numpy"),
    )


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_tokens_and_shingles_follow_the_documented_rules(backend):
    if backend == "numba" and not HAVE_NUMBA:
        pytest.skip("numba not installed")
    text = "The QUICK brown fox's tail: it's a well-known reduc-\ntion, 東京 (Tokyo)!"
    batch = sketch_texts([text], 3, PERMS, 1, backend=backend)
    forms = tokenize(text).forms  # the offset-keeping tokenizer agrees on such text
    assert forms[:4] == ["the", "quick", "brown", "foxs"]
    tokens = np.array([token_hash(f.encode()) for f in forms], dtype=np.uint64)
    assert batch.n_tokens.tolist() == [len(forms)]
    assert batch.shingles.tolist() == shingle_hashes(tokens, 3).tolist()
    unique = np.unique(batch.shingles)
    assert batch.signatures[0].tolist() == signature(unique, PERMS).tolist()


def test_exact_hash_ignores_copying_noise_but_not_word_order():
    a = "The \u201cPrime Minister\u201d said \u2014 today \u2014 it\u2019s   over.\n"
    b = 'the "prime minister" SAID - today - it\'s over'
    c = "the prime minister said today over its"
    batch = sketch_texts([a, b, c], 5, PERMS, 4)
    assert batch.exact[0].tolist() == batch.exact[1].tolist()
    assert batch.exact[0].tolist() != batch.exact[2].tolist()


def test_texts_without_words_have_no_shingles():
    batch = sketch_texts(["", "  ...  "], 5, PERMS, 4)
    assert batch.n_tokens.tolist() == [0, 0]
    assert batch.shingle_offsets.tolist() == [0, 0, 0]
    assert (batch.signatures == EMPTY_VALUE).all()


def test_samples_are_the_sorted_keys_of_sampled_shingles():
    text = " ".join(f"w{i}" for i in range(400))
    batch = sketch_texts([text], 5, PERMS, 4)
    sampled = batch.shingles[(batch.shingles & np.uint64(3)) == 0]
    expected = np.unique((sampled >> np.uint64(32)).astype(np.uint32))
    assert batch.samples.tolist() == expected.tolist()
    assert 60 < len(expected) < 140  # about 1 in 4 of 396 shingles


def test_kernel_signatures_estimate_jaccard_like_minhash():
    rng = np.random.default_rng(3)
    perms = Permutations.create(128, seed=9)
    errors = []
    for _ in range(40):
        words = [f"w{x}" for x in rng.integers(0, 10**6, 600)]
        other = list(words)
        for k in rng.choice(600, 60, replace=False):
            other[k] = f"x{k}"
        batch = sketch_texts([" ".join(words), " ".join(other)], 5, perms, 4)
        a = set(batch.shingles[: batch.shingle_offsets[1]].tolist())
        b = set(batch.shingles[batch.shingle_offsets[1] :].tolist())
        true = len(a & b) / len(a | b)
        errors.append(estimate_jaccard(batch.signatures[0], batch.signatures[1]) - true)
    sd = np.sqrt(0.25 / 128)  # the worst case J(1-J) of MinHash's standard error
    assert abs(np.mean(errors)) < 3 * sd / np.sqrt(len(errors)) + 0.01
    assert np.std(errors) < 1.5 * sd


def test_cleanliness_flags_cut_teasers():
    clean = "Title\nThis sentence is complete and ends the way a sentence should end.\n"
    cut = clean + "TEASER: a story that stops in the middle because the scraper cut it off at"
    batch = sketch_texts([clean, cut, ""], 5, PERMS, 4)
    assert batch.cleanliness[0] == 1.0
    assert batch.cleanliness[1] < 0.6
    assert batch.cleanliness[2] == 0.0


def test_backend_can_be_forced_to_numpy(monkeypatch):
    monkeypatch.setenv("REPRINTS_BACKEND", "numpy")
    assert default_backend() == "numpy"
    with pytest.raises(ValueError, match="unknown backend"):
        sketch_texts(["a b"], 5, PERMS, 4, backend="cuda")
