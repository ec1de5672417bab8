"""Relay (npm ``relay-compiler``, pinned in tests/clients/js) compiles a ``@refetchable``
fragment on WorkflowRun with a forward and a backward ``@connection`` on its artifacts
against the committed schema.graphql, and the queries it generates run against Cairn:
refetch through ``node(id:)``, page forward with first/after and backward with last/before.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from tests.support.artifacts import Seeder, make_run
from tests.support.http import Client
from tests.support.js_clients import js_ready, node
from tests.support.processes import REPO
from tests.support.stack import Stack

FORWARD = """
graphql`
  fragment RunArtifacts_run on WorkflowRun
  @refetchable(queryName: "RunArtifactsPaginationQuery")
  @argumentDefinitions(
    count: {type: "Int", defaultValue: 2}
    cursor: {type: "String"}
  ) {
    id
    name
    artifacts(first: $count, after: $cursor) @connection(key: "RunArtifacts_artifacts") {
      edges { node { id displayName } }
    }
  }
`;
"""
BACKWARD = """
graphql`
  fragment RunHistory_run on WorkflowRun
  @refetchable(queryName: "RunHistoryPaginationQuery")
  @argumentDefinitions(
    last: {type: "Int", defaultValue: 2}
    before: {type: "String"}
  ) {
    id
    artifacts(last: $last, before: $before, sort: CREATED_ASC)
      @connection(key: "RunHistory_artifacts") {
      edges { node { id } }
    }
  }
`;
"""
CONFIG = {
    "src": "./src",
    "schema": "./schema.graphql",
    "language": "javascript",
    "artifactDirectory": "./src/__generated__",
}
TIMEOUT = 300  # seconds: generous, for a loaded machine; the compile takes about one


def _compile(tmp_path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "src" / "__generated__").mkdir(parents=True)
    (tmp_path / "src" / "RunArtifacts.js").write_text(FORWARD)
    (tmp_path / "src" / "RunHistory.js").write_text(BACKWARD)
    (tmp_path / "schema.graphql").write_text(schema)
    (tmp_path / "relay.config.json").write_text(json.dumps(CONFIG))
    # Relay writes ES modules (export default): mark the folder's .js files as such.
    (tmp_path / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    cli = js_ready() / "node_modules" / "relay-compiler" / "cli.js"
    return subprocess.run(
        [node(), str(cli), "--noWatchman"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _params(generated: Path) -> dict[str, Any]:
    """The operation Relay generated (name and text), read by node from the module."""
    script = (
        "const q = (await import(process.argv[1])).default;console.log(JSON.stringify(q.params));"
    )
    out = subprocess.run(
        [node(), "--input-type=module", "-e", script, generated.as_uri()],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT,
    )
    params: dict[str, Any] = json.loads(out.stdout)
    return params


def test_relay_compiles_refetchable_connections_and_its_queries_run(
    tmp_path: Path, client: Client, stack: Stack
) -> None:
    result = _compile(tmp_path, (REPO / "schema.graphql").read_text())
    assert result.returncode == 0, result.stdout + result.stderr
    generated = tmp_path / "src" / "__generated__"
    forward = _params(generated / "RunArtifactsPaginationQuery.graphql.js")
    backward = _params(generated / "RunHistoryPaginationQuery.graphql.js")
    assert "node(id: $id)" in forward["text"]
    assert re.search(r"artifacts\(last: \$last, before: \$before", backward["text"])

    run = make_run(client, "relay")
    seed = Seeder(stack, client.org_id)
    made = [seed.add(display_name=f"a{i}.txt", **run.link()) for i in range(5)]  # oldest first

    def execute(params: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
        body = {"query": params["text"], "operationName": params["name"], "variables": variables}
        response = client.http.post("/graphql", json=body)
        assert response.status_code == 200, response.text
        payload: dict[str, Any] = response.json()
        assert "errors" not in payload, payload
        return dict(payload["data"]["node"]["artifacts"])

    # Forward, as usePaginationFragment's loadNext sends it: newest first, two at a time.
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = execute(forward, {"id": run.id, "count": 2, "cursor": cursor})
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    assert seen == made[::-1]
    # Backward, as loadPrevious sends it: the end of the CREATED_ASC list, then before it.
    seen = []
    before = None
    for _ in range(5):
        page = execute(backward, {"id": run.id, "last": 2, "before": before})
        seen = [e["node"]["id"] for e in page["edges"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == made


def test_relay_refuses_the_schema_without_node(tmp_path: Path) -> None:
    """The check is real: the same sources against the schema as it was before Node."""
    schema = (REPO / "schema.graphql").read_text().replace(" implements Node", "")
    assert "implements" not in schema
    result = _compile(tmp_path, schema)
    assert result.returncode != 0
    assert "Invalid use of @refetchable" in result.stdout + result.stderr


def test_relay_compiler_is_the_pinned_native_binary() -> None:
    package = json.loads((js_ready() / "package.json").read_text())
    assert package["dependencies"]["relay-compiler"] == "21.0.1"
    cli = js_ready() / "node_modules" / "relay-compiler" / "cli.js"
    out = subprocess.run(
        [node(), str(cli), "--version"], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert out.stdout.strip() == "Relay Compiler 21.0.1", out.stdout + out.stderr
