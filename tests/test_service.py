"""The HTTP API over a persistent index (reprints.service.app), through FastAPI's TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")  # the 'serve' extra

from reprints.engine.indexed import Index
from reprints.errors import ConfigError
from reprints.service.app import create_app, token_from

with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what is installed
    warnings.filterwarnings("ignore", message=".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
TOKEN = "test-token-3f9a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _seeds() -> list[dict[str, Any]]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert [p.name[:3] for p in paths] == ["000", "001", "002"]
    return [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in paths]


SEED = _seeds()
ID0, ID1, ID2 = (d["id"] for d in SEED)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    with Index.open(tmp_path / "index.db") as idx:
        yield idx


def _client(index: Index, **kwargs: Any) -> TestClient:
    kwargs.setdefault("token", TOKEN)
    return TestClient(create_app(index, **kwargs))


@pytest.fixture
def client(index: Index) -> TestClient:
    return _client(index)


def _add(client: TestClient, *docs: dict[str, Any], **extra: Any) -> Any:
    response = client.post("/documents", json={"documents": list(docs), **extra}, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"field", "message"}, body
    return body["error"]


# -- auth --------------------------------------------------------------------------------------


def test_add_needs_the_token(client: TestClient) -> None:
    body = {"documents": [SEED[0]]}
    missing = _error(client.post("/documents", json=body), 401)
    assert "Authorization" in missing["message"]
    wrong = client.post("/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert _error(wrong, 401)["message"] == "wrong token"
    assert wrong.headers["www-authenticate"] == "Bearer"
    ok = client.post("/documents", json=body, headers=AUTH)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"added": 1, "replaced": 0, "skipped": 0}
    assert client.get("/health").json() == {"status": "ok", "documents": 1}


def test_reads_open_by_default_writes_closed(client: TestClient) -> None:
    _add(client, SEED[0])
    assert client.get("/stats").json()["documents"] == 1
    assert client.get(f"/documents/{ID0}").status_code == 200
    assert client.post("/query", json={"documents": [SEED[1]]}).status_code == 200
    # a query that adds is a write
    adding = client.post("/query", json={"documents": [SEED[1]], "add": True})
    _error(adding, 401)
    assert client.delete(f"/documents/{ID0}").status_code == 401
    assert client.post("/documents/remove", json={"ids": [ID0]}).status_code == 401


def test_protect_reads(index: Index) -> None:
    client = _client(index, protect_reads=True)
    for response in (
        client.get("/stats"),
        client.get(f"/documents/{ID0}"),
        client.post("/query", json={"documents": [SEED[1]]}),
    ):
        _error(response, 401)
    assert client.get("/stats", headers=AUTH).status_code == 200
    assert client.get("/health").status_code == 200  # liveness stays open


def test_no_token_refuses_writes_with_a_hint(index: Index) -> None:
    client = _client(index, token=None)
    refused = _error(client.post("/documents", json={"documents": [SEED[0]]}, headers=AUTH), 403)
    assert "REPRINTS_TOKEN" in refused["message"]
    assert client.get("/stats").status_code == 200


def test_token_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPRINTS_TOKEN", "  from-env \n")
    assert token_from() == "from-env"
    file = tmp_path / "token"
    file.write_text("from-file\n")
    assert token_from(token_file=str(file)) == "from-file"  # the file wins
    monkeypatch.setenv("REPRINTS_TOKEN", "   ")
    assert token_from() is None
    file.write_text(" \n")
    with pytest.raises(ConfigError, match="empty"):
        token_from(token_file=str(file))
    with pytest.raises(ConfigError, match="cannot read"):
        token_from(token_file=str(tmp_path / "absent"))


# -- queries -----------------------------------------------------------------------------------


def test_query_finds_containment(client: TestClient) -> None:
    _add(client, SEED[0])
    response = client.post("/query", json={"documents": [SEED[1]]})
    assert response.status_code == 200, response.text
    (answer,) = response.json()["answers"]
    assert answer["id"] == ID1 and answer["added"] is False
    (match,) = answer["matches"]
    assert {match["a"], match["b"]} == {ID0, ID1}
    assert match["relation"] == "containment"
    assert match["contained"] == ID0 and match["container"] == ID1
    assert answer["cluster"]["canonical"] in (ID0, ID1)
    assert client.get("/health").json()["documents"] == 1  # a query adds nothing


def test_query_at_rewrite_level(client: TestClient) -> None:
    _add(client, SEED[0], SEED[1])
    response = client.post("/query", json={"documents": [SEED[2]], "level": "rewrite"})
    assert response.status_code == 200, response.text
    (answer,) = response.json()["answers"]
    rewrite = [m for m in answer["matches"] if ID0 in (m["a"], m["b"])]
    assert [m["relation"] for m in rewrite] == ["rewrite"]
    cluster = answer["cluster"]
    assert cluster is not None and cluster["canonical"] == ID0
    assert ID2 in cluster["members"]


def test_query_with_add_then_read_back(client: TestClient) -> None:
    _add(client, SEED[0])
    doc = {**SEED[1], "title": "Iraq", "url": "https://example.com/1", "source": "scrape"}
    response = client.post("/query", json={"documents": [doc], "add": True}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["answers"][0]["added"] is True
    got = client.get(f"/documents/{ID1}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["id"] == ID1 and body["title"] == "Iraq" and body["url"] == doc["url"]
    assert body["fields"] == {"source": "scrape"}
    assert "text" not in body
    assert body["text_chars"] == len(SEED[1]["text"])
    assert [m["relation"] for m in body["matches"]] == ["containment"]
    assert set(body["cluster"]["members"]) == {ID0, ID1}
    with_text = client.get(f"/documents/{ID1}", params={"text": "true"}).json()
    assert with_text["text"] == SEED[1]["text"]


def test_remove(client: TestClient) -> None:
    _add(client, *SEED[:2])
    assert client.delete(f"/documents/{ID0}", headers=AUTH).json() == {"removed": 1}
    removed = client.post("/documents/remove", json={"ids": [ID1]}, headers=AUTH)
    assert removed.json() == {"removed": 1}
    assert client.get("/health").json()["documents"] == 0


# -- errors ------------------------------------------------------------------------------------


def test_duplicate_id_is_409_naming_it(client: TestClient) -> None:
    _add(client, SEED[0])
    again = client.post("/documents", json={"documents": [SEED[1], SEED[0]]}, headers=AUTH)
    error = _error(again, 409)
    assert ID0 in error["message"] and "already in the index" in error["message"]
    assert error["field"] == "documents[1].id"
    assert client.get("/health").json()["documents"] == 1  # nothing of the batch was added
    upsert = _add(client, SEED[0], upsert=True)
    assert upsert == {"added": 0, "replaced": 1, "skipped": 0}


def test_oversize_body_is_413(index: Index) -> None:
    client = _client(index, max_body_bytes=2000)
    big = {"documents": [SEED[0]]}  # ~4 kB
    error = _error(client.post("/documents", json=big, headers=AUTH), 413)
    assert "2,000 bytes" in error["message"]

    # a body sent without Content-Length is counted as it arrives
    def chunks() -> Iterator[bytes]:
        yield b'{"documents": [{"id": "x", "text": "'
        for _ in range(100):
            yield b"word " * 10
        yield b'"}]}'

    streamed = client.post(
        "/documents",
        content=chunks(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert _error(streamed, 413)["message"] == "request body over 2,000 bytes"  # not declared
    assert client.get("/health").json()["documents"] == 0


def test_too_many_documents_is_413(index: Index) -> None:
    client = _client(index, max_documents=2)
    docs = [{"id": str(i), "text": f"text number {i}"} for i in range(3)]
    error = _error(client.post("/documents", json={"documents": docs}, headers=AUTH), 413)
    assert error["field"] == "documents"


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        ({"id": "x", "text": 42}, "documents[1].text", "string"),
        ({"id": "x", "text": None}, "documents[1].text", "string"),
        ({"text": "no id here"}, "documents[1].id", "missing"),
        ({"id": 1.5, "text": "a float id"}, "documents[1].id", "float 1.5"),
        ({"id": "", "text": "an empty id"}, "documents[1].id", "empty"),
        ("not an object", "documents[1]", "object"),
    ],
)
def test_malformed_document_is_422_naming_the_field(
    client: TestClient, document: Any, field: str, words: str
) -> None:
    body = {"documents": [SEED[0], document]}
    error = _error(client.post("/documents", json=body, headers=AUTH), 422)
    assert error["field"] == field
    assert words in error["message"].lower()
    assert client.get("/health").json()["documents"] == 0


def test_malformed_requests(client: TestClient) -> None:
    bad_json = client.post(
        "/documents",
        content=b'{"documents": [',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert "malformed JSON" in _error(bad_json, 422)["message"]
    level = client.post("/query", json={"documents": [SEED[0]], "level": "fuzzy"})
    assert _error(level, 422)["field"] == "level"
    assert _error(client.post("/documents/remove", json={}, headers=AUTH), 422)["field"] == "ids"
    assert _error(client.get("/nowhere"), 404)["field"] is None


def test_unknown_id_is_404_naming_it(client: TestClient) -> None:
    _add(client, SEED[0])
    for response in (
        client.get("/documents/nosuch"),
        client.delete("/documents/nosuch", headers=AUTH),
        client.post("/documents/remove", json={"ids": [ID0, "nosuch"]}, headers=AUTH),
    ):
        error = _error(response, 404)
        assert "'nosuch'" in error["message"]
    assert client.get("/health").json()["documents"] == 1  # the batch removed nothing


def test_ids_with_slashes(client: TestClient) -> None:
    _add(client, {"id": "folder/a b.txt", "text": SEED[0]["text"]})
    assert client.get("/documents/folder/a%20b.txt").json()["id"] == "folder/a b.txt"
    assert client.delete("/documents/folder/a%20b.txt", headers=AUTH).json() == {"removed": 1}


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/health", "/stats", "/documents", "/query", "/documents/remove"} <= set(paths)
    assert paths["/documents"]["post"]["description"]
    assert "bearer" in str(spec.json()["components"]["securitySchemes"]).lower()
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
