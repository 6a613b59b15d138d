"""--embedder st:PATH: a local sentence-transformers model, loaded offline, or a clear error."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

import reprints
from reprints.errors import ConfigError
from reprints.evidence.embed import load_embedder
from tests.conftest import S000, S002, SEEDS


@pytest.fixture(autouse=True)
def fresh_cache():
    load_embedder.cache_clear()
    yield
    load_embedder.cache_clear()


class FakeModel:
    """Stands in for sentence_transformers.SentenceTransformer: records how it was loaded and
    embeds texts as normalised letter counts."""

    loaded: ClassVar[list[tuple[str, dict]]] = []
    offline: ClassVar[str | None] = None

    def __init__(self, path: str, **options: object) -> None:
        FakeModel.loaded.append((path, options))
        FakeModel.offline = os.environ.get("HF_HUB_OFFLINE")
        if not (Path(path) / "config.json").is_file():
            raise OSError("no config.json")

    def get_sentence_embedding_dimension(self) -> int:
        return 26

    def encode(self, texts: list[str], **options: object) -> np.ndarray:
        assert options["normalize_embeddings"] is True
        out = np.zeros((len(texts), 26), dtype=np.float64)
        for row, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    out[row, ord(ch) - 97] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@pytest.fixture
def fake_library(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = FakeModel  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    FakeModel.loaded.clear()
    return module


def test_a_local_model_is_loaded_offline_on_the_cpu(tmp_path: Path, fake_library) -> None:
    (tmp_path / "config.json").write_text("{}")
    embedder = load_embedder(f"st:{tmp_path}")
    assert FakeModel.loaded == [(str(tmp_path), {"device": "cpu", "local_files_only": True})]
    assert FakeModel.offline == "1"  # the hub is off while the model loads
    assert "HF_HUB_OFFLINE" not in os.environ  # and the process is left as it was
    vectors = embedder.encode(["Abc", "zzz"])
    assert vectors.shape == (2, 26) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert embedder.encode([]).shape == (0, 26)


def test_a_scan_runs_with_it(tmp_path: Path, fake_library) -> None:
    (tmp_path / "config.json").write_text("{}")
    result = reprints.scan([SEEDS], level="rewrite", embedder=f"st:{tmp_path}")
    (cluster,) = result.clusters
    assert cluster.canonical == S000 and S002 in cluster.members


def test_what_cannot_be_loaded_is_a_named_error(tmp_path: Path, monkeypatch, fake_library):
    with pytest.raises(ConfigError, match="no such model folder"):
        load_embedder(f"st:{tmp_path / 'missing'}")
    with pytest.raises(ConfigError, match="cannot load the model"):
        load_embedder(f"st:{tmp_path}")  # a folder without a model
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # not installed
    with pytest.raises(ConfigError, match="pip install sentence-transformers"):
        load_embedder(f"st:{tmp_path}")


def test_unknown_embedders_name_the_choices() -> None:
    for bad in ("bert", "st:"):
        with pytest.raises(ConfigError, match="st:PATH"):
            reprints.scan([SEEDS], level="rewrite", embedder=bad)
