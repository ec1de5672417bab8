"""Cross-origin access for browsers: one origin list for HTTP (CORS) and the WebSocket.

``CAIRN_CORS_ORIGINS`` names the pages allowed to call ``/graphql`` from another origin.
Tokens are bearer tokens, never cookies, so no credentials mode is offered: a page sends
``Authorization`` itself, and a browser attaches nothing a foreign page could abuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from cairn.config import normalize_cors_origin

# What the embedded ``cairn serve`` allows besides CAIRN_CORS_ORIGINS: dev servers on any port.
LOOPBACK_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")
ALLOW_METHODS = ("GET", "POST", "OPTIONS")
# Authorization and Content-Type, plus the headers Apollo Client and graphql-http send
# (the first three are also what the multipart CSRF guard asks for).
ALLOW_HEADERS = (
    "Authorization",
    "Content-Type",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
    "GraphQL-Preflight",
    "Apollographql-Client-Name",
    "Apollographql-Client-Version",
)
EXPOSE_HEADERS = ("Retry-After",)
MAX_AGE_SECONDS = 600


@dataclass(frozen=True, slots=True)
class OriginPolicy:
    """Which browser origins may reach the API, from normalized CAIRN_CORS_ORIGINS entries."""

    exact: frozenset[str]
    any_port: frozenset[str]  # "scheme://host" of entries written "scheme://host:*"
    allow_all: bool = False

    @classmethod
    def from_origins(cls, origins: Iterable[str]) -> OriginPolicy:
        normalized = [normalize_cors_origin(o) for o in origins]
        return cls(
            exact=frozenset(o for o in normalized if o != "*" and not o.endswith(":*")),
            any_port=frozenset(o[:-2] for o in normalized if o.endswith(":*")),
            allow_all="*" in normalized,
        )

    @property
    def empty(self) -> bool:
        return not (self.exact or self.any_port or self.allow_all)

    def regex(self) -> str | None:
        """The any-port entries as one pattern (Starlette matches it whole)."""
        if not self.any_port:
            return None
        hosts = "|".join(re.escape(o) for o in sorted(self.any_port))
        return rf"(?:{hosts})(?::\d{{1,5}})?"

    def allows(self, origin: str) -> bool:
        """True if a page on ``origin`` (the browser's ``Origin`` header) may call the API."""
        if self.allow_all:
            return True
        try:
            normalized = normalize_cors_origin(origin)
        except ValueError:  # "null", garbage: never allowed
            return False
        if normalized in self.exact:
            return True
        pattern = self.regex()
        return pattern is not None and re.fullmatch(pattern, normalized) is not None


class CairnCORS(CORSMiddleware):
    """Starlette's CORS middleware, answering a successful preflight with 204 No Content."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 200:
            return response
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-type")
        }
        return Response(status_code=204, headers=headers)


def cors_options(policy: OriginPolicy) -> dict[str, Any]:
    """Keyword arguments for :class:`CairnCORS` (add it only when the policy is not empty)."""
    return {
        "allow_origins": ["*"] if policy.allow_all else sorted(policy.exact),
        "allow_origin_regex": None if policy.allow_all else policy.regex(),
        "allow_methods": ALLOW_METHODS,
        "allow_headers": ALLOW_HEADERS,
        "allow_credentials": False,
        "expose_headers": EXPOSE_HEADERS,
        "max_age": MAX_AGE_SECONDS,
    }
