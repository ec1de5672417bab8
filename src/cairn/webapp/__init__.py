"""The web app: the built Preact bundle in ``static/`` served for browsers.

The app is a single page that talks only to the public ``/graphql`` API. Its deep links
(``/``, ``/workflows/{id}``, ``/runs/{id}``, ``/job-runs/{id}``, ``/artifacts/{id}``,
``/keys/{key}``) answer ``index.html`` to a browser (``Accept: text/html``); the hashed
assets live under ``/app/assets/`` with a year-long immutable cache. Every answer carries
a strict Content-Security-Policy whose only foreign origin is the storage endpoint that
signed URLs point at (images, PDFs and "Download all" fetch from it directly).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn.config import Settings

STATIC_DIR = Path(__file__).parent / "static"
ASSETS_PREFIX = "/app/assets"
PAGES = (
    "/",
    "/workflows/{id}",
    "/runs/{id}",
    "/job-runs/{id}",
    "/artifacts/{id}",
    "/keys/{key}",
)
IMMUTABLE = "public, max-age=31536000, immutable"


def storage_origin(settings: Settings) -> str | None:
    """``scheme://host:port`` of the endpoint presigned URLs carry (public one first)."""
    endpoint = settings.s3_public_endpoint or settings.s3_endpoint
    if not endpoint:
        return None
    if "://" not in endpoint:
        endpoint = ("https://" if settings.s3_secure else "http://") + endpoint
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings, host: str) -> str:
    """The app's CSP: itself, the storage endpoint for bytes, WebSockets to itself."""
    storage = storage_origin(settings)
    extra = f" {storage}" if storage else ""
    sockets = f" ws://{host} wss://{host}" if host else ""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self'{extra} data: blob:",
            f"connect-src 'self'{sockets}{extra}",
            # PDFs are shown by the browser's viewer in a frame of the storage origin.
            f"frame-src{extra}" if storage else "frame-src 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def security_headers(settings: Settings, host: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings, host),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


class _Assets:
    """StaticFiles with long cache and the security headers on every answer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.files = StaticFiles(directory=STATIC_DIR / "assets", check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = _host(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = security_headers(self.settings, host)
                if message["status"] == 200:
                    extra["Cache-Control"] = IMMUTABLE
                headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
                message["headers"] = headers
            await send(message)

        await self.files(scope, receive, with_headers)


def _host(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            host: str = value.decode("latin-1")
            # Only a plain host[:port] goes into the header; anything else is dropped.
            if all(c.isalnum() or c in ".-:[]" for c in host):
                return host
    return ""


def routes(settings: Settings) -> list[BaseRoute]:
    """The app's routes, for ``create_app`` to mount next to ``/graphql``."""
    index = STATIC_DIR / "index.html"

    async def page(request: Request) -> Response:
        headers = security_headers(settings, _host(request.scope))
        if not _wants_html(request):
            return PlainTextResponse(
                "This is Cairn's web app: open it in a browser. The API is at /graphql.",
                status_code=404,
                headers=headers,
            )
        if not index.exists():
            return PlainTextResponse(
                "The web app is not built: run (cd webapp && npm ci && npm run build).",
                status_code=503,
                headers=headers,
            )
        headers["Cache-Control"] = "no-cache"
        return Response(index.read_bytes(), media_type="text/html", headers=headers)

    assets: ASGIApp = _Assets(settings)
    return [
        Mount(ASSETS_PREFIX, app=assets, name="webapp-assets"),
        *(Route(path, page, methods=["GET", "HEAD"]) for path in PAGES),
    ]
