"""WebSocket plumbing: text frames for every message, and a stricter legacy protocol.

Strawberry sends whatever the view's ``encode_json`` returns, and orjson returns bytes,
which would go out as *binary* frames; graphql-ws (npm), gql (Python) and Apollo's
subscriptions-transport-ws all refuse those. HTTP keeps bytes; the socket gets ``str``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import orjson
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import OperationMessage

from cairn.graphql.context import Context

# graphql-transport-ws closes with 4401 for an operation before connection_ack; the legacy
# protocol names no code, so use the same one.
UNAUTHORIZED_CLOSE = 4401


class TextFrameAdapter(ASGIWebSocketAdapter):
    """Every protocol message as a text frame (JSON text, as both protocols require)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """subscriptions-transport-ws (``graphql-ws`` subprotocol), as older Apollo clients speak.

    Strawberry's handler starts operations sent before ``connection_init`` (they would
    fail later, unauthenticated) and fails on a ``start`` without a query; here the first
    closes the socket with 4401 and the second answers an ``error`` for that operation.
    """

    async def handle_message(self, message: OperationMessage) -> None:
        raw = cast(dict[str, Any], message) if isinstance(message, dict) else {}
        kind = raw.get("type")
        if kind in ("start", "stop") and not self.connection_acknowledged:
            await self.websocket.close(
                code=UNAUTHORIZED_CLOSE,
                reason="send connection_init with {'Authorization': 'Bearer <token>'} first",
            )
            return
        if kind in ("start", "stop") and not isinstance(raw.get("id"), str):
            return  # nothing to answer to: an operation needs a string id
        if kind == "start":
            payload = raw.get("payload")
            if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
                await self._refuse(raw["id"], "a start message needs payload.query (a string)")
                return
            variables = payload.get("variables")
            if variables is not None and not isinstance(variables, dict):
                await self._refuse(raw["id"], "payload.variables must be an object")
                return
        await super().handle_message(message)

    async def _refuse(self, operation_id: str, message: str) -> None:
        """Answer one operation with a BAD_USER_INPUT error; the socket stays open."""
        await self.send_message(
            {
                "type": "error",
                "id": operation_id,
                "payload": {"message": message, "extensions": {"code": "BAD_USER_INPUT"}},
            }
        )
