"""An HTTP API over a persistent index (:class:`reprints.engine.indexed.Index`): add, query,
read and remove documents, JSON in and out.

- Writes (``POST /documents``, ``POST /query`` with ``add``, ``DELETE /documents/{id}``,
  ``POST /documents/remove``) need ``Authorization: Bearer <token>``; a server started without a
  token refuses them (403, saying how to set one). Reads are open unless ``protect_reads``.
  ``/health``, ``/docs`` and ``/openapi.json`` are always open.
- Every error is ``{"error": {"field": "documents[3].text" | null, "message": "..."}}``.
- A request body past ``max_body_bytes`` is refused with 413 before it is parsed (the
  ``Content-Length`` header, and the bytes as they arrive for a body sent without one); more than
  ``max_documents`` documents (or ids) in one request too.

The index's methods block: the endpoints are plain functions, which FastAPI runs in its thread
pool (queries run side by side; one add or remove at a time, see :class:`Index`).

>>> _field_path(("body", "documents", 3, "text"))
'documents[3].text'
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException

from reprints.engine.indexed import Index
from reprints.errors import ConfigError, InputError, ReprintsError
from reprints.index.persist import IndexFileError
from reprints.io.reader import describe_value, document_id
from reprints.service import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOCUMENTS

log = logging.getLogger("reprints.service")

TOKEN_ENV = "REPRINTS_TOKEN"
STANDARD_FIELDS = ("title", "date", "url", "lang")

LevelName = Literal["exact", "near", "rewrite"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# -- tokens ------------------------------------------------------------------------------------


def token_from(env_var: str = TOKEN_ENV, token_file: str | None = None) -> str | None:
    """The write token: the contents of ``token_file`` when one is given (surrounding
    whitespace stripped; an empty or unreadable file is a :class:`ConfigError`), else the
    environment variable ``env_var`` (unset or blank: None, no token). A token must be printable
    ASCII."""
    if token_file is not None:
        path = Path(token_file)
        try:
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"token file {path}: cannot read it ({exc})") from exc
        if not token:
            raise ConfigError(f"token file {path}: is empty")
        return _ascii_token(token, f"token file {path}")
    token = os.environ.get(env_var, "").strip()
    return _ascii_token(token, f"${env_var}") if token else None


def _ascii_token(token: str, where: str) -> str:
    """HTTP headers carry bytes read as latin-1: a token must be printable ASCII to match."""
    if not (token.isascii() and token.isprintable()):
        raise ConfigError(f"{where}: the token must be printable ASCII (it travels in a header)")
    return token


# -- request and response models ---------------------------------------------------------------


def _document_id(value: Any) -> str:
    """An id is a non-empty string or an integer (written in decimal: ``1`` and ``"1"`` are one
    id), as in the scan's inputs (:func:`reprints.io.reader.document_id`)."""
    doc_id = document_id(value)
    if doc_id is None:
        raise ValueError(f"id must be a string or an integer, got {describe_value(value)}")
    if not doc_id:
        raise ValueError("id is empty")
    return doc_id


DocumentId = Annotated[
    str,
    BeforeValidator(_document_id),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}], "title": "Id"}
    ),
]


class DocumentIn(BaseModel):
    """One document: its id and text, the optional fields reprints uses, and any other field
    (kept with the document)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "id": "reuters-2020-09-30",
                    "text": "Washington has made preparations to withdraw diplomats from Iraq...",
                    "title": "US exit threat raises fear of war in Iraq",
                    "date": "2020-09-30",
                    "url": "https://example.com/iraq",
                    "lang": "en",
                }
            ]
        },
    )

    id: DocumentId = Field(description="A non-empty string or an integer; unique in the index.")
    text: StrictStr = Field(description="The document's text (an empty text is skipped).")
    title: StrictStr | None = None
    date: StrictStr | None = Field(None, description="ISO date; the earliest copy is canonical.")
    url: StrictStr | None = None
    lang: StrictStr | None = Field(None, description="Language code; detected when absent.")

    def record(self) -> dict[str, Any]:
        """The mapping the index reads (unset and null fields left out)."""
        return self.model_dump(exclude_none=True)


class AddRequest(BaseModel):
    """Documents to add, in one transaction."""

    documents: list[DocumentIn]
    upsert: bool = Field(False, description="Replace a stored document of the same id.")


class AddResponse(BaseModel):
    """What an add did."""

    added: int
    replaced: int
    skipped: int = Field(description="Documents not stored (empty texts).")


class QueryRequest(BaseModel):
    """Documents to look up among the stored ones."""

    documents: list[DocumentIn]
    level: LevelName | None = Field(
        None, description="exact, near or rewrite; null: the index's level."
    )
    add: bool = Field(False, description="Add the documents afterwards (a write: needs the token).")


class PairOut(BaseModel):
    """A verified match (see docs/schema.md: ``pairs.jsonl``)."""

    model_config = ConfigDict(extra="allow")

    a: str
    b: str
    relation: str
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    why: str


class ClusterOut(BaseModel):
    """The cluster a document joins within its neighbourhood, with its canonical member."""

    model_config = ConfigDict(extra="allow")

    cluster: str
    canonical: str
    members: list[str]
    why: str


class AnswerOut(BaseModel):
    """One queried document's matches among the stored documents and its cluster."""

    id: str
    matches: list[PairOut]
    cluster: ClusterOut | None
    added: bool


class QueryResponse(BaseModel):
    """One answer per queried document with a text (in the order given)."""

    answers: list[AnswerOut]


class DocumentOut(BaseModel):
    """A stored document's fields, its matches among the other stored documents and its
    cluster."""

    id: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None
    fields: dict[str, Any] = Field(description="Every other field stored with it.")
    text_chars: int
    text: str | None = Field(None, description="Only with ?text=true.")
    matches: list[PairOut]
    cluster: ClusterOut | None


class RemoveRequest(BaseModel):
    """Ids to remove, in one transaction (nothing is removed if one is missing)."""

    ids: list[DocumentId]


class RemoveResponse(BaseModel):
    removed: int


class HealthResponse(BaseModel):
    status: Literal["ok"]
    documents: int


class ErrorBody(BaseModel):
    field: str | None = Field(description="Where in the request: documents[3].text; or null.")
    message: str


class ErrorResponse(BaseModel):
    """Every error's shape."""

    error: ErrorBody


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorResponse} for code in codes}


# -- errors ------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered as ``{"error": {"field", "message"}}`` with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


def _error_response(
    status: int, message: str, field: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"field": field, "message": message}}, status_code=status, headers=headers
    )


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """``("body", "documents", 3, "text")`` -> ``documents[3].text``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or None


def _validation_message(error: Mapping[str, Any]) -> tuple[str | None, str]:
    kind = error.get("type", "")
    loc = tuple(error.get("loc", ()))
    if kind == "json_invalid":
        where = loc[1] if len(loc) > 1 else "?"
        detail = (error.get("ctx") or {}).get("error", "")
        return None, f"malformed JSON at character {where}: {detail}".rstrip(": ")
    field = _field_path(loc)
    msg = str(error.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")
    if kind == "missing":
        msg = "the request body is missing (a JSON object)" if field is None else "missing field"
    elif kind == "model_attributes_type" or kind == "dict_type":
        msg = "must be a JSON object"
    return field, msg


def _input_error(exc: InputError, docs: list[DocumentIn] | None) -> ApiError:
    """An :class:`InputError` from the index as an API error naming the request's field."""
    problem = exc.problem
    if "already in the index" in problem or "duplicate id" in problem or "given twice" in problem:
        status = 409
    elif "not in the index" in problem:
        status = 404
    else:
        status = 400
    field = None
    if docs is not None:
        if m := re.fullmatch(r"document (\d+)", exc.where):
            n = int(m.group(1)) - 1
            field = f"documents[{n}]" if 0 <= n < len(docs) else "documents"
            if status == 409:
                field += ".id"
        else:
            field = _named_id(exc, [d.id for d in docs], "documents", ".id")
    return ApiError(status, str(exc), field)


def _named_id(exc: InputError, ids: list[str], name: str, suffix: str = "") -> str | None:
    """The request field (``name[i]`` and ``suffix``) of the id an input error names, if any."""
    for i, doc_id in enumerate(ids):
        if exc.where == f"document {doc_id!r}":
            return f"{name}[{i}]{suffix}"
    return None


def _index_error(exc: ReprintsError, docs: list[DocumentIn] | None = None) -> ApiError:
    if isinstance(exc, InputError):
        return _input_error(exc, docs)
    if isinstance(exc, IndexFileError):  # the server's index file, not the request
        return ApiError(503, str(exc))
    return ApiError(400, str(exc))


# -- the body limit ----------------------------------------------------------------------------


class BodyLimit:
    """ASGI middleware: a request whose body is over ``max_bytes`` is answered 413 before the
    application sees it (by its ``Content-Length``, or counting the bytes as they arrive)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, message: str) -> None:
        await _error_response(413, message)(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        too_large = f"request body over {limit:,} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _error_response(400, "Content-Length is not a number")(
                        scope, receive, send
                    )
                    return
                if declared > limit:
                    await self._refuse(scope, receive, send, f"{too_large} ({declared:,})")
                    return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > limit:
                await self._refuse(scope, receive, send, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# -- the application ---------------------------------------------------------------------------

_bearer = HTTPBearer(
    auto_error=False,
    description="The server's token (REPRINTS_TOKEN or its --token-file).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
"""The request's bearer credentials, if it has an ``Authorization: Bearer`` header (a module
global: FastAPI resolves the endpoints' string annotations in the module's namespace)."""


def create_app(
    index: Index,
    token: str | None,
    protect_reads: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_documents: int = DEFAULT_MAX_DOCUMENTS,
) -> FastAPI:
    """The API over ``index``. ``token``: the bearer token writes need (None: writes are
    refused); ``protect_reads``: reads need it too."""
    if max_body_bytes < 1 or max_documents < 1:
        raise ConfigError("max_body_bytes and max_documents must be at least 1")
    app = FastAPI(
        title="reprints",
        summary="Find reprints of texts in a persistent index.",
        description=(
            "Add documents to the index, ask whether a text is a reprint of a stored one (and "
            "of which, with the evidence), read and remove stored documents. Writes need "
            "`Authorization: Bearer <token>` (the server's `REPRINTS_TOKEN`); reads too when "
            "the server protects them. Every error is "
            '`{"error": {"field": ..., "message": ...}}`.'
        ),
        version="1",
    )
    expected = token.encode("utf-8") if token is not None else None
    no_token = (
        "the server was started without a token: set REPRINTS_TOKEN (or give --token-file) "
        "and restart it"
    )

    def authorize(creds: HTTPAuthorizationCredentials | None, write: bool) -> None:
        if expected is None:
            what = "writes are" if write else "reads are"
            raise ApiError(403, f"{what} disabled: {no_token}")
        challenge = {"WWW-Authenticate": "Bearer"}
        if creds is None:
            raise ApiError(401, "missing 'Authorization: Bearer <token>' header", None, challenge)
        if not hmac.compare_digest(creds.credentials.encode("utf-8"), expected):
            raise ApiError(401, "wrong token", None, challenge)

    def can_read(creds: Credentials) -> None:
        if protect_reads:
            authorize(creds, write=False)

    def can_write(creds: Credentials) -> None:
        authorize(creds, write=True)

    def check_count(n: int, what: str) -> None:
        if n > max_documents:
            raise ApiError(413, f"{n:,} {what} in one request; at most {max_documents:,}", what)

    # -- error handlers

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        field, message = _validation_message(errors[0]) if errors else (None, "invalid request")
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        return _error_response(422, message, field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, str(exc.detail), None, exc.headers)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return _error_response(500, f"internal error ({type(exc).__name__})")

    # -- endpoints

    @app.get("/health", response_model=HealthResponse, tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness: the server answers, and how many documents the index holds. Always open."""
        try:
            return {"status": "ok", "documents": index.store.count()}
        except ReprintsError as exc:
            raise _index_error(exc) from exc

    @app.get(
        "/stats",
        dependencies=[Depends(can_read)],
        responses=_errors(401, 403),
        tags=["service"],
    )
    def stats() -> dict[str, Any]:
        """The index: documents, posting segments, bytes on disk, its level."""
        try:
            return index.stats()
        except ReprintsError as exc:
            raise _index_error(exc) from exc

    @app.post(
        "/documents",
        response_model=AddResponse,
        dependencies=[Depends(can_write)],
        responses=_errors(400, 401, 403, 409, 413, 422),
        tags=["documents"],
    )
    def add_documents(body: AddRequest) -> dict[str, int]:
        """Add documents, all in one transaction (all or none). An id already stored is a 409
        naming it, unless ``upsert`` (the stored document is replaced). Needs the token."""
        check_count(len(body.documents), "documents")
        try:
            result = index.add([d.record() for d in body.documents], upsert=body.upsert)
        except ReprintsError as exc:
            raise _index_error(exc, body.documents) from exc
        return {"added": result.added, "replaced": result.replaced, "skipped": result.skipped}

    @app.post(
        "/query",
        response_model=QueryResponse,
        responses=_errors(400, 401, 403, 409, 413, 422),
        tags=["documents"],
    )
    def query(body: QueryRequest, creds: Credentials) -> JSONResponse:
        """Is each document a reprint of stored ones, and of which? Each answer: its verified
        matches (relation, figures, aligned passages, why) and the cluster it joins with its
        canonical member. A stored id is measured in place of its stored self. With ``add``
        the documents are added afterwards (a write: needs the token; a stored id is a 409)."""
        if body.add:
            authorize(creds, write=True)
        else:
            can_read(creds)
        check_count(len(body.documents), "documents")
        try:
            answers = index.query(
                [d.record() for d in body.documents], level=body.level, add=body.add
            )
        except ReprintsError as exc:
            raise _index_error(exc, body.documents) from exc
        return JSONResponse({"answers": [a.to_dict() for a in answers]})

    @app.post(
        "/documents/remove",
        response_model=RemoveResponse,
        dependencies=[Depends(can_write)],
        responses=_errors(401, 403, 404, 413, 422),
        tags=["documents"],
    )
    def remove_documents(body: RemoveRequest) -> dict[str, int]:
        """Remove documents by id, in one transaction. An id not in the index is a 404 naming it
        (nothing removed). Needs the token."""
        check_count(len(body.ids), "ids")
        try:
            removed = index.remove(body.ids)
        except ReprintsError as exc:
            err = _index_error(exc)
            if isinstance(exc, InputError) and (field := _named_id(exc, body.ids, "ids")):
                err.field = field
            raise err from exc
        return {"removed": removed}

    @app.get(
        "/documents/{doc_id:path}",
        response_model=DocumentOut,
        dependencies=[Depends(can_read)],
        responses=_errors(401, 403, 404),
        tags=["documents"],
    )
    def get_document(
        doc_id: str,
        text: Annotated[bool, Query(description="Include the whole text.")] = False,
        level: Annotated[LevelName | None, Query(description="exact, near or rewrite.")] = None,
    ) -> JSONResponse:
        """A stored document: its fields (the text only with ``?text=true``), its matches among
        the other stored documents and its cluster. 404 when it is not in the index."""
        try:
            found = index.matches(doc_id, level)
        except ReprintsError as exc:
            raise _index_error(exc) from exc
        if found is None:
            raise ApiError(404, f"document {doc_id!r}: not in the index", "id")
        record, answer = found
        body_text = record.pop("text")
        out: dict[str, Any] = {"id": record.pop("id")}
        for name in STANDARD_FIELDS:
            out[name] = record.pop(name, None)
        out["fields"] = record
        out["text_chars"] = len(body_text)
        if text:
            out["text"] = body_text
        out["matches"] = [p.to_dict() for p in answer.matches]
        out["cluster"] = answer.cluster.to_dict() if answer.cluster else None
        return JSONResponse(out)

    @app.delete(
        "/documents/{doc_id:path}",
        response_model=RemoveResponse,
        dependencies=[Depends(can_write)],
        responses=_errors(401, 403, 404),
        tags=["documents"],
    )
    def delete_document(doc_id: str) -> dict[str, int]:
        """Remove one document. 404 when it is not in the index. Needs the token."""
        try:
            removed = index.remove([doc_id])
        except ReprintsError as exc:
            err = _index_error(exc)
            if err.status == 404:
                err.field = "id"
            raise err from exc
        return {"removed": removed}

    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app


# -- running it --------------------------------------------------------------------------------


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    level: str | None = None,
    token_file: str | None = None,
    protect_reads: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_documents: int = DEFAULT_MAX_DOCUMENTS,
    log_level: str = "info",
) -> None:
    """Open the index file ``db`` (created on first use) and serve the API until stopped. The
    token comes from ``token_file`` or ``$REPRINTS_TOKEN``; without one, writes are refused."""
    import uvicorn

    token = token_from(TOKEN_ENV, token_file)
    if token is None and protect_reads:
        raise ConfigError("protect_reads needs a token: set REPRINTS_TOKEN or give a token file")
    index = Index.open(db, level=level)
    if token is None:
        log.warning("no token (REPRINTS_TOKEN or a token file): writes will be refused (403)")
    app = create_app(
        index,
        token,
        protect_reads=protect_reads,
        max_body_bytes=max_body_bytes,
        max_documents=max_documents,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
    finally:
        index.close()


__all__ = [
    "ApiError",
    "BodyLimit",
    "create_app",
    "serve",
    "token_from",
]
