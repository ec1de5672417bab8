"""The HTTP/WebSocket endpoint: token gate, context, error shaping, orjson."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from cairn.auth import TokenVerifier
from cairn.config import Settings
from cairn.db.pool import Database
from cairn.errors import CairnError, PayloadTooLarge, Unauthenticated
from cairn.graphql.context import Context
from cairn.graphql.errors import format_error, log_unexpected
from cairn.storage import BlobStore

log = logging.getLogger("cairn.http")

PRINCIPAL_KEY = "cairn.principal"
REQUEST_ID_KEY = "cairn.request_id"
# Headers a browser cannot send cross-site without a CORS preflight (Apollo's preventCsrf).
PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-apollo-operation-name", b"graphql-preflight")


class CairnGraphQL(GraphQL[Context, None]):
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
            subscription_protocols=("graphql-transport-ws",),
        )
        self.settings = settings
        self.db = db
        self.store = store
        self.verifier = verifier
        self.notifier = notifier

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            db=self.db,
            store=self.store,
            settings=self.settings,
            request_id=request.scope.get(REQUEST_ID_KEY) or secrets.token_hex(8),
            principal_or_none=request.scope.get(PRINCIPAL_KEY),
            notifier=self.notifier,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = getattr(context, "connection_params", None) or {}
        header = (
            params.get("Authorization") or params.get("authorization")
            if isinstance(params, dict)
            else None
        )
        token = params.get("token") if isinstance(params, dict) else None
        try:
            if isinstance(header, str):
                context.principal_or_none = self.verifier.verify_header(header)
            elif isinstance(token, str):
                context.principal_or_none = self.verifier.verify(token)
            else:
                raise Unauthenticated("send {'Authorization': 'Bearer <token>'} in connection_init")
        except Unauthenticated as exc:
            from strawberry.exceptions import ConnectionRejectionError

            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from None
        return None

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            request_id = request.scope.get(REQUEST_ID_KEY) or "-"
            log_unexpected(result.errors, request_id)
            response["errors"] = [format_error(e, request_id) for e in result.errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL with its scripts served from /graphql/static/ (works offline)."""
        from starlette.responses import HTMLResponse

        from cairn.graphql.ide import graphiql_html

        return HTMLResponse(graphiql_html())


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _wants_ide(scope: Scope) -> bool:
    if scope.get("method") != "GET":
        return False
    accept = _header(scope, b"accept") or ""
    return "text/html" in accept and b"query=" not in scope.get("query_string", b"")


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
        if _wants_ide(scope):
            await self.app(scope, receive, send)
            return
        try:
            self._check_transport(scope)
            scope[PRINCIPAL_KEY] = self.verifier.verify_header(_header(scope, b"authorization"))
        except CairnError as exc:
            await _error_response(exc, request_id)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check_transport(self, scope: Scope) -> None:
        content_type = (_header(scope, b"content-type") or "").lower()
        length = _header(scope, b"content-length")
        multipart = content_type.startswith("multipart/form-data")
        limit = (
            self.settings.max_upload_bytes + 1024 * 1024
            if multipart
            else self.settings.max_request_bytes
        )
        if length is not None and length.isdigit() and int(length) > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
        if multipart and not any(_header(scope, h) for h in PREFLIGHT_HEADERS):
            from cairn.errors import BadUserInput

            raise BadUserInput(
                "multipart requests need a non-simple header such as "
                "'Apollo-Require-Preflight: true' (CSRF protection)"
            )


def _error_response(exc: CairnError, request_id: str) -> Response:
    body = {
        "data": None,
        "errors": [
            {"message": exc.message, "extensions": {"code": exc.code, "requestId": request_id}}
        ],
    }
    status = exc.http_status if exc.http_status != 200 else 400
    headers = {"WWW-Authenticate": 'Bearer realm="cairn"'} if exc.http_status == 401 else None
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )
