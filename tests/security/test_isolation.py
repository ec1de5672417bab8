"""Organization isolation: with org A's token, try org B's ids on every query, filter,
relationship field and mutation. A finds nothing of B's, gets the same answer as for an
id that does not exist, and B's data is unchanged. The database enforces it too."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from minio import Minio

from tests.support.catalog import create_job, create_run, create_workflow
from tests.support.http import Client
from tests.support.stack import Stack, fetch, run

ALL_STATUSES = "status: [AVAILABLE, PENDING, FAILED]"

# One request per probed id: every query, filter and relationship field at once (aliases).
PROBE = """
query($id: ID!) {
  workflow(id: $id) { id name }
  jobRun(id: $id) { id name }
  workflowRun(id: $id) { id name }
  artifact(id: $id) { id displayName signedUrl { url } }
  wfEq: workflows(filter: {id: {eq: $id}}) { totalCount nodes { id name } }
  wfIn: workflows(filter: {id: {in: [$id]}}) { totalCount }
  jobs: jobRuns(filter: {id: {eq: $id}}) { totalCount nodes { id } }
  runsById: workflowRuns(filter: {id: {eq: $id}}) { totalCount nodes { id } }
  runsByWf: workflowRuns(filter: {workflowId: {eq: $id}}) { totalCount nodes { id } }
  runsByJob: workflowRuns(filter: {jobRunId: {eq: $id}}) { totalCount nodes { id } }
  artById: artifacts(filter: {id: {eq: $id}, STATUSES}) { totalCount nodes { id } }
  artByWf: artifacts(filter: {workflowId: {eq: $id}, STATUSES}) { totalCount nodes { id } }
  artByRun: artifacts(filter: {workflowRunId: {eq: $id}, STATUSES}) { totalCount nodes { id } }
  artByJob: artifacts(filter: {jobRunId: {eq: $id}, STATUSES}) { totalCount nodes { id } }
  artByRel: artifacts(filter: {workflowRun: {id: {eq: $id}}}) { totalCount nodes { id } }
  latest: latestArtifacts(filter: {id: {eq: $id}}) { totalCount nodes { id } }
  relWf: workflows { nodes { runs(filter: {id: {eq: $id}}) { totalCount }
    artifacts(filter: {workflowRunId: {eq: $id}}) { totalCount } } }
  relJob: jobRuns { nodes { workflowRuns(filter: {workflowId: {eq: $id}}) { totalCount }
    artifacts(filter: {id: {eq: $id}}) { totalCount } } }
  relRun: workflowRuns { nodes { artifacts(filter: {jobRunId: {eq: $id}}) { totalCount } } }
}
""".replace("STATUSES", ALL_STATUSES)
PROBE_FIELDS = 19

SHA_ABC = hashlib.sha256(b"abc").hexdigest()
MUTATIONS = [
    "mutation($id: ID!) { setJobRunStatus(id: $id, status: FAILED) { id status } }",
    "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: FAILED) { id status } }",
    "mutation($id: ID!) { createWorkflowRun(input: {workflowId: $id}) { id } }",
    "mutation($id: ID!, $own: ID!) { createWorkflowRun(input: {workflowId: $own, jobRunId: $id})"
    " { id } }",
    "mutation($id: ID!) { createArtifact(input: {workflowRunId: $id, type: MARKDOWN,"
    ' displayName: "x.md"}, data: "# x") { id } }',
    "mutation($id: ID!) { beginArtifactUpload(input: {workflowRunId: $id, type: TEXT,"
    f' displayName: "x.txt"}}, sizeBytes: 3, sha256: "{SHA_ABC}") {{ artifact {{ id }} }} }}',
    "mutation($id: ID!) { completeArtifactUpload(id: $id) { id status } }",
    'mutation($id: ID!) { updateArtifact(id: $id, description: "pwned", metadata: {a: 1},'
    ' category: "pwned", displayName: "pwned.md") { id } }',
    "mutation($id: ID!) { deleteArtifact(id: $id) { deletedCount } }",
]


UPLOAD_INTO_RUN = (
    "mutation($id: ID!, $f: Upload!) { uploadArtifact(input: {workflowRunId: $id, type: TEXT,"
    ' displayName: "x.txt"}, file: $f) { id } }'
)


def upload_into(a: Client, run_id: str) -> dict[str, Any]:
    """A multipart uploadArtifact into the run ``run_id`` (the GraphQL multipart spec)."""
    operations = json.dumps({"query": UPLOAD_INTO_RUN, "variables": {"id": run_id, "f": None}})
    response = a.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("x.txt", b"planted by another organization", "text/plain")},
        headers={"Apollo-Require-Preflight": "true"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def bucket_objects(stack: Stack) -> set[str]:
    store = Minio(
        stack.s3_url.removeprefix("http://"),
        access_key=stack.s3_access_key,
        secret_key=stack.s3_secret_key,
        secure=False,
        region="us-east-1",
    )
    return {o.object_name or "" for o in store.list_objects(stack.bucket, recursive=True)}


def owner_snapshot(b: Client) -> str:
    """Everything B can see of its own data (as B), in a stable form."""
    data = b(
        "{ workflows { nodes { id name description tags updatedAt } } "
        "jobRuns { nodes { id name status metadata startedAt endedAt } } "
        "workflowRuns { nodes { id status jobRun { id } workflow { id } } } "
        f"artifacts(first: 500, filter: {{{ALL_STATUSES}}}) {{ nodes {{ id key version isLatest "
        "status description category displayName metadata sha256 sizeBytes updatedAt } } }"
    )
    return json.dumps(data, sort_keys=True)


def seed_b(b: Client) -> tuple[list[str], list[str]]:
    """B's ids and names: 3 workflows, 3 job runs, 6 runs, 14 artifacts (some pending)."""
    ids: list[str] = []
    names: list[str] = []
    runs: list[str] = []
    for n in range(3):
        name = f"b-secret-workflow-{n}"
        wf = b("mutation($n: String!) { createWorkflow(input: {name: $n}) { id } }", {"n": name})
        job = b('mutation { createJobRun(input: {name: "b-secret-job"}) { id } }')
        wf_id, job_id = wf["createWorkflow"]["id"], job["createJobRun"]["id"]
        ids += [wf_id, job_id]
        names.append(name)
        for _ in range(2):
            made = b(
                "mutation($w: ID!, $j: ID) { createWorkflowRun(input: {workflowId: $w, "
                'jobRunId: $j, name: "b-secret-run"}) { id } }',
                {"w": wf_id, "j": job_id},
            )
            runs.append(made["createWorkflowRun"]["id"])
    ids += runs
    names += ["b-secret-job", "b-secret-run"]
    for n, run_id in enumerate(runs):
        made = b(
            "mutation($r: ID!, $d: String!) { createArtifact(input: {workflowRunId: $r, "
            'key: "shared-key", type: MARKDOWN, displayName: $d, description: "b-secret-desc"},'
            ' data: "# b-secret-body") { id } }',
            {"r": run_id, "d": f"b-secret-{n}.md"},
        )
        ids.append(made["createArtifact"]["id"])
        content = base64.b64encode(f"b-secret-bytes-{n}".encode()).decode()
        made = b(
            "mutation($r: ID!, $c: String!) { createArtifact(input: {workflowRunId: $r, "
            'type: TEXT, displayName: "b-secret-file.txt"}, contentBase64: $c) { id } }',
            {"r": run_id, "c": content},
        )
        ids.append(made["createArtifact"]["id"])
    for _ in range(2):
        pending = b(
            "mutation($h: String!) { beginArtifactUpload(input: {type: TEXT, displayName: "
            '"b-secret-pending.txt"}, sizeBytes: 3, sha256: $h) { artifact { id } } }',
            {"h": SHA_ABC},
        )
        ids.append(pending["beginArtifactUpload"]["artifact"]["id"])
    names += ["b-secret-file.txt", "b-secret-pending.txt", "b-secret-desc", "b-secret-body"]
    return ids, names


def normalised(body: dict[str, Any], sent: str) -> str:
    """The response with the id we sent and the request ids blanked out."""
    text = json.dumps(body, sort_keys=True).replace(sent, "<ID>")
    return re.sub(r'"requestId": "[0-9a-f]+"', '"requestId": "-"', text)


def test_org_a_cannot_reach_org_b(client: Client, other: Client, stack: Stack) -> None:
    a, b = client, other
    b_ids, b_names = seed_b(b)
    own_wf = a('mutation { createWorkflow(input: {name: "a-flow"}) { id } }')["createWorkflow"][
        "id"
    ]
    own_job = a("mutation { createJobRun(input: {}) { id } }")["createJobRun"]["id"]
    own_run = a(
        "mutation($w: ID!, $j: ID) { createWorkflowRun(input: {workflowId: $w, jobRunId: $j})"
        " { id } }",
        {"w": own_wf, "j": own_job},
    )["createWorkflowRun"]["id"]
    a(
        'mutation($r: ID!) { createArtifact(input: {workflowRunId: $r, key: "a-key", '
        'type: MARKDOWN, displayName: "a.md"}, data: "# a") { id } }',
        {"r": own_run},
    )
    before = owner_snapshot(b)
    rows_before = fetch(
        stack.owner_dsn,
        "SELECT (SELECT count(*) FROM artifacts WHERE org_id = $1), "
        "(SELECT count(*) FROM workflow_runs WHERE org_id = $1), "
        "(SELECT count(*) FROM artifact_keys WHERE org_id = $1)",
        b.org_id,
    )
    objects_before = bucket_objects(stack)
    fakes = [str(uuid.uuid4()) for _ in b_ids]
    attempts = 0
    leaks = [*b_names, *b_ids]
    for real, fake in zip(b_ids, fakes, strict=True):
        answers: dict[str, list[str]] = {real: [], fake: []}
        for ident in (real, fake):
            body = a.raw(PROBE, {"id": ident}).json()
            assert "errors" not in body, body
            data = body["data"]
            for field in ("workflow", "jobRun", "workflowRun", "artifact"):
                assert data[field] is None
            attempts += PROBE_FIELDS
            answers[ident].append(normalised(body, ident))
            for mutation in MUTATIONS:
                body = a.raw(mutation, {"id": ident, "own": own_wf}).json()
                codes = [e["extensions"]["code"] for e in body.get("errors", [])]
                assert codes == ["NOT_FOUND"], (mutation, body)
                attempts += 1
                answers[ident].append(normalised(body, ident))
            body = upload_into(a, ident)
            codes = [e["extensions"]["code"] for e in body.get("errors", [])]
            assert codes == ["NOT_FOUND"], body
            attempts += 1
            answers[ident].append(normalised(body, ident))
        assert answers[real] == answers[fake]
        text = "\n".join(answers[real])
        for secret in leaks:
            assert secret not in text, secret
    # Nothing A tried created anything, for A either: its one artifact, no upload object.
    a_rows = fetch(stack.owner_dsn, "SELECT count(*) FROM artifacts WHERE org_id = $1", a.org_id)
    assert a_rows[0][0] == 1
    assert bucket_objects(stack) == objects_before
    # Names and keys: B's workflow name and artifact key mean nothing to A.
    for name in b_names:
        found = a("query($n: String!) { workflowByName(name: $n) { id } }", {"n": name})
        assert found["workflowByName"] is None
        attempts += 1
    gone = a('mutation { deleteArtifactsByKey(key: "shared-key") { deletedCount } }')
    assert gone["deleteArtifactsByKey"]["deletedCount"] == 0
    mine = a(
        'mutation { createArtifact(input: {key: "shared-key", type: MARKDOWN, '
        'displayName: "a2.md"}, data: "# a") { id version versions { totalCount nodes { id } } } }'
    )["createArtifact"]
    assert mine["version"] == 1  # B's six versions of the same key are invisible
    assert mine["versions"]["totalCount"] == 1
    same_name = a('mutation { createWorkflow(input: {name: "b-secret-workflow-0"}) { id } }')[
        "createWorkflow"
    ]["id"]
    assert same_name not in b_ids
    attempts += 3
    # A cursor made under B positions nothing for A and reveals nothing.
    cursor = b("{ artifacts(first: 1) { pageInfo { endCursor } } }")["artifacts"]["pageInfo"][
        "endCursor"
    ]
    paged = a.raw(
        "query($c: String) { artifacts(first: 50, after: $c) { nodes { id displayName } } }",
        {"c": cursor},
    ).json()
    assert not any(secret in json.dumps(paged) for secret in leaks), paged
    attempts += 1
    # A's whole view holds nothing of B's.
    everything = json.dumps(
        a(
            "{ workflows { nodes { id name runs { nodes { id } } } } jobRuns { nodes { id } } "
            f"artifacts(first: 500, filter: {{{ALL_STATUSES}}}) {{ nodes {{ id displayName "
            "versions { nodes { id } } } } latestArtifacts { nodes { id } } }"
        )
    )
    for secret in leaks:
        assert secret not in everything.replace('"b-secret-workflow-0"', ""), secret
    assert attempts >= 1000, attempts

    assert owner_snapshot(b) == before
    rows_after = fetch(
        stack.owner_dsn,
        "SELECT (SELECT count(*) FROM artifacts WHERE org_id = $1), "
        "(SELECT count(*) FROM workflow_runs WHERE org_id = $1), "
        "(SELECT count(*) FROM artifact_keys WHERE org_id = $1)",
        b.org_id,
    )
    assert list(rows_after[0]) == list(rows_before[0])
    # B's signed URLs still work for B (its objects were not deleted by A's attempts).
    urls = b("{ artifacts(filter: {type: [TEXT]}) { nodes { signedUrl { url } } } }")
    assert len(urls["artifacts"]["nodes"]) == 6


def test_every_org_table_forces_row_level_security(stack: Stack) -> None:
    rows = fetch(
        stack.owner_dsn,
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
        "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
    )
    tables = {r["relname"] for r in rows}
    assert {"workflows", "job_runs", "workflow_runs", "artifacts", "artifact_keys"} <= tables
    for row in rows:
        assert row["relrowsecurity"], row["relname"]
        assert row["relforcerowsecurity"], row["relname"]
        assert row["policies"] >= 1, row["relname"]


async def in_transaction(conn: asyncpg.Connection, sql: str) -> None:
    async with conn.transaction():
        await conn.execute(sql)


def test_service_role_cannot_bypass_rls(stack: Stack, other: Client) -> None:
    b = other
    b('mutation { createWorkflow(input: {name: "rls-probe"}) { id } }')
    roles = fetch(
        stack.owner_dsn,
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles "
        "WHERE rolname IN ('cairn_app', 'cairn_service')",
    )
    assert len(roles) == 2
    for role in roles:
        assert not role["rolsuper"], role
        assert not role["rolbypassrls"], role
    owned = fetch(
        stack.owner_dsn,
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE r.rolname IN ('cairn_app', 'cairn_service')",
    )
    assert owned[0][0] == 0

    async def probe() -> None:
        conn = await asyncpg.connect(stack.service_dsn)
        try:
            # No organization set: nothing visible, with or without the app role.
            assert await conn.fetchval("SELECT count(*) FROM workflows") == 0
            async with conn.transaction():
                await conn.execute("SET LOCAL ROLE cairn_app")
                assert await conn.fetchval("SELECT count(*) FROM workflows") == 0
            async with conn.transaction():
                await conn.execute("SET LOCAL ROLE cairn_app")
                await conn.execute("SELECT set_config('cairn.org_id', 'org-other', true)")
                assert await conn.fetchval("SELECT count(*) FROM workflows") == 0
                changed = await conn.execute(
                    "UPDATE workflows SET name = 'pwned' WHERE org_id = $1", b.org_id
                )
                assert changed == "UPDATE 0"
                assert await conn.execute("DELETE FROM workflows WHERE org_id = $1", b.org_id) == (
                    "DELETE 0"
                )
            planted = (
                "SELECT set_config('cairn.org_id', 'org-other', true); "
                f"INSERT INTO workflows (org_id, name) VALUES ('{b.org_id}', 'planted')"
            )
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await in_transaction(conn, planted)
            unguarded = "SET LOCAL row_security = off; SELECT count(*) FROM workflows"
            with pytest.raises(asyncpg.PostgresError):
                await in_transaction(conn, unguarded)
            for statement in (
                "ALTER TABLE workflows DISABLE ROW LEVEL SECURITY",
                "ALTER TABLE workflows NO FORCE ROW LEVEL SECURITY",
                "DROP POLICY org_isolation ON workflows",
                "SET ROLE postgres",
            ):
                with pytest.raises(asyncpg.PostgresError):
                    await conn.execute(statement)
        finally:
            await conn.close()

    run(probe())
    names = fetch(stack.owner_dsn, "SELECT name FROM workflows WHERE org_id = $1", b.org_id)
    assert [r["name"] for r in names] == ["rls-probe"]


# ------------------------------------------------------------------------------------------
# Merged from tests/test_foundation_orgs.py:
# Two organizations: each sees only its own rows, through every query, mutation and
# relationship; the other's ids behave exactly like ids that do not exist.


@dataclass
class Tree:
    client: Client
    workflow: str
    job: str
    run: str
    name: str


def _tree(client: Client, name: str) -> Tree:
    wf = create_workflow(client, name, tags=["shared-tag"])
    job = create_job(client, name=name)
    run = create_run(client, wf["id"], jobRunId=job["id"], name=name)
    return Tree(client, wf["id"], job["id"], run["id"], name)


@pytest.fixture
def trees(client: Client, other: Client) -> tuple[Tree, Tree]:
    return _tree(client, "shared-name"), _tree(other, "shared-name")


def _without_ids(error: dict[str, Any], *ids: str) -> dict[str, Any]:
    message = error["message"]
    for ident in ids:
        message = message.replace(ident, "<id>")
    return {"message": message, "code": error["extensions"]["code"], "path": error["path"]}


def test_same_name_is_a_different_workflow_per_org(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    assert a.workflow != b.workflow
    again = create_workflow(a.client, "shared-name")
    assert again["id"] == a.workflow
    assert a.client('{ workflowByName(name: "shared-name") { id } }') == {
        "workflowByName": {"id": a.workflow}
    }


def test_lists_show_only_own_rows(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    data = a.client(
        "{ workflows { totalCount nodes { id runs { totalCount nodes { id } } } }"
        "  jobRuns { totalCount nodes { id workflowRuns { totalCount nodes { id } } } }"
        "  workflowRuns { totalCount nodes { id workflow { id } jobRun { id } } } }"
    )
    assert data == {
        "workflows": {
            "totalCount": 1,
            "nodes": [{"id": a.workflow, "runs": {"totalCount": 1, "nodes": [{"id": a.run}]}}],
        },
        "jobRuns": {
            "totalCount": 1,
            "nodes": [{"id": a.job, "workflowRuns": {"totalCount": 1, "nodes": [{"id": a.run}]}}],
        },
        "workflowRuns": {
            "totalCount": 1,
            "nodes": [{"id": a.run, "workflow": {"id": a.workflow}, "jobRun": {"id": a.job}}],
        },
    }
    assert b.client("{ workflows { nodes { id } } }") == {
        "workflows": {"nodes": [{"id": b.workflow}]}
    }


def test_the_other_orgs_ids_are_null_from_queries(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    data = a.client(
        "query($w: ID!, $j: ID!, $r: ID!) { workflow(id: $w) { id } jobRun(id: $j) { id }"
        " workflowRun(id: $r) { id } }",
        {"w": b.workflow, "j": b.job, "r": b.run},
    )
    assert data == {"workflow": None, "jobRun": None, "workflowRun": None}


@pytest.mark.parametrize(
    ("field", "filter_"),
    [
        ("workflows", {"id": {"eq": "B_WORKFLOW"}}),
        ("workflows", {"id": {"in": ["B_WORKFLOW"]}}),
        ("workflows", {"tags": ["shared-tag"], "name": {"eq": "shared-name"}}),
        ("jobRuns", {"id": {"eq": "B_JOB"}}),
        ("workflowRuns", {"id": {"eq": "B_RUN"}}),
        ("workflowRuns", {"workflowId": {"eq": "B_WORKFLOW"}}),
        ("workflowRuns", {"jobRunId": {"in": ["B_JOB"]}}),
    ],
)
def test_filters_on_the_other_orgs_ids_find_nothing(
    trees: tuple[Tree, Tree], field: str, filter_: dict[str, Any]
) -> None:
    a, b = trees
    text = (
        json.dumps(filter_)
        .replace("B_WORKFLOW", b.workflow)
        .replace("B_JOB", b.job)
        .replace("B_RUN", b.run)
    )
    resolved = json.loads(text)
    type_name = {"workflows": "WorkflowFilter", "jobRuns": "JobRunFilter"}.get(
        field, "WorkflowRunFilter"
    )
    data = a.client(
        f"query($f: {type_name}) {{ {field}(filter: $f) {{ totalCount nodes {{ id }} }} }}",
        {"f": resolved},
    )
    own = field == "workflows" and "tags" in filter_
    expected = [{"id": a.workflow}] if own else []
    assert data == {field: {"totalCount": len(expected), "nodes": expected}}


def test_status_change_of_the_other_orgs_run_is_not_found_and_changes_nothing(
    stack: Stack, trees: tuple[Tree, Tree]
) -> None:
    a, b = trees
    absent = str(uuid.uuid4())
    for mutation, target in (
        ("setWorkflowRunStatus", b.run),
        ("setJobRunStatus", b.job),
    ):
        query = f"mutation($id: ID!) {{ {mutation}(id: $id, status: CANCELLED) {{ id }} }}"
        theirs = a.client.errors(query, {"id": target}).errors[0]
        missing = a.client.errors(query, {"id": absent}).errors[0]
        assert theirs["extensions"]["code"] == "NOT_FOUND"
        assert _without_ids(theirs, target) == _without_ids(missing, absent)
    run = fetch(stack.owner_dsn, "SELECT status, ended_at FROM workflow_runs WHERE id = $1", b.run)
    job = fetch(stack.owner_dsn, "SELECT status, ended_at FROM job_runs WHERE id = $1", b.job)
    assert [tuple(r.values()) for r in run] == [("RUNNING", None)]
    assert [tuple(r.values()) for r in job] == [("RUNNING", None)]
    assert b.client(f'{{ workflowRun(id: "{b.run}") {{ status endedAt }} }}') == {
        "workflowRun": {"status": "RUNNING", "endedAt": None}
    }


def test_creating_a_run_on_the_other_orgs_rows_is_not_found(
    stack: Stack, trees: tuple[Tree, Tree]
) -> None:
    a, b = trees
    absent = str(uuid.uuid4())
    query = "mutation($i: CreateWorkflowRunInput!) { createWorkflowRun(input: $i) { id } }"
    cases = [
        ({"workflowId": b.workflow}, {"workflowId": absent}),
        (
            {"workflowId": a.workflow, "jobRunId": b.job},
            {"workflowId": a.workflow, "jobRunId": absent},
        ),
    ]
    for theirs, missing in cases:
        their_error = a.client.errors(query, {"i": theirs}).errors[0]
        missing_error = a.client.errors(query, {"i": missing}).errors[0]
        assert their_error["extensions"]["code"] == "NOT_FOUND"
        assert _without_ids(their_error) == _without_ids(missing_error)
    counts = fetch(
        stack.owner_dsn,
        "SELECT org_id, count(*) AS n FROM workflow_runs WHERE org_id = ANY($1::text[]) "
        "GROUP BY org_id ORDER BY org_id",
        [a.client.org_id, b.client.org_id],
    )
    assert sorted(r["n"] for r in counts) == [1, 1]


def test_relationships_never_cross_orgs(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    # B's runs hang off B's workflow and job; from A, following A's rows never reaches them.
    data = a.client(
        "query($w: ID!, $j: ID!) { workflow(id: $w) { runs { nodes { id } } }"
        " jobRun(id: $j) { workflowRuns { nodes { id } } } }",
        {"w": a.workflow, "j": a.job},
    )
    assert data == {
        "workflow": {"runs": {"nodes": [{"id": a.run}]}},
        "jobRun": {"workflowRuns": {"nodes": [{"id": a.run}]}},
    }
    b_view = b.client(
        "query($r: ID!) { workflowRun(id: $r) { workflow { id } jobRun { id } } }", {"r": b.run}
    )
    assert b_view == {"workflowRun": {"workflow": {"id": b.workflow}, "jobRun": {"id": b.job}}}
