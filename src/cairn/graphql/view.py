"""The HTTP/WebSocket endpoint: token gate, context, error shaping, orjson."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UnsetType

from cairn import logs
from cairn.auth import TokenVerifier
from cairn.config import Settings
from cairn.cors import OriginPolicy
from cairn.db.pool import Database, WriteTally, track_writes
from cairn.errors import BadUserInput, CairnError, PayloadTooLarge, ServiceBusy, Unauthenticated
from cairn.graphql.context import Context
from cairn.graphql.errors import format_error, log_unexpected
from cairn.graphql.guards import decode_body
from cairn.graphql.media import (
    GRAPHQL_RESPONSE_JSON,
    prefers_graphql_response,
    request_error_status,
)
from cairn.graphql.multipart import CairnRequestAdapter, read_operations
from cairn.graphql.sockets import LegacyWSHandler, TextFrameAdapter
from cairn.storage import BlobStore

log = logging.getLogger("cairn.http")

PRINCIPAL_KEY = "cairn.principal"
REQUEST_ID_KEY = "cairn.request_id"
BUSY_KEY = "cairn.busy"
# Set on a request whose client prefers application/graphql-response+json and whose
# operation never executed: the status the GraphQL-over-HTTP spec wants for it.
REQUEST_ERROR_KEY = "cairn.request_error_status"
# Headers a browser cannot send cross-site without a CORS preflight (Apollo's preventCsrf).
PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-apollo-operation-name", b"graphql-preflight")
MULTIPART_OVERHEAD_BYTES = 1024 * 1024


@dataclass
class SocketContext(Context):
    """A WebSocket's context: Strawberry stores connection_init's payload here."""

    connection_params: dict[str, object] | None = None


class CairnGraphQL(GraphQL[Context, None]):
    request_adapter_class = CairnRequestAdapter  # multipart limits, typed parser errors
    # Socket messages as text frames; the legacy protocol with its gaps closed.
    websocket_adapter_class = TextFrameAdapter
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(
        self,
        schema: BaseSchema,
        *,
        settings: Settings,
        db: Database,
        store: BlobStore,
        verifier: TokenVerifier,
        notifier: Any = None,
    ) -> None:
        super().__init__(
            schema,
            multipart_uploads_enabled=True,
            keep_alive=True,
            keep_alive_interval=15,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        )
        self.settings = settings
        self.db = db
        self.store = store
        self.verifier = verifier
        self.notifier = notifier
        self.origins = OriginPolicy.from_origins(settings.cors_origins)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        kind = SocketContext if isinstance(request, WebSocket) else Context
        return kind(
            db=self.db,
            store=self.store,
            settings=self.settings,
            request_id=request.scope.get(REQUEST_ID_KEY) or secrets.token_hex(8),
            principal_or_none=request.scope.get(PRINCIPAL_KEY),
            notifier=self.notifier,
        )

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        """An HTTP request's operation; its context's caches are emptied once it is
        answered (WebSocket contexts live as long as their socket)."""
        context = kwargs.get("context", args[3] if len(args) > 3 else None)
        try:
            return await super().execute_operation(*args, **kwargs)
        finally:
            if isinstance(context, Context) and not isinstance(context, SocketContext):
                context.release()

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate a socket from connection_init ``{"Authorization": "Bearer ..."}``.

        Anything else closes the socket with 4403 before any operation can run.
        """
        from strawberry.exceptions import ConnectionRejectionError

        params = getattr(context, "connection_params", None)
        params = params if isinstance(params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        token = params.get("token")
        try:
            if isinstance(header, str):
                principal = await self.verifier.authenticate_header(header)
            elif isinstance(token, str):
                principal = await self.verifier.authenticate(token)
            else:
                raise Unauthenticated("send {'Authorization': 'Bearer <token>'} in connection_init")
        except Unauthenticated as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from None
        context.principal_or_none = principal
        return None

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """A cross-origin browser socket connects only from a CAIRN_CORS_ORIGINS origin.

        Strawberry asks only for cross-origin handshakes: same-origin pages (GraphiQL) and
        clients that send no Origin (not browsers) always connect. Refused: HTTP 403.
        """
        return self.origins.allows(origin)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            request_id = request.scope.get(REQUEST_ID_KEY) or "-"
            log_unexpected(result.errors, request_id)
            formatted = [format_error(e, request_id) for e in result.errors]
            response["errors"] = formatted  # type: ignore[typeddict-item]
            _note_busy(request.scope, response)
            if isinstance(result, PreExecutionError) and _graphql_response(request.scope):
                # A request error: no `data` entry, and a 4xx/5xx status (see media).
                del response["data"]
                codes = {str(error["extensions"]["code"]) for error in formatted}
                request.scope[REQUEST_ERROR_KEY] = request_error_status(codes)
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    def encode_json(self, data: object) -> bytes:
        """HTTP bodies as orjson bytes; socket messages go through TextFrameAdapter (str)."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """JSON bodies (and WebSocket messages) with the boundary's checks: see guards."""
        return decode_body(data)

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, Any]:
        """The multipart request spec, strictly: a malformed request is refused whole."""
        return read_operations(await request.get_form_data(), self.decode_json)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry answers transport errors in plain text; answer them as GraphQL errors."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            with track_writes() as writes:
                response = await self.run(Request(scope=scope, receive=receive))
            if _graphql_response(scope) and response.media_type == "application/json":
                response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
                response.status_code = scope.get(REQUEST_ERROR_KEY) or response.status_code
            _retry_later_if_busy(scope, response, writes)
        except HTTPException as exc:
            if isinstance(exc.__cause__, CairnError):
                raise exc.__cause__ from None
            error = BadUserInput(f"{exc.reason.rstrip('.')}; see the GraphQL-over-HTTP spec")
            request_id = scope.get(REQUEST_ID_KEY) or "-"
            status, headers = exc.status_code, None
            if _graphql_response(scope) and _mutation_over_get(scope, exc):
                status, headers = 405, {"Allow": "POST"}  # the spec's answer for this type
            response = _error_response(error, request_id, status=status, scope=scope)
            response.headers.update(headers or {})
        await response(scope, receive, send)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Not for a GET that carries a persisted query's hash (``extensions=``)."""
        return "extensions" not in request.query_params and bool(
            super().should_render_graphql_ide(request)
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL with its scripts served from /graphql/static/ (works offline)."""
        from starlette.responses import HTMLResponse

        from cairn.graphql.ide import graphiql_html

        return HTMLResponse(graphiql_html())


def _graphql_response(scope: Scope) -> bool:
    """Whether the client prefers application/graphql-response+json (GraphQL over HTTP)."""
    return prefers_graphql_response(_header(scope, b"accept"))


def _mutation_over_get(scope: Scope, exc: HTTPException) -> bool:
    from strawberry.schema.exceptions import InvalidOperationTypeError
    from strawberry.types.graphql import OperationType

    cause = exc.__cause__
    return (
        scope.get("method") == "GET"
        and isinstance(cause, InvalidOperationTypeError)
        and cause.operation_type is OperationType.MUTATION
    )


def _note_busy(scope: Scope, response: GraphQLHTTPResponse) -> None:
    """Remember a result that is nothing but SERVICE_BUSY (see _retry_later_if_busy)."""
    errors: list[Any] = response.get("errors") or []
    if response.get("data") is None and errors:
        codes = {error["extensions"]["code"] for error in errors}
        scope[BUSY_KEY] = codes == {ServiceBusy.code}


def _retry_later_if_busy(scope: Scope, response: Response, writes: WriteTally) -> None:
    """A request that got nothing done because capacity ran out is HTTP 503 with
    Retry-After, so clients and proxies back off; one where something was written (an
    earlier mutation field) stays 200 with the error on its field."""
    if scope.get(BUSY_KEY) and writes.committed == 0:
        response.status_code = 503
        response.headers["Retry-After"] = str(ServiceBusy("").retry_after)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _wants_ide(scope: Scope) -> bool:
    if scope.get("method") != "GET":
        return False
    accept = _header(scope, b"accept") or ""
    query_string = scope.get("query_string", b"")
    return (
        "text/html" in accept
        and b"query=" not in query_string
        and b"extensions=" not in query_string
    )


class GraphQLGate:
    """Authenticate every GraphQL HTTP request before Strawberry sees it.

    Strawberry's HTTP errors are plain text; the contract wants HTTP 401 with a GraphQL
    error body whose code is UNAUTHENTICATED, so that check happens here.
    """

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, settings: Settings) -> None:
        self.app = app
        self.verifier = verifier
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope[REQUEST_ID_KEY] = request_id
        logs.REQUEST_ID.set(request_id)  # every record logged serving it carries the id
        if _wants_ide(scope):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            multipart = self._check_transport(scope)
            scope[PRINCIPAL_KEY] = await self.verifier.authenticate_header(
                _header(scope, b"authorization")
            )
            if scope.get("method") == "POST" and not multipart:
                json_body = "json" in (_header(scope, b"content-type") or "").lower()
                receive = await self._buffer_body(receive, json_body)
            else:
                receive = _limited(receive, self._limit(multipart))
            await self.app(scope, receive, tracked_send)
        except CairnError as exc:
            if started:  # pragma: no cover - a response is already on its way
                raise
            await _error_response(exc, request_id, scope=scope)(scope, receive, send)
        except Exception:
            # A bug outside GraphQL execution: log it whole, tell the client only the id.
            log.exception("unhandled error serving %s (request id %s)", scope["path"], request_id)
            if started:  # pragma: no cover
                raise
            internal = CairnError(
                f"internal server error; quote request id {request_id} when reporting it"
            )
            await _error_response(internal, request_id, status=500, scope=scope)(
                scope, receive, send
            )

    def _limit(self, multipart: bool) -> int:
        if multipart:
            return self.settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES
        return self.settings.max_request_bytes

    def _check_transport(self, scope: Scope) -> bool:
        content_type = (_header(scope, b"content-type") or "").lower()
        length = _header(scope, b"content-length")
        multipart = content_type.startswith("multipart/form-data")
        limit = self._limit(multipart)
        if length is not None and length.isdigit() and int(length) > limit:
            raise _too_large(limit)
        if multipart and not any(_header(scope, h) for h in PREFLIGHT_HEADERS):
            raise BadUserInput(
                "multipart requests need a non-simple header such as "
                "'Apollo-Require-Preflight: true' (CSRF protection)"
            )
        return multipart

    async def _buffer_body(self, receive: Receive, json_body: bool) -> Receive:
        """Read a JSON body whole (bounded), refuse batches, and replay it."""
        limit = self.settings.max_request_bytes
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            if len(body) > limit:
                raise _too_large(limit)
            more = message.get("more_body", False)
        start = bytes(body[:64]).lstrip()[:1]
        if start == b"[":
            raise BadUserInput(
                "query batching is not supported: send one operation per request "
                "(a JSON object, not an array)"
            )
        if json_body and start not in (b"{", b""):
            raise BadUserInput('the body must be a JSON object: {"query": "...", "variables": {}}')
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        return replay


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"the request body is larger than {limit} bytes; send less, or raise "
        "CAIRN_MAX_REQUEST_BYTES (CAIRN_MAX_UPLOAD_BYTES for multipart uploads)"
    )


def _limited(receive: Receive, limit: int) -> Receive:
    """Count body bytes as they stream in; past ``limit``, stop with PAYLOAD_TOO_LARGE."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return counted


def _error_response(
    exc: CairnError, request_id: str, status: int | None = None, scope: Scope | None = None
) -> Response:
    """A request error. In application/graphql-response+json (when the request in ``scope``
    prefers it) without the ``data`` entry, as the GraphQL-over-HTTP spec has it."""
    graphql_response = scope is not None and _graphql_response(scope)
    body: dict[str, Any] = {} if graphql_response else {"data": None}
    body["errors"] = [
        {"message": exc.message, "extensions": {"code": exc.code, "requestId": request_id}}
    ]
    status = status or (exc.http_status if exc.http_status != 200 else 400)
    headers = {"WWW-Authenticate": 'Bearer realm="cairn"'} if exc.http_status == 401 else None
    media_type = GRAPHQL_RESPONSE_JSON if graphql_response else "application/json"
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=headers)
