"""Cairn against PostGraphile v4 on the same tables: nested lists and ``artifact(id:)``.

PostGraphile (``postgraphile/server.js``) connects as Cairn's service login and runs each
request with ``role = cairn_app`` and ``cairn.org_id`` from the verified bearer token, so
both systems pay for auth and row-level security.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import seed
from bench.ab import BY_ID, NESTED
from bench.peers import core
from bench.peers.wrk import Wire
from bench.proc import load, secret
from bench.stack import Stack, running_stack
from cairn.cli.embedded import free_ports, with_user

HERE = Path(__file__).resolve().parent / "postgraphile"
ORG = "peers"
ORDER = "orderBy: [CREATED_AT_DESC, ID_DESC]"
PG_NESTED = (
    "{ allWorkflows(first: %d, " + ORDER + ") { nodes { id name "
    "runs: workflowRunsByOrgIdAndWorkflowId(first: 10, " + ORDER + ") { nodes { id status "
    "artifacts: artifactsByOrgIdAndWorkflowRunId(first: 10, " + ORDER + ") { nodes { id key "
    "version type displayName mimeType sizeBytes createdAt } } } } } } }"
)
PG_BY_ID = (
    "query($org: String!, $id: UUID!) { artifactByOrgIdAndId(orgId: $org, id: $id) "
    "{ id key version type displayName sizeBytes } }"
)


def install() -> Path:
    """``npm ci`` the committed lock into the cache (skipped when it is already there)."""
    target = core.CACHE / "postgraphile"
    wanted = json.loads((HERE / "package.json").read_text())["dependencies"]["postgraphile"]
    installed = target / "node_modules" / "postgraphile" / "package.json"
    lock = target / "package-lock.json"
    if not (
        installed.exists()
        and json.loads(installed.read_text())["version"] == wanted
        and lock.exists()
        and filecmp.cmp(lock, HERE / "package-lock.json", shallow=False)
    ):
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, target / name)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=target, check=True
        )
    shutil.copy(HERE / "server.js", target / "server.js")
    return target


def _server(stack: Stack, target: Path) -> Callable[[], core.Server]:
    def start() -> core.Server:
        port = free_ports(1)[0]
        env = dict(
            os.environ,
            NODE_ENV="production",
            DATABASE_URL=with_user(stack.owner_dsn, "cairn_service"),
            JWT_SECRET=secret(stack.settings.jwt_secret),
            ORG_CLAIM=stack.settings.jwt_org_claim,
            PORT=str(port),
            DO_NOT_TRACK="1",
        )
        process = subprocess.Popen(["node", str(target / "server.js")], cwd=target, env=env)
        headers = {"authorization": f"Bearer {stack.token(ORG)}"}
        return core.Server("PostGraphile", process, port, headers)

    return start


def _artifact_ids(data: dict[str, Any], workflows: str, runs: str) -> list[str]:
    return [
        a["id"]
        for w in data[workflows]["nodes"]
        for r in w[runs]["nodes"]
        for a in r["artifacts"]["nodes"]
    ]


def _check(stack: Stack, running: dict[str, core.Server], artifact_id: str) -> None:
    """The same artifacts (ids, in order) from both systems, and none of them for another
    organization's token (row-level security applies to PostGraphile), or AssertionError."""
    cairn, peer = running["Cairn"].clients[0], running["PostGraphile"].clients[0]
    for n in (1, 10, 100):
        ours = _artifact_ids(core.graphql(NESTED % n)(cairn, 0), "workflows", "runs")
        theirs = _artifact_ids(core.graphql(PG_NESTED % n)(peer, 0), "allWorkflows", "runs")
        assert len(ours) == n * 100, (n, len(ours))
        assert ours == theirs, (n, len(ours), len(theirs))
    ours = core.graphql(BY_ID, {"id": artifact_id})(cairn, 0)["artifact"]
    theirs = core.graphql(PG_BY_ID, {"org": ORG, "id": artifact_id})(peer, 0)
    assert ours["id"] == theirs["artifactByOrgIdAndId"]["id"] == artifact_id, (ours, theirs)
    peer.headers["authorization"] = f"Bearer {stack.token('other')}"
    try:
        other = core.graphql(PG_NESTED % 1)(peer, 0)["allWorkflows"]["nodes"]
    finally:
        peer.headers["authorization"] = f"Bearer {stack.token(ORG)}"
    assert other == [], "PostGraphile sees another organization's rows"


def _wire(query: str, variables: dict[str, Any]) -> Callable[[core.Server], list[Wire]]:
    return lambda server: [core.graphql_wire(server.headers, query, variables)]


def cases(artifact_id: str, quick: bool) -> list[core.Case]:
    """Nested lists of 100, 1,000 and 10,000 artifacts and by-id, at 1 and 8 clients; by-id
    at 8 clients through wrk too."""
    scale = 5 if quick else 1
    specs = [
        ("nested, 100 artifacts", NESTED % 1, PG_NESTED % 1, {}, {}, 100, False),
        ("nested, 1,000 artifacts", NESTED % 10, PG_NESTED % 10, {}, {}, 30, False),
        ("nested, 10,000 artifacts", NESTED % 100, PG_NESTED % 100, {}, {}, 6, False),
        (
            "artifact(id:)",
            BY_ID,
            PG_BY_ID,
            {"id": artifact_id},
            {"org": ORG, "id": artifact_id},
            300,
            True,
        ),
    ]
    out = []
    for name, ours, theirs, our_vars, their_vars, n, cheap in specs:
        for clients in (1, core.CLIENTS):
            requests = {
                "Cairn": core.graphql(ours, our_vars),
                "PostGraphile": core.graphql(theirs, their_vars),
            }
            count = max(clients, n * (2 if clients > 1 else 1) // scale)
            wire = (
                {
                    "Cairn": _wire(ours, our_vars),
                    "PostGraphile": _wire(theirs, their_vars),
                }
                if cheap and clients > 1
                else None
            )
            out.append(core.Case(name, clients, count, requests, wire))
    return out


def main(repetitions: int, quick: bool) -> str:
    """Install, seed, start both servers, check answers, run, return the report."""
    target = install()
    with running_stack() as stack:
        seed.nested(stack, ORG, 100, 10, 10)
        seed.analyze(stack)
        artifact_id = str(
            stack.sql("SELECT id FROM artifacts ORDER BY created_at DESC LIMIT 1")[0]["id"]
        )
        with core.servers(core.cairn_server(stack, ORG), _server(stack, target)) as running:
            _check(stack, running, artifact_id)
            start_load = load()
            all_cases = cases(artifact_id, quick)
            results = core.run(
                running, all_cases, repetitions, "PostGraphile", core.tail_seconds(quick)
            )
            return core.report(
                "Cairn vs PostGraphile 4.14.1 (100 workflows x 10 runs x 10 artifacts)",
                all_cases,
                results,
                "PostGraphile",
                start_load,
                repetitions,
            )
