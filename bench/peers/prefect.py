"""Cairn against Prefect 3.8.8's REST artifact API, on one embedded PostgreSQL cluster.

Prefect runs ``prefect server start`` (no services, no UI, no analytics) from its own venv in
the cache dir, on a database of its own in the same cluster; Cairn serves the same
operations over GraphQL: creates with a key, filtered reads of 50, count, get by id, latest
by key, deletes by id.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from bench import seed
from bench.ab import BY_ID
from bench.peers import core
from bench.peers.wrk import Wire
from bench.proc import load
from bench.stack import Stack, running_stack
from cairn.cli.embedded import free_ports

VERSION = "3.8.8"
FASTAPI = "0.154.0"
ORG = "peers"
KEYS = 20
SEEDED = 200
MARKDOWN = "# Report %d\n\nA *small* markdown artifact, as a flow would publish it.\n"
TYPE_FILTER = {"artifacts": {"type": {"any_": ["markdown"]}}}

CREATE = (
    "mutation($k: String!, $d: JSON) { createArtifact(input: {key: $k, type: MARKDOWN, "
    'displayName: "report.md"}, data: $d) { id key version } }'
)
FILTER = (
    "{ artifacts(filter: {type: [MARKDOWN]}, first: 50) { nodes { id key version type "
    "displayName createdAt } } }"
)
COUNT = "{ artifacts(filter: {type: [MARKDOWN]}, first: 0) { totalCount } }"
LATEST = (
    "query($k: String!) { latestArtifacts(filter: {key: {eq: $k}}, first: 1) "
    "{ nodes { id key version } } }"
)
DELETE = "mutation($id: ID!) { deleteArtifact(id: $id) { deletedCount } }"


def install() -> Path:
    """A venv with prefect==3.8.8 and fastapi==0.154.0 in the cache (skipped if present)."""
    venv = core.CACHE / f"prefect-{VERSION}"
    python = venv / "bin" / "python"
    probe = "import prefect, fastapi; print(prefect.__version__, fastapi.__version__)"
    if python.exists():
        found = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.split() == [VERSION, FASTAPI]:
            return venv
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [python, "-m", "pip", "install", "-q", f"prefect=={VERSION}", f"fastapi=={FASTAPI}"],
        check=True,
    )
    return venv


def _database_url(stack: Stack) -> str:
    """A new database on the stack's cluster, as a SQLAlchemy asyncpg URL."""
    name = "prefect_bench"
    stack.sql(f'CREATE DATABASE "{name}"')
    parts = urlsplit(stack.owner_dsn)
    return urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}"))


def _server(stack: Stack, venv: Path) -> Callable[[], core.Server]:
    def start() -> core.Server:
        port = free_ports(1)[0]
        env = dict(
            os.environ,
            PREFECT_HOME=str(
                Path(stack.settings.data_dir).parent / "prefect-home"
            ),  # removed with the stack
            PREFECT_API_DATABASE_CONNECTION_URL=_database_url(stack),
            PREFECT_API_DATABASE_MIGRATE_ON_START="true",
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            PREFECT_SERVER_UI_ENABLED="false",
            PREFECT_UI_ENABLED="false",
            PREFECT_SERVER_LOGGING_LEVEL="WARNING",
            PREFECT_LOGGING_LEVEL="WARNING",
            DO_NOT_TRACK="1",
        )
        command = [str(venv / "bin" / "prefect"), "server", "start", "--host", "127.0.0.1"]
        process = subprocess.Popen(
            [*command, "--port", str(port), "--no-services"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        return core.Server("Prefect", process, port, {}, "/api/health")

    return start


class _Ids:
    """The ids each system created, so that the delete phase removes as many as were made."""

    def __init__(self) -> None:
        self.created: dict[str, list[str]] = {"Cairn": [], "Prefect": []}
        self.seeded: dict[str, str] = {}


def _requests(ids: _Ids) -> dict[str, dict[str, core.Request]]:
    """Each phase's request for each system; every one checks its answer."""

    def cairn_create(client: httpx.Client, i: int) -> None:
        data = core.graphql(CREATE, {"k": f"report-{i % KEYS}", "d": MARKDOWN % i})(client, i)
        ids.created["Cairn"].append(data["createArtifact"]["id"])

    def prefect_create(client: httpx.Client, i: int) -> None:
        body = {"key": f"report-{i % KEYS}", "type": "markdown", "data": MARKDOWN % i}
        ids.created["Prefect"].append(core.answer(client.post("/api/artifacts/", json=body))["id"])

    def cairn_filter(client: httpx.Client, i: int) -> None:
        assert len(core.graphql(FILTER)(client, i)["artifacts"]["nodes"]) == 50

    def prefect_filter(client: httpx.Client, _: int) -> None:
        body = dict(TYPE_FILTER, limit=50, sort="CREATED_DESC")
        assert len(core.answer(client.post("/api/artifacts/filter", json=body))) == 50

    def cairn_count(client: httpx.Client, i: int) -> None:
        assert core.graphql(COUNT)(client, i)["artifacts"]["totalCount"] >= SEEDED

    def prefect_count(client: httpx.Client, _: int) -> None:
        assert core.answer(client.post("/api/artifacts/count", json=TYPE_FILTER)) >= SEEDED

    def cairn_get(client: httpx.Client, i: int) -> None:
        found = core.graphql(BY_ID, {"id": ids.seeded["Cairn"]})(client, i)["artifact"]
        assert found["id"] == ids.seeded["Cairn"]

    def prefect_get(client: httpx.Client, _: int) -> None:
        found = core.answer(client.get(f"/api/artifacts/{ids.seeded['Prefect']}"))
        assert found["id"] == ids.seeded["Prefect"]

    def cairn_latest(client: httpx.Client, i: int) -> None:
        key = f"report-{i % KEYS}"
        nodes = core.graphql(LATEST, {"k": key})(client, i)["latestArtifacts"]["nodes"]
        assert nodes[0]["key"] == key

    def prefect_latest(client: httpx.Client, i: int) -> None:
        key = f"report-{i % KEYS}"
        assert core.answer(client.get(f"/api/artifacts/{key}/latest"))["key"] == key

    def cairn_delete(client: httpx.Client, i: int) -> None:
        target = ids.created["Cairn"].pop()
        deleted = core.graphql(DELETE, {"id": target})(client, i)["deleteArtifact"]
        assert deleted["deletedCount"] == 1

    def prefect_delete(client: httpx.Client, _: int) -> None:
        target = ids.created["Prefect"].pop()
        assert client.delete(f"/api/artifacts/{target}").status_code == 204

    return {
        "create (key, markdown)": {"Cairn": cairn_create, "Prefect": prefect_create},
        "filter by type, 50": {"Cairn": cairn_filter, "Prefect": prefect_filter},
        "count": {"Cairn": cairn_count, "Prefect": prefect_count},
        "get by id": {"Cairn": cairn_get, "Prefect": prefect_get},
        "latest by key": {"Cairn": cairn_latest, "Prefect": prefect_latest},
        "delete by id": {"Cairn": cairn_delete, "Prefect": prefect_delete},
    }


def _wires(ids: _Ids) -> dict[str, dict[str, Callable[[core.Server], list[Wire]]]]:
    """The cheap reads' requests as wrk sends them (latest by key cycles over the keys)."""
    json_body = {"content-type": "application/json"}
    keys = [f"report-{i}" for i in range(KEYS)]
    return {
        "count": {
            "Cairn": lambda s: [core.graphql_wire(s.headers, COUNT)],
            "Prefect": lambda s: [
                Wire("POST", "/api/artifacts/count", json.dumps(TYPE_FILTER), json_body)
            ],
        },
        "get by id": {
            "Cairn": lambda s: [core.graphql_wire(s.headers, BY_ID, {"id": ids.seeded["Cairn"]})],
            "Prefect": lambda s: [Wire("GET", f"/api/artifacts/{ids.seeded['Prefect']}")],
        },
        "latest by key": {
            "Cairn": lambda s: [core.graphql_wire(s.headers, LATEST, {"k": k}) for k in keys],
            "Prefect": lambda s: [Wire("GET", f"/api/artifacts/{k}/latest") for k in keys],
        },
    }


def cases(ids: _Ids, quick: bool) -> list[core.Case]:
    """Every phase at 1 and 8 clients; creates and deletes balance within a repetition;
    the cheap reads at 8 clients through wrk too."""
    counts = {"create (key, markdown)": 50, "delete by id": 50}
    wires = _wires(ids)
    out = []
    for name, requests in _requests(ids).items():
        for clients in (1, core.CLIENTS):
            n = counts.get(name, 150 if clients == 1 else 300)
            count = max(8, n // 4) if quick else n
            wire = wires.get(name) if clients > 1 else None
            out.append(core.Case(name, clients, count, requests, wire))
    return out


def _seed(running: dict[str, core.Server], ids: _Ids, create: dict[str, core.Request]) -> None:
    """``SEEDED`` creates per system through its own API, then the same answers checked."""
    for name, server in running.items():
        for i in range(SEEDED):
            create[name](server.clients[0], i)
        ids.seeded[name] = ids.created[name][0]
        ids.created[name].clear()
    cairn, prefect = running["Cairn"].clients[0], running["Prefect"].clients[0]
    ours = core.graphql(COUNT)(cairn, 0)["artifacts"]["totalCount"]
    theirs = core.answer(prefect.post("/api/artifacts/count", json=TYPE_FILTER))
    assert ours == theirs == SEEDED, (ours, theirs)
    key = "report-7"
    latest: Any = core.graphql(LATEST, {"k": key})(cairn, 0)["latestArtifacts"]["nodes"][0]
    peer_latest = core.answer(prefect.get(f"/api/artifacts/{key}/latest"))
    assert latest["version"] == SEEDED // KEYS, latest
    assert peer_latest["data"] == MARKDOWN % (SEEDED - KEYS + 7), peer_latest


def main(repetitions: int, quick: bool) -> str:
    """Install, start both servers, seed through their APIs, run, return the report."""
    venv = install()
    with running_stack() as stack:
        seed.organization(stack, ORG)
        ids = _Ids()
        all_cases = cases(ids, quick)
        with core.servers(core.cairn_server(stack, ORG), _server(stack, venv)) as running:
            _seed(running, ids, all_cases[0].requests)
            start_load = load()
            results = core.run(running, all_cases, repetitions, "Prefect", core.tail_seconds(quick))
            for name in running:
                assert not ids.created[name], f"{name}: creates and deletes did not balance"
            return core.report(
                f"Cairn vs Prefect {VERSION} (REST artifact API, fastapi {FASTAPI}), "
                f"{SEEDED} artifacts seeded through each API, {KEYS} keys",
                all_cases,
                results,
                "Prefect",
                start_load,
                repetitions,
            )
