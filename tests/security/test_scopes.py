"""Scopes: artifacts:read for every query, artifacts:write to create or change,
artifacts:delete to delete. A missing scope is FORBIDDEN, and nothing runs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cairn.auth import SCOPE_DELETE, SCOPE_READ, SCOPE_WRITE
from tests.support.http import Client, Server


@dataclass(frozen=True)
class Op:
    name: str
    query: str
    scope: str
    variables: Callable[[dict[str, str]], dict[str, Any]] = lambda ids: {}
    granted_codes: tuple[str, ...] = ()  # the error codes with the scope granted: none


QUERIES = [
    Op("viewer", "{ viewer { subject } }", SCOPE_READ),
    Op(
        "workflow",
        "query($w: ID!) { workflow(id: $w) { id } }",
        SCOPE_READ,
        lambda i: {"w": i["wf"]},
    ),
    Op("workflowByName", '{ workflowByName(name: "scoped") { id } }', SCOPE_READ),
    Op("workflows", "{ workflows { totalCount } }", SCOPE_READ),
    Op("jobRun", "query($j: ID!) { jobRun(id: $j) { id } }", SCOPE_READ, lambda i: {"j": i["job"]}),
    Op("jobRuns", "{ jobRuns { nodes { id } } }", SCOPE_READ),
    Op(
        "workflowRun",
        "query($r: ID!) { workflowRun(id: $r) { id } }",
        SCOPE_READ,
        lambda i: {"r": i["run"]},
    ),
    Op("workflowRuns", "{ workflowRuns { nodes { id } } }", SCOPE_READ),
    Op(
        "artifact",
        "query($a: ID!) { artifact(id: $a) { id } }",
        SCOPE_READ,
        lambda i: {"a": i["art"]},
    ),
    Op("artifacts", "{ artifacts { totalCount } }", SCOPE_READ),
    Op("latestArtifacts", "{ latestArtifacts { nodes { id } } }", SCOPE_READ),
]

MUTATIONS = [
    Op("createWorkflow", 'mutation { createWorkflow(input: {name: "made"}) { id } }', SCOPE_WRITE),
    Op("createJobRun", "mutation { createJobRun(input: {}) { id } }", SCOPE_WRITE),
    Op(
        "setJobRunStatus",
        "mutation($j: ID!) { setJobRunStatus(id: $j, status: COMPLETED) { id } }",
        SCOPE_WRITE,
        lambda i: {"j": i["job"]},
    ),
    Op(
        "createWorkflowRun",
        "mutation($w: ID!) { createWorkflowRun(input: {workflowId: $w}) { id } }",
        SCOPE_WRITE,
        lambda i: {"w": i["wf"]},
    ),
    Op(
        "setWorkflowRunStatus",
        "mutation($r: ID!) { setWorkflowRunStatus(id: $r, status: FAILED) { id } }",
        SCOPE_WRITE,
        lambda i: {"r": i["run"]},
    ),
    Op(
        "createArtifact",
        'mutation { createArtifact(input: {type: MARKDOWN, displayName: "n.md"}, data: "# x") '
        "{ id } }",
        SCOPE_WRITE,
    ),
    Op(
        "beginArtifactUpload",
        'mutation($h: String!) { beginArtifactUpload(input: {type: TEXT, displayName: "b.txt"},'
        " sizeBytes: 3, sha256: $h) { artifact { id } } }",
        SCOPE_WRITE,
        lambda i: {"h": hashlib.sha256(b"abc").hexdigest()},
    ),
    Op(
        "completeArtifactUpload",
        "mutation($a: ID!) { completeArtifactUpload(id: $a) { id } }",
        SCOPE_WRITE,
        lambda i: {"a": i["pending"]},
        # its bytes were never uploaded: refused as input, but not FORBIDDEN
        granted_codes=("BAD_USER_INPUT",),
    ),
    Op(
        "updateArtifact",
        'mutation($a: ID!) { updateArtifact(id: $a, description: "changed") { id } }',
        SCOPE_WRITE,
        lambda i: {"a": i["art"]},
    ),
    Op(
        "deleteArtifact",
        "mutation($a: ID!) { deleteArtifact(id: $a) { deletedCount } }",
        SCOPE_DELETE,
        lambda i: {"a": i["art"]},
    ),
    Op(
        "deleteArtifactsByKey",
        'mutation { deleteArtifactsByKey(key: "scoped-key") { deletedCount } }',
        SCOPE_DELETE,
    ),
]

SCOPE_SETS = [
    (),
    (SCOPE_READ,),
    (SCOPE_WRITE,),
    (SCOPE_DELETE,),
    (SCOPE_READ, SCOPE_DELETE),
    ("artifacts:admin", "read", "ARTIFACTS:READ"),
]


def seed(owner: Client) -> dict[str, str]:
    wf = owner('mutation { createWorkflow(input: {name: "scoped"}) { id } }')["createWorkflow"][
        "id"
    ]
    job = owner("mutation { createJobRun(input: {}) { id } }")["createJobRun"]["id"]
    run = owner(
        "mutation($w: ID!, $j: ID) { createWorkflowRun(input: {workflowId: $w, jobRunId: $j}) { id } }",
        {"w": wf, "j": job},
    )["createWorkflowRun"]["id"]
    art = owner(
        'mutation { createArtifact(input: {key: "scoped-key", type: MARKDOWN, displayName: "a.md"},'
        ' data: "# hi") { id } }'
    )["createArtifact"]["id"]
    pending = owner(
        'mutation($h: String!) { beginArtifactUpload(input: {type: TEXT, displayName: "p.txt"}, '
        "sizeBytes: 3, sha256: $h) { artifact { id } } }",
        {"h": hashlib.sha256(b"abc").hexdigest()},
    )["beginArtifactUpload"]["artifact"]["id"]
    return {"wf": wf, "job": job, "run": run, "art": art, "pending": pending}


def snapshot(owner: Client) -> str:
    data = owner(
        "{ workflows { nodes { id name } } jobRuns { nodes { id status } } "
        "workflowRuns { nodes { id status } } "
        "artifacts(filter: {status: [AVAILABLE, PENDING, FAILED]}) "
        "{ nodes { id status description version } } }"
    )
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=lambda s: "+".join(s) or "none")
def test_missing_scopes_are_forbidden_and_change_nothing(
    server: Server, client_factory: Callable[..., Client], scopes: tuple[str, ...]
) -> None:
    owner = client_factory()
    ids = seed(owner)
    before = snapshot(owner)
    limited = client_factory(org_id=owner.org_id, scopes=scopes)
    checked = 0
    for op in [*QUERIES, *MUTATIONS]:
        if op.scope in scopes:
            continue
        with server.count_statements() as seen:
            errors = limited.errors(op.query, op.variables(ids))
        assert errors.codes == ["FORBIDDEN"], (op.name, errors.errors)
        assert op.scope in errors.errors[0]["message"], op.name
        assert seen == [], (op.name, seen)
        checked += 1
    assert checked >= 9  # every scope set lacks at least the two delete mutations or more
    assert snapshot(owner) == before


def test_each_scope_grants_its_operations(client_factory: Callable[..., Client]) -> None:
    owner = client_factory()
    ids = seed(owner)
    granted = 0
    for scope in (SCOPE_READ, SCOPE_WRITE, SCOPE_DELETE):
        single = client_factory(org_id=owner.org_id, scopes=(scope,))
        for op in [*QUERIES, *MUTATIONS]:
            if op.scope != scope:
                continue
            body = single.raw(op.query, op.variables(ids)).json()
            codes = [e["extensions"]["code"] for e in body.get("errors", [])]
            assert codes == list(op.granted_codes), (scope, op.name, body)
            if not op.granted_codes:
                assert body["data"][op.name] is not None, (scope, op.name, body)
            else:
                assert "nothing was uploaded" in body["errors"][0]["message"], body
            granted += 1
    assert granted == len(QUERIES) + len(MUTATIONS)
    viewer = client_factory(org_id=owner.org_id, scopes=(SCOPE_READ,))
    assert viewer("{ viewer { scopes } }")["viewer"]["scopes"] == [SCOPE_READ]
    gone = owner("query($a: ID!) { artifact(id: $a) { id } }", {"a": ids["art"]})
    assert gone["artifact"] is None  # the delete-only token really deleted it


def test_upload_needs_write(server: Server, client_factory: Callable[..., Client]) -> None:
    reader = client_factory(scopes=(SCOPE_READ, SCOPE_DELETE))
    operations = json.dumps(
        {
            "query": "mutation($f: Upload!) { uploadArtifact(input: {type: TEXT, "
            'displayName: "u.txt"}, file: $f) { id } }',
            "variables": {"f": None},
        }
    )
    with server.count_statements() as seen:
        response = reader.http.post(
            "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
            files={"0": ("u.txt", b"hello", "text/plain")},
            headers={"Apollo-Require-Preflight": "true"},
        )
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert seen == []
    assert (
        reader("{ artifacts(filter: {status: [AVAILABLE, PENDING, FAILED]}) { totalCount } }")[
            "artifacts"
        ]["totalCount"]
        == 0
    )
