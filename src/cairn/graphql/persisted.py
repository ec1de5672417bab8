"""Persisted queries: Apollo's automatic persisted queries and trusted documents.

A request may carry ``extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}``
(in the POST body, or as the ``extensions`` query parameter of a GET). With
``CAIRN_PERSISTED_QUERIES``:

- ``on`` (default): a hash alone runs the document stored under it, or answers
  ``PERSISTED_QUERY_NOT_FOUND`` (message ``PersistedQueryNotFound``, what Apollo's
  PersistedQueryLink looks for) so the client sends hash and text; a hash with text is
  checked against the text and, once the document validates, stored for every replica.
- ``only``: only documents registered with ``cairn documents register`` run; any other
  text, and any attempt to register one through APQ, is ``PERSISTED_QUERY_NOT_ALLOWED``.
- ``off``: a hash alone is ``PERSISTED_QUERY_NOT_SUPPORTED`` (Apollo's link then stops
  hashing); a hash sent with its text is ignored and the text runs.

This is a schema extension, so HTTP and WebSocket operations go through the same gate
(graphql-ws sends no ``extensions``, so over a socket only the ``only`` rule applies; a
socket operation it refuses gets the error as a validation error).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strawberry.extensions import SchemaExtension

from cairn.config import Settings
from cairn.errors import (
    BadUserInput,
    CairnError,
    PersistedQueryNotAllowed,
    PersistedQueryNotFound,
    PersistedQueryNotSupported,
)
from cairn.services.documents import (
    MAX_DOCUMENT_CHARS,
    SHA256_HEX,
    DocumentRegistry,
    sha256_of,
)
from graphql import GraphQLError, GraphQLSchema, parse, print_ast, validate

NOT_REGISTERED = (
    "this service runs only registered documents (CAIRN_PERSISTED_QUERIES=only), and "
    "this one is not: register it with 'cairn documents register FILE' (the operations "
    "your build extracted) and send its sha256Hash"
)


def _requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The sha256Hash of a well-formed ``persistedQuery`` extension, or None without one."""
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise BadUserInput(
            'extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 hex digits>"}'
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not SHA256_HEX.fullmatch(digest.lower()):
        raise BadUserInput(
            "extensions.persistedQuery.sha256Hash must be the sha256 of the query text "
            "as 64 hex digits"
        )
    return digest.lower()


def persisted_queries(settings: Settings, registry: DocumentRegistry) -> Callable[[], Any]:
    """The extension factory for ``build_schema``: one registry (one LRU) per schema."""
    mode = settings.persisted_queries

    async def admit(db: Any, query: str | None, digest: str | None) -> str | None:
        """The query text to run (None: leave it to Strawberry), or raise; see the module."""
        if digest is None:
            if mode != "only" or query is None:
                return query
            if await registry.find(db, sha256_of(query), trusted=True) is None:
                raise PersistedQueryNotAllowed(NOT_REGISTERED)
            return query
        if mode == "off":
            if query is None:
                raise PersistedQueryNotSupported()
            return query
        if query is None:
            document = await registry.find(db, digest, trusted=mode == "only")
            if document is None:
                raise PersistedQueryNotFound()
            return document.body
        if sha256_of(query) != digest:
            raise BadUserInput(
                "extensions.persistedQuery.sha256Hash does not match the query: send "
                "the sha256 (hex) of the exact UTF-8 text in `query`"
            )
        if mode == "only" and await registry.find(db, digest, trusted=True) is None:
            raise PersistedQueryNotAllowed(NOT_REGISTERED)
        return query

    class PersistedQueries(SchemaExtension):
        refusal: CairnError | None = None

        async def on_operation(self) -> AsyncIterator[None]:
            context = self.execution_context
            db = context.context.db
            sent = context.query
            digest = _requested_hash(context.operation_extensions)
            try:
                context.query = await admit(db, sent, digest)
            except CairnError as exc:
                # Over a socket, an exception here would end the operation with no message
                # to the client: refuse it as a validation error instead (on_validate).
                if sent is None or not hasattr(context.context, "connection_params"):
                    raise
                self.refusal = exc
            yield
            # A hash sent with its text, in "on" mode: keep it once it proved valid.
            if (
                mode == "on"
                and digest is not None
                and sent is not None
                and len(sent) <= MAX_DOCUMENT_CHARS
                and context.graphql_document is not None
                and not context.pre_execution_errors
            ):
                await registry.add(db, digest, sent)

        def on_validate(self) -> Iterator[None]:
            # Before validation runs: Strawberry looks for pre-execution errors inside the
            # validation step (after it, they would be ignored and the operation would
            # run), and skips validating a document already refused.
            if self.refusal is not None:
                refusal = GraphQLError(self.refusal.message, original_error=self.refusal)
                self.execution_context.pre_execution_errors = [refusal]
            yield

    return PersistedQueries


@dataclass(frozen=True)
class Operation:
    """A document to register, where it came from, and its text as stored."""

    source: str
    body: str

    @property
    def sha256(self) -> str:
        return sha256_of(self.body)


class DocumentFileError(ValueError):
    """A file of operations could not be read, parsed or validated; the message says where."""


def read_operations(paths: Iterable[Path], schema: GraphQLSchema) -> list[Operation]:
    """The documents in ``paths``, each parsed and validated against ``schema``.

    A ``.json`` file is a manifest: Apollo's ``generate-persisted-query-manifest``
    (``{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}``) or
    a ``{hash: query}`` map (Relay's persisted queries); its texts are kept as they are, and
    each hash must match its text. Any other file is one GraphQL document, stored twice
    when the two differ: as graphql-js ``print`` writes it (what Apollo Client hashes for a
    document it was given) and exactly as written (what a client sending the file sends).
    """
    found: list[Operation] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentFileError(f"{path}: cannot read it ({exc})") from None
        if path.suffix.lower() == ".json":
            found += [
                _checked(f"{path} ({name})", body, schema) for name, body in _manifest(path, text)
            ]
        else:
            _checked(str(path), text, schema)
            printed = print_ast(parse(text))
            found.append(Operation(f"{path} (printed)", printed))
            if printed != text:
                found.append(Operation(f"{path} (as written)", text))
    return found


def _manifest(path: Path, text: str) -> list[tuple[str, str]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DocumentFileError(f"{path}: not JSON ({exc})") from None
    entries: list[tuple[str, str, str | None]] = []
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        for item in data["operations"]:
            if not isinstance(item, dict) or not isinstance(item.get("body"), str):
                raise DocumentFileError(f"{path}: every operation needs a string 'body'")
            name = str(item.get("name") or item.get("id") or "operation")
            entries.append((name, item["body"], item.get("id")))
    elif isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        entries = [(key, body, key) for key, body in data.items()]
    else:
        raise DocumentFileError(
            f"{path}: expected an Apollo persisted query manifest or a {{hash: query}} object"
        )
    for name, body, declared in entries:
        hashed = declared is not None and SHA256_HEX.fullmatch(declared.lower())
        if hashed and declared is not None and declared.lower() != sha256_of(body):
            raise DocumentFileError(
                f"{path} ({name}): the hash {declared} is not the sha256 of its text"
            )
    return [(name, body) for name, body, _ in entries]


def _checked(source: str, body: str, schema: GraphQLSchema) -> Operation:
    if not body.strip():
        raise DocumentFileError(f"{source}: the document is empty")
    if len(body) > MAX_DOCUMENT_CHARS:
        raise DocumentFileError(f"{source}: longer than {MAX_DOCUMENT_CHARS} characters")
    try:
        document = parse(body)
    except GraphQLError as exc:
        raise DocumentFileError(f"{source}: {exc.message}{_where(exc)}") from None
    errors = validate(schema, document)
    if errors:
        first = errors[0]
        raise DocumentFileError(
            f"{source}: not valid against the schema: {first.message}{_where(first)}"
        )
    return Operation(source, body)


def _where(error: GraphQLError) -> str:
    if not error.locations:
        return ""
    location = error.locations[0]
    return f" (line {location.line}, column {location.column})"
