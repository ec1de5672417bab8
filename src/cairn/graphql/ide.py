"""GraphiQL without internet: Strawberry's page with its CDN assets served by Cairn itself.

Strawberry's ``graphiql.html`` loads React, GraphiQL, the explorer plugin and js-cookie
from unpkg.com, which fails on any machine that cannot reach it. The same files (byte for
byte: their sha384 match the page's ``integrity`` attributes, which are kept) live in
``static/`` and are served under ``/graphql/static/``. ``static/README.md`` says where
each file comes from.
"""

from __future__ import annotations

import functools
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/graphql/static"

# Strawberry's CDN URL -> the local file with the same bytes.
ASSETS: dict[str, str] = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom.production.min.js"
    ),
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "plugin-explorer.umd.js"
    ),
}


def localize(html: str, prefix: str = STATIC_PREFIX) -> str:
    """Point every known CDN URL in ``html`` at ``prefix``; fail if one is missing.

    A Strawberry upgrade that changes the asset versions must fail loudly here (and in
    tests/clients/test_graphiql.py) rather than quietly serve a page that needs the internet.
    """
    for url, name in ASSETS.items():
        quoted = f'"{url}"'
        if quoted not in html:
            raise RuntimeError(
                f"Strawberry's GraphiQL page no longer references {url}; "
                "refresh src/cairn/graphql/static/ to the versions it uses"
            )
        html = html.replace(quoted, f'"{prefix}/{name}"')
    if "https://unpkg.com/" in html:
        raise RuntimeError("Strawberry's GraphiQL page references an asset Cairn does not serve")
    return html


@functools.cache
def graphiql_html() -> str:
    """The GraphiQL page, loading its assets from ``/graphql/static/``."""
    return localize(get_graphql_ide_html("graphiql"))
