"""A page on another origin, in headless Chromium: a query, a multipart upload (and a GET
of its signed URL from the bucket), and a subscription; a page on a non-listed origin is
refused all three."""

from __future__ import annotations

import asyncio
import functools
import json
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cairn.auth import issue_token
from cairn.cli.embedded import S3Endpoint, free_ports, set_bucket_cors
from tests.support.http import Server, serve
from tests.support.js_clients import js_ready, node, publish_as, until_subscribed
from tests.support.stack import Stack, make_settings


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_site(root: Path) -> Iterator[str]:
    """Serve ``root`` on a loopback port of its own: another origin than Cairn's."""
    port = free_ports(1)[0]
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@contextmanager
def two_sites(tmp_path: Path) -> Iterator[tuple[str, str]]:
    js = js_ready()
    shutil.copy(js / "page.html", tmp_path / "page.html")
    shutil.copy(js / "node_modules/graphql-ws/umd/graphql-ws.min.js", tmp_path)
    with static_site(tmp_path) as allowed, static_site(tmp_path) as foreign:
        yield allowed, foreign


async def open_page(site: str, server: Server, token: str) -> asyncio.subprocess.Process:
    url = f"{site}/page.html?api={quote(server.graphql_url, safe='')}#{token}"
    return await asyncio.create_subprocess_exec(
        node(),
        str(js_ready() / "browser.mjs"),
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def page_result(process: asyncio.subprocess.Process) -> dict[str, Any]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, stderr.decode()[-3000:]
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])["result"]
    return result


async def test_a_page_on_a_listed_origin_queries_uploads_and_subscribes(
    stack: Stack, tmp_path: Path
) -> None:
    bucket = "cairn-browser-" + secrets.token_hex(4)
    with two_sites(tmp_path) as (allowed, foreign):
        endpoint = S3Endpoint(stack.s3_url, stack.s3_access_key, stack.s3_secret_key)
        await asyncio.to_thread(set_bucket_cors, endpoint, bucket, [allowed])
        settings = make_settings(stack, cors_origins=allowed, s3_bucket=bucket)
        with serve(settings) as server:
            org = "org-" + secrets.token_hex(6)
            token = issue_token(settings, org_id=org, subject="page")
            page = await open_page(allowed, server, token)
            await until_subscribed(server, org)
            published = await asyncio.to_thread(publish_as, server, token, "live.md")
            result = await page_result(page)

            assert result["query"] == {
                "status": 200,
                "body": {"data": {"viewer": {"organizationId": org}}},
            }
            upload = result["upload"]
            assert upload["status"] == 200, upload
            assert upload["body"]["data"]["uploadArtifact"]["sizeBytes"] == 8
            assert upload["download"] == "a,b\n1,2\n"  # the signed URL, read cross-origin
            assert result["subscription"] == {
                "data": {"artifactPublished": {"id": published, "displayName": "live.md"}}
            }

            # the same page on an origin that is not listed gets nothing
            refused = await page_result(await open_page(foreign, server, token))
            assert "failed" in refused["query"], refused
            assert "failed" in refused["upload"], refused
            assert refused["subscription"] == {"opened": False}
