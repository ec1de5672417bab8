"""GraphiQL works offline: the page references only Cairn's own URLs, every asset is served
with the right content type and the bytes its integrity attribute promises, and (when
Chromium is installed) the page really renders the GraphiQL UI in a headless browser."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import httpx
import pytest

from cairn.graphql.ide import ASSETS, STATIC_DIR, localize
from tests.support.http import Server

HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
}


class _Assets(HTMLParser):
    """Collect every URL the page makes the browser fetch, with its integrity attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = values.get("src") if tag in ("script", "img", "iframe") else None
        if tag == "link":
            url = values.get("href")
        if url is not None:
            self.fetched.append((url, values.get("integrity")))


def _page(server: Server) -> str:
    response = httpx.get(server.graphql_url, headers=HTML_ACCEPT, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def _assets(html: str) -> list[tuple[str, str | None]]:
    parser = _Assets()
    parser.feed(html)
    return parser.fetched


def test_page_needs_no_token_and_references_only_local_urls(server: Server) -> None:
    html = _page(server)
    fetched = _assets(html)
    local = [(url, sri) for url, sri in fetched if not url.startswith("data:")]
    assert sorted(url for url, _ in local) == sorted(
        f"/graphql/static/{name}" for name in ASSETS.values()
    )
    assert all(sri is not None and sri.startswith("sha384-") for _, sri in local)
    # The only absolute URL left is the SVG namespace inside the data: favicon (never fetched).
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg%22"]
    assert "unpkg.com" not in html


def test_every_asset_is_served_with_its_type_and_the_promised_bytes(server: Server) -> None:
    fetched = [(url, sri) for url, sri in _assets(_page(server)) if url.startswith("/")]
    assert len(fetched) == 7
    shipped = {p.name for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css")}
    assert shipped == set(ASSETS.values())
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for url, sri in fetched:
            response = http.get(url)
            assert response.status_code == 200, url
            media_type = response.headers["content-type"].split(";")[0]
            suffix = "." + url.rsplit(".", 1)[1]
            assert media_type in CONTENT_TYPES[suffix], (url, media_type)
            digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
            assert f"sha384-{digest}" == sri, url


def test_static_route_serves_nothing_else(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.get("/graphql/static/missing.js").status_code == 404
        assert http.get("/graphql/static/../ide.py").status_code == 404
        assert http.get("/graphql/static/%2e%2e/ide.py").status_code == 404


@pytest.mark.unit
def test_a_changed_strawberry_page_fails_loudly() -> None:
    page = '<script src="https://unpkg.com/react@19.0.0/umd/react.production.min.js">'
    with pytest.raises(RuntimeError, match=r"no longer references https://unpkg\.com/react@"):
        localize(page)
    every = " ".join(f'"{url}"' for url in ASSETS) + ' "https://unpkg.com/other@1/x.js"'
    with pytest.raises(RuntimeError, match="an asset Cairn does not serve"):
        localize(every)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_graphiql_renders_in_headless_chromium(server: Server) -> None:
    """The page's scripts load (integrity checks pass) and React renders GraphiQL's editors.

    Chromium is a hard requirement (never a skip): a skipped browser test would let a
    GraphiQL page that no longer renders pass unnoticed. .ci/run installs it.
    """
    assert CHROMIUM is not None, (
        "this test needs Chromium: apt-get install -y chromium (Debian), then run it again"
    )
    with tempfile.TemporaryDirectory(prefix="cairn-chromium-") as profile:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                server.graphql_url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    # Before React runs the container says "Loading..."; afterwards it holds GraphiQL's UI.
    assert 'class="graphiql-container"' in dom, dom[-2000:]
    assert "Loading..." not in dom
    assert "graphiql-editors" in dom
    assert "graphiql-execute-button" in dom
