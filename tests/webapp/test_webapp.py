"""The web app against a live Cairn: routes and security headers over HTTP, the bundle's
size, and every page in headless Chromium with hostile content in every field (nothing
executes, CSP reports nothing), axe-core, keyboard navigation, a download that mints its
URL at click time after the page's URLs expired, and a live update on the run page."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.auth import ALL_SCOPES, issue_token
from cairn.webapp import PAGES, STATIC_DIR
from tests.support.catalog import create_job, create_run, create_workflow
from tests.support.http import Client, Server, new_org, serve
from tests.support.js_clients import node, until_subscribed
from tests.support.stack import Stack, make_settings

REPO = Path(__file__).parents[2]
WEBAPP = REPO / "webapp"
OUTPUT = REPO / "test-output" / "webapp"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
TTL = 4  # seconds: signed URLs of this module's server expire quickly
PWN = "window.__pwned=true"
HOSTILE = f'<img src=x onerror="{PWN}"><script>{PWN}</script>'
# Handlers after a '/' and after a closing quote start attributes too.
EVASIVE = f'<img/src=x/onerror="{PWN}"><img alt=">" src="x"onerror="{PWN}">'

CREATE = """mutation($input: ArtifactInput!, $data: JSON, $b64: String) {
  createArtifact(input: $input, data: $data, contentBase64: $b64) { id key version }
}"""


def webapp_ready() -> Path:
    if not (WEBAPP / "node_modules" / ".package-lock.json").exists():
        npm = shutil.which("npm")
        assert npm, "npm is required for the web app tests (apt-get install npm)"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEBAPP, check=True, timeout=600)
    return WEBAPP


@pytest.fixture(scope="module")
def app_server(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack, signed_url_ttl=TTL)) as running:
        yield running


def _client(server: Server) -> Client:
    org = new_org()
    token = issue_token(server.settings, org_id=org, subject="tester", scopes=ALL_SCOPES)
    http = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return Client(http=http, org_id=org, token=token)


@pytest.mark.unit
def test_the_committed_bundle_is_small_and_has_no_inline_script() -> None:
    index = (STATIC_DIR / "index.html").read_text()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", index, re.S)
    assert scripts
    assert all(body.strip() == "" for body in scripts)
    assert re.search(r'src="/app/assets/index-[\w-]+\.js"', index)
    js = sorted((STATIC_DIR / "assets").glob("*.js"))
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in js)
    assert 0 < total <= 300 * 1024, f"{total} bytes of gzipped JavaScript"
    assert "http://" not in index  # no CDN
    assert "https://" not in index


def test_routes_answer_the_app_with_security_headers(app_server: Server) -> None:
    storage = app_server.settings.s3_endpoint or ""
    with httpx.Client(base_url=app_server.url, timeout=30) as http:
        for route in PAGES:
            url = route.replace("{id}", "00000000-0000-0000-0000-000000000000").replace(
                "{key}", "some-key"
            )
            response = http.get(url, headers=HTML)
            assert response.status_code == 200, url
            assert response.headers["content-type"].startswith("text/html")
            csp = response.headers["content-security-policy"]
            for directive in (
                "default-src 'none'",
                "script-src 'self'",
                "object-src 'none'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
            ):
                assert directive in csp
            assert storage.rstrip("/") in csp
            assert "unsafe" not in csp
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert '<div id="app">' in response.text
        # Not a browser: no HTML. The API and operations routes are unchanged.
        assert http.get("/", headers={"Accept": "application/json"}).status_code == 404
        assert "graphiql" in http.get("/graphql", headers=HTML).text.lower()
        assert http.get("/healthz").status_code == 200
        asset = re.search(r'src="(/app/assets/[^"]+)"', http.get("/", headers=HTML).text)
        assert asset
        js = http.get(asset.group(1))
        assert js.status_code == 200
        assert "immutable" in js.headers["cache-control"]
        assert js.headers["x-content-type-options"] == "nosniff"
        assert http.get("/app/assets/missing.js").status_code == 404


def _seed(client: Client) -> dict[str, Any]:
    wf = create_workflow(client, f"wf {HOSTILE}", description=f"# Flow\n{HOSTILE}")
    job = create_job(client, name=f"job {HOSTILE}", metadata={"html": HOSTILE})
    run = create_run(
        client, wf["id"], jobRunId=job["id"], name=f"run {HOSTILE}", parameters={"p": HOSTILE}
    )

    def publish(
        type_: str, name: str, data: Any = None, content: bytes | None = None, **extra: Any
    ) -> dict[str, Any]:
        created = client(
            CREATE,
            {
                "input": {
                    "type": type_,
                    "displayName": name,
                    "workflowRunId": run["id"],
                    "description": f"**desc** {HOSTILE} [x](javascript:{PWN})",
                    "metadata": {"k": HOSTILE},
                    **extra,
                },
                "data": data,
                "b64": base64.b64encode(content).decode() if content is not None else None,
            },
        )
        return dict(created["createArtifact"])

    md = f"# Report\n\n{HOSTILE}{EVASIVE}\n\n[click](javascript:{PWN})\n"
    publish("MARKDOWN", f"report {HOSTILE}.md", md, key="report", category=f"c{HOSTILE}")
    report2 = publish("MARKDOWN", "report.md", md + "\nA new line.\n", key="report")
    t1 = {"columns": ["name", "score"], "rows": [["a", 1], ["b", 2], [HOSTILE, 3]]}
    t2 = {"columns": ["name", "score"], "rows": [["a", 1], ["b", 5], [HOSTILE, 3], ["d", 4]]}
    publish("TABLE", "scores", t1, key="scores")
    publish("TABLE", "scores", t2, key="scores")
    publish("LINK", "dashboard", {"url": "https://example.com/x", "text": HOSTILE})
    html = publish("HTML", "page.html", content=f"<html>{HOSTILE}</html>".encode(), key="page")
    publish(
        "SVG",
        "pic.svg",
        content=f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"><script>{PWN}</script></svg>'.encode(),
    )
    publish(
        "JSON", "data.json", content=json.dumps({"a": [1, 2], "h": HOSTILE}).encode(), key="data"
    )
    publish(
        "JSON", "data.json", content=json.dumps({"a": [1, 3], "h": HOSTILE}).encode(), key="data"
    )
    publish("CSV", "rows.csv", content=f"x,y\n1,{HOSTILE}\n2,b\n".encode())
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    image = publish("PNG", "dot.png", content=png)
    text = publish("TEXT", "log.txt", content=b"line one\nline two\n", key="log")
    stale = client(
        "query($id: ID!) { artifact(id: $id) { signedUrl(disposition: INLINE) { url } } }",
        {"id": text["id"]},
    )["artifact"]["signedUrl"]["url"]
    return {
        "wf": wf,
        "job": job,
        "run": run,
        "report2": report2,
        "html": html,
        "image": image,
        "text": text,
        "stale": stale,
    }


async def _drive(plan_file: Path, server: Server, client: Client, name: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        node(),
        str(Path(__file__).parent / "drive.mjs"),
        str(plan_file),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout
    assert process.stdin
    try:
        while True:
            line = await asyncio.wait_for(process.stdout.readline(), 600)
            assert line, (await process.stderr.read()).decode()[-4000:] if process.stderr else ""
            message = json.loads(line)
            if "wait" in message:
                await until_subscribed(server, client.org_id)
                await asyncio.to_thread(
                    client,
                    CREATE,
                    {
                        "input": {
                            "type": "MARKDOWN",
                            "displayName": name,
                            "workflowRunId": message.get("run") or _RUN[0],
                        },
                        "data": "# live",
                    },
                )
                process.stdin.write(b"go\n")
                await process.stdin.drain()
            else:
                result: dict[str, Any] = message["result"]
                return result
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


_RUN: list[str] = []


async def test_every_page_in_a_browser(app_server: Server, tmp_path: Path) -> None:
    webapp_ready()
    client = _client(app_server)
    seeded = await asyncio.to_thread(_seed, client)
    _RUN[:] = [seeded["run"]["id"]]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    live_name = "published while the page was open"
    pages = [
        {
            "name": "home",
            "path": "/",
            "heading": "Latest artifacts",
            "expect": ["report", "scores"],
        },
        {
            "name": "workflow",
            "path": f"/workflows/{seeded['wf']['id']}",
            "heading": "Workflow",
            "expect": ["Runs (1)"],
        },
        {
            "name": "run",
            "path": f"/runs/{seeded['run']['id']}",
            "heading": "Run",
            "expect": ["dot.png", "scores", "Download all"],
        },
        {
            "name": "job-run",
            "path": f"/job-runs/{seeded['job']['id']}",
            "heading": "Job run",
            "expect": ["Artifacts of every run", "log.txt"],
        },
        {
            "name": "artifact-markdown",
            "path": f"/artifacts/{seeded['report2']['id']}",
            "heading": "report.md",
            "expect": ["A new line.", "Versions (2)"],
        },
        {
            "name": "artifact-html",
            "path": f"/artifacts/{seeded['html']['id']}",
            "heading": "page.html",
            "expect": ["shown as source", "<html>"],
        },
        {
            "name": "artifact-image",
            "path": f"/artifacts/{seeded['image']['id']}",
            "heading": "dot.png",
            "expect": ["Preview"],
        },
        {
            "name": "key-report",
            "path": "/keys/report",
            "heading": "Key report",
            "expect": ["2 line(s) added, 0 line(s) removed", "v2"],
        },
        {
            "name": "key-scores",
            "path": "/keys/scores",
            "heading": "Key scores",
            "expect": ["1 row(s) added, 0 removed, 1 changed"],
        },
        {
            "name": "key-data",
            "path": "/keys/data",
            "heading": "Key data",
            "expect": ["1 line(s) added, 1 line(s) removed"],
        },
    ]
    plan = {
        "base": app_server.url,
        "token": client.token,
        "webappDir": str(WEBAPP),
        "outDir": str(OUTPUT),
        "pages": pages,
        "download": {"path": f"/artifacts/{seeded['text']['id']}", "staleUrl": seeded["stale"]},
        "live": {"path": f"/runs/{seeded['run']['id']}", "name": live_name},
    }
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    result = await _drive(plan_file, app_server, client, live_name)

    assert "expired" in result["badToken"]["alert"]
    assert "#token" not in result["signIn"]["url"]
    assert result["signIn"]["stored"]
    for name, page in result["pages"].items():
        bad = [v for v in page["axe"] if v["impact"] in ("serious", "critical")]
        assert not bad, (name, bad)
        assert (OUTPUT / f"{name}.png").stat().st_size > 0
    assert result["pwned"] is False
    assert result["dialogs"] == []
    assert result["csp"] == [], result["csp"]
    assert result["errors"] == []
    assert result["keyboard"]["reached"], result["keyboard"]
    assert result["download"]["staleStatus"] == 403
    assert result["download"]["failure"] is None
    assert result["download"]["bytes"] == "line one\nline two\n"
    assert result["live"]["seen"]
