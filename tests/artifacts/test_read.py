"""The artifact read path through HTTP: lookups, every filter, relationships, latest and
versions, totalCount, and organization isolation. Artifacts are seeded as the table owner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.artifacts import ARTIFACT_FIELDS, Run, Seeder, at, ids_of, make_run
from tests.support.http import Client
from tests.support.stack import Stack, fetch

LIST = """
query($f: ArtifactFilter, $s: ArtifactSort, $n: Int, $a: String) {
  artifacts(filter: $f, sort: $s, first: $n, after: $a) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""
LATEST = LIST.replace("artifacts(", "latestArtifacts(")


@dataclass
class World:
    """Three runs over two job runs and three workflows, and nine artifacts:

    ===  =======  ===========  ====  =========  ==============  ==============  ====
    id   key      version      type  status     category        displayName     run
    ===  =======  ===========  ====  =========  ==============  ==============  ====
    a1   report   1            JSON  AVAILABLE  extracted_data  Report.json     A
    a2   report   2 (latest)   JSON  AVAILABLE  extracted_data  Report.json     A
    a3   -        -            PNG   AVAILABLE  Screenshot      shot.png        B
    a4   log      1 (latest)   TEXT  AVAILABLE  log_file        build.log       -
    a5   report   -            JSON  PENDING    extracted_data  Report.json     B
    a6   -        -            TEXT  FAILED     -               broken.txt      -
    a7   metrics  1 (latest)   CSV   AVAILABLE  extracted_data  Metrics.CSV     B
    a8   -        -            HTML  AVAILABLE  -               page.html       C
    ===  =======  ===========  ====  =========  ==============  ==============  ====

    Run A: workflow etl, job J1, COMPLETED. Runs B and C: job J2, FAILED and RUNNING,
    workflows train and serve. a<n> is created at at(n).
    """

    client: Client
    run_a: Run
    run_b: Run
    run_c: Run
    a: dict[int, str]


@pytest.fixture
def world(client: Client, stack: Stack) -> World:
    run_a = make_run(client, "etl", new_job=True, status="COMPLETED")
    run_b = make_run(client, "train", new_job=True, status="FAILED")
    run_c = make_run(client, "serve", job_run_id=run_b.job_run_id)
    seed = Seeder(stack, client.org_id)
    report = {
        "type": "JSON",
        "category": "extracted_data",
        "display_name": "Report.json",
        "mime_type": "application/json",
    }
    specs: list[dict[str, Any]] = [
        {"key": "report", "version": 1, **report, **run_a.link()},
        {"key": "report", "version": 2, "is_latest": True, **report, **run_a.link()},
        {
            "type": "PNG",
            "category": "Screenshot",
            "display_name": "shot.png",
            "mime_type": "image/png",
            **run_b.link(),
        },
        {
            "key": "log",
            "version": 1,
            "is_latest": True,
            "category": "log_file",
            "display_name": "build.log",
        },
        {"key": "report", "status": "PENDING", **report, **run_b.link()},
        {"status": "FAILED", "display_name": "broken.txt"},
        {
            "key": "metrics",
            "version": 1,
            "is_latest": True,
            "type": "CSV",
            "category": "extracted_data",
            "display_name": "Metrics.CSV",
            "mime_type": "text/csv",
            **run_b.link(),
        },
        {"type": "HTML", "display_name": "page.html", "mime_type": "text/html", **run_c.link()},
    ]
    ids = seed.insert([seed.row(created_at=at(n), **s) for n, s in enumerate(specs, start=1)])
    return World(client, run_a, run_b, run_c, {n: i for n, i in enumerate(ids, start=1)})


def listed(client: Client, flt: dict[str, Any] | None = None, **kw: Any) -> list[str]:
    variables = {"f": flt, "s": kw.get("sort"), "n": kw.get("first"), "a": kw.get("after")}
    data = client(kw.get("query", LIST), variables)
    conn = data.get("artifacts") or data["latestArtifacts"]
    assert conn["totalCount"] >= len(conn["nodes"])
    return ids_of(conn)


def expect(w: World, flt: dict[str, Any] | None, numbers: list[int]) -> None:
    """The filter lists exactly artifacts ``numbers`` (newest first), totalCount agreeing."""
    data = w.client(LIST, {"f": flt})["artifacts"]
    names = {v: k for k, v in w.a.items()}
    got = [names.get(i, i) for i in ids_of(data)]
    assert got == numbers, flt
    assert data["totalCount"] == len(numbers), flt


def test_default_lists_available_newest_first(world: World) -> None:
    expect(world, None, [8, 7, 4, 3, 2, 1])


@pytest.mark.parametrize(
    ("flt", "numbers"),
    [
        ({"id": {"eq": "A3"}}, [3]),  # ids are looked up by value, case-insensitively
        ({"id": {"in": ["A4", "A1"]}}, [4, 1]),
        ({"id": {"eq": "not-a-uuid"}}, []),
        ({"id": {"in": ["not-a-uuid"]}}, []),
        ({"id": {"in": ["not-a-uuid", "A2"]}}, [2]),
        ({"id": {"in": []}}, []),
        ({"id": {"eq": "00000000-0000-0000-0000-000000000000"}}, []),
        ({"id": {"eq": "A5"}}, []),  # PENDING: not in the default status
        ({"id": {"eq": "A5"}, "status": ["PENDING"]}, [5]),
        ({"key": {"eq": "report"}}, [2, 1]),
        ({"key": {"eq": "Report"}}, []),
        ({"key": {"in": ["report", "log"]}}, [4, 2, 1]),
        ({"key": {"exists": True}}, [7, 4, 2, 1]),
        ({"key": {"exists": False}}, [8, 3]),
        ({"key": {"startsWith": "re"}}, [2, 1]),
        ({"key": {"startsWith": "m"}}, [7]),
        ({"key": {"eq": "report", "exists": False}}, []),
        ({"type": ["PNG", "CSV"]}, [7, 3]),
        ({"type": ["GIF"]}, []),
        ({"category": {"eq": "extracted_data"}}, [7, 2, 1]),
        ({"category": {"eq": "screenshot"}}, []),
        ({"category": {"in": ["log_file", "Screenshot"]}}, [4, 3]),
        ({"category": {"contains": "SCREEN"}}, [3]),
        ({"category": {"contains": "_"}}, [7, 4, 2, 1]),
        ({"category": {"contains": "%"}}, []),
        ({"category": {"startsWith": "extr"}}, [7, 2, 1]),
        ({"category": {"startsWith": "Scr"}}, [3]),
        ({"category": {"startsWith": "scr"}}, []),
        ({"mimeType": {"eq": "image/png"}}, [3]),
        ({"mimeType": {"in": ["text/csv", "text/html"]}}, [8, 7]),
        ({"mimeType": {"contains": "CSV"}}, [7]),
        ({"mimeType": {"startsWith": "text/"}}, [8, 7, 4]),
        ({"displayName": {"eq": "build.log"}}, [4]),
        ({"displayName": {"in": ["shot.png", "Metrics.CSV", "nope"]}}, [7, 3]),
        ({"displayName": {"contains": "report"}}, [2, 1]),
        ({"displayName": {"contains": ".CSV"}}, [7]),
        ({"displayName": {"startsWith": "Metrics"}}, [7]),
        ({"displayName": {"startsWith": "metrics"}}, []),
        ({"displayName": {"eq": "nul\u0000byte"}}, []),
        ({"displayName": {"contains": "\u0000"}}, []),
        ({"key": {"in": ["log", "nul\u0000"]}}, [4]),
        ({"status": ["AVAILABLE"]}, [8, 7, 4, 3, 2, 1]),
        ({"status": ["PENDING", "FAILED"]}, [6, 5]),
        ({"status": ["FAILED"]}, [6]),
        ({"status": ["PENDING", "FAILED", "AVAILABLE"]}, [8, 7, 6, 5, 4, 3, 2, 1]),
        ({"createdAt": {"after": "AT2", "before": "AT4"}}, [4, 3, 2]),
        ({"createdAt": {"after": "AT7"}}, [8, 7]),
        ({"createdAt": {"before": "AT1"}}, [1]),
        ({"createdAt": {"after": "AT4", "before": "AT3"}}, []),
        # Without an offset a time is UTC; with one it is converted.
        (
            {"createdAt": {"after": "2024-01-01T00:00:02", "before": "2024-01-01T00:00:04"}},
            [4, 3, 2],
        ),
        ({"createdAt": {"after": "2024-01-01T01:00:02+01:00"}}, [8, 7, 4, 3, 2]),
        ({"workflowRun": {"status": ["COMPLETED"]}}, [2, 1]),
        ({"workflowRun": {"status": ["FAILED", "RUNNING"]}}, [8, 7, 3]),
        ({"workflowRun": {"id": {"eq": "not-a-uuid"}}}, []),
        (
            {
                "type": ["JSON", "CSV"],
                "category": {"eq": "extracted_data"},
                "workflowRun": {"status": ["COMPLETED"]},
            },
            [2, 1],
        ),
        ({"key": {"startsWith": "re"}, "status": ["PENDING"]}, [5]),
        ({"mimeType": {"startsWith": "text/"}, "key": {"exists": True}}, [7, 4]),
        ({"createdAt": {"after": "AT3"}, "type": ["JSON", "TEXT", "PNG"]}, [4, 3]),
    ],
)
def test_filter(world: World, flt: dict[str, Any], numbers: list[int]) -> None:
    expect(world, _resolve(world, flt), numbers)


@pytest.mark.parametrize(
    ("field", "which", "numbers"),
    [
        ("workflowId", "a", [2, 1]),
        ("workflowId", "b", [7, 3]),
        ("workflowRunId", "c", [8]),
        ("jobRunId", "a", [2, 1]),
        ("jobRunId", "b", [8, 7, 3]),  # the job run of runs B and C
    ],
)
def test_parent_id_filters(world: World, field: str, which: str, numbers: list[int]) -> None:
    run = {"a": world.run_a, "b": world.run_b, "c": world.run_c}[which]
    value = {
        "workflowId": run.workflow_id,
        "workflowRunId": run.id,
        "jobRunId": run.job_run_id,
    }[field]
    expect(world, {field: {"eq": value}}, numbers)
    expect(world, {field: {"in": [value, str(uuid.uuid4())]}}, numbers)
    expect(world, {field: {"eq": "garbage"}}, [])


def test_filter_on_related_run_fields(world: World) -> None:
    expect(world, {"workflowRun": {"workflowId": {"eq": world.run_a.workflow_id}}}, [2, 1])
    expect(world, {"workflowRun": {"jobRunId": {"eq": world.run_b.job_run_id}}}, [8, 7, 3])
    expect(world, {"workflowRun": {"id": {"in": [world.run_c.id]}}}, [8])
    expect(
        world, {"workflowRun": {"createdAt": {"after": "2000-01-01T00:00:00Z"}}}, [8, 7, 3, 2, 1]
    )
    expect(world, {"workflowRun": {"createdAt": {"before": "2000-01-01T00:00:00Z"}}}, [])


def _resolve(w: World, value: Any) -> Any:
    """Replace A<n> with artifact ids and AT<n> with at(n) in a filter."""
    if isinstance(value, dict):
        return {k: _resolve(w, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(w, v) for v in value]
    if isinstance(value, str) and value[:1] == "A" and value[1:].isdigit():
        return w.a[int(value[1:])].upper()
    if isinstance(value, str) and value[:2] == "AT" and value[2:].isdigit():
        return at(int(value[2:])).isoformat()
    return value


NODE = f"""
query($id: ID!) {{
  artifact(id: $id) {{
    {ARTIFACT_FIELDS} createdBy
    workflow {{ id name }} workflowRun {{ id status }} jobRun {{ id }}
    versions {{ totalCount nodes {{ id version isLatest }} }}
  }}
}}"""


def test_artifact_by_id_any_status_and_relations(world: World) -> None:
    a = world.client(NODE, {"id": world.a[1]})["artifact"]
    assert a == {
        "id": world.a[1],
        "key": "report",
        "version": 1,
        "isLatest": False,
        "type": "JSON",
        "category": "extracted_data",
        "displayName": "Report.json",
        "mimeType": "application/json",
        "sizeBytes": 1,
        "status": "AVAILABLE",
        "createdBy": "seed",
        "workflow": {"id": world.run_a.workflow_id, "name": "etl"},
        "workflowRun": {"id": world.run_a.id, "status": "COMPLETED"},
        "jobRun": {"id": world.run_a.job_run_id},
        "versions": {
            "totalCount": 2,
            "nodes": [
                {"id": world.a[2], "version": 2, "isLatest": True},
                {"id": world.a[1], "version": 1, "isLatest": False},
            ],
        },
    }
    pending = world.client(NODE, {"id": world.a[5]})["artifact"]
    assert (pending["status"], pending["version"], pending["isLatest"]) == ("PENDING", None, False)
    assert [n["id"] for n in pending["versions"]["nodes"]] == [world.a[2], world.a[1]]
    loose = world.client(NODE, {"id": world.a[6]})["artifact"]
    assert (loose["workflow"], loose["workflowRun"], loose["jobRun"]) == (None, None, None)
    # Without a key an artifact is its own only version.
    assert loose["versions"] == {
        "totalCount": 1,
        "nodes": [{"id": world.a[6], "version": None, "isLatest": False}],
    }
    assert world.client(NODE, {"id": world.a[8].upper()})["artifact"]["id"] == world.a[8]


@pytest.mark.parametrize(
    "ident", ["garbage", "", "00000000-0000-0000-0000-000000000000", "a" * 5000]
)
def test_artifact_unknown_id_is_null(world: World, ident: str) -> None:
    assert world.client(NODE, {"id": ident}) == {"artifact": None}


REL = """
query($w: ID!, $r: ID!, $j: ID!, $f: ArtifactFilter, $s: ArtifactSort) {
  workflow(id: $w) { artifacts(filter: $f, sort: $s) { totalCount nodes { id } } }
  workflowRun(id: $r) { artifacts(filter: $f, sort: $s) { totalCount nodes { id } } }
  jobRun(id: $j) { artifacts(filter: $f, sort: $s) { totalCount nodes { id } } }
}"""


def _rel(w: World, run: Run, job: str | None, flt: Any = None, sort: str | None = None) -> Any:
    data = w.client(REL, {"w": run.workflow_id, "r": run.id, "j": job, "f": flt, "s": sort})
    names = {v: k for k, v in w.a.items()}
    out = {}
    for field in ("workflow", "workflowRun", "jobRun"):
        conn = data[field]["artifacts"]
        out[field] = ([names[i] for i in ids_of(conn)], conn["totalCount"])
    return out


def test_relationship_lists(world: World) -> None:
    assert _rel(world, world.run_a, world.run_a.job_run_id) == {
        "workflow": ([2, 1], 2),
        "workflowRun": ([2, 1], 2),
        "jobRun": ([2, 1], 2),
    }
    # Job run J2 rolls up runs B and C.
    assert _rel(world, world.run_b, world.run_b.job_run_id) == {
        "workflow": ([7, 3], 2),
        "workflowRun": ([7, 3], 2),
        "jobRun": ([8, 7, 3], 3),
    }
    assert _rel(world, world.run_b, world.run_b.job_run_id, {"status": ["PENDING"]}) == {
        "workflow": ([5], 1),
        "workflowRun": ([5], 1),
        "jobRun": ([5], 1),
    }
    assert _rel(
        world, world.run_b, world.run_b.job_run_id, {"type": ["CSV", "HTML"]}, "CREATED_ASC"
    ) == {"workflow": ([7], 1), "workflowRun": ([7], 1), "jobRun": ([7, 8], 2)}


def test_job_run_roll_up_through_workflow_runs(world: World) -> None:
    data = world.client(
        """query($j: ID!) { jobRun(id: $j) {
             workflowRuns { nodes { id artifacts { nodes { id } } } }
             artifacts(sort: CREATED_ASC) { nodes { id workflowRun { id } } } } }""",
        {"j": world.run_b.job_run_id},
    )["jobRun"]
    runs = {r["id"]: ids_of(r["artifacts"]) for r in data["workflowRuns"]["nodes"]}
    assert runs == {world.run_b.id: [world.a[7], world.a[3]], world.run_c.id: [world.a[8]]}
    assert [(n["id"], n["workflowRun"]["id"]) for n in data["artifacts"]["nodes"]] == [
        (world.a[3], world.run_b.id),
        (world.a[7], world.run_b.id),
        (world.a[8], world.run_c.id),
    ]


def test_latest_artifacts(world: World, stack: Stack) -> None:
    c = world.client
    a = world.a
    assert listed(c, query=LATEST) == [a[7], a[4], a[2]]
    assert listed(c, {"key": {"eq": "report"}}, query=LATEST) == [a[2]]
    assert listed(c, {"key": {"eq": "report"}, "status": ["PENDING"]}, query=LATEST) == []
    assert listed(c, sort="KEY_ASC", query=LATEST) == [a[4], a[7], a[2]]
    assert listed(c, sort="CREATED_ASC", query=LATEST) == [a[2], a[4], a[7]]
    assert listed(c, {"workflowRun": {"status": ["FAILED"]}}, query=LATEST) == [a[7]]
    assert listed(c, {"category": {"eq": "extracted_data"}}, query=LATEST) == [a[7], a[2]]
    data = c(LATEST, {"n": 2})["latestArtifacts"]
    assert (ids_of(data), data["totalCount"]) == ([a[7], a[4]], 3)
    rest = c(LATEST, {"n": 2, "a": data["pageInfo"]["endCursor"]})["latestArtifacts"]
    assert (ids_of(rest), rest["pageInfo"]["hasNextPage"]) == ([a[2]], False)
    # A third version of "report" becomes the latest.
    seed = Seeder(stack, c.org_id, n=100)
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET is_latest = false WHERE org_id = $1 AND id = $2",
        c.org_id,
        a[2],
    )
    v3 = seed.add(key="report", version=3, is_latest=True, created_at=at(9))
    assert listed(c, query=LATEST) == [v3, a[7], a[4]]
    got = c(NODE, {"id": a[1]})["artifact"]["versions"]["nodes"]
    assert got == [
        {"id": v3, "version": 3, "isLatest": True},
        {"id": a[2], "version": 2, "isLatest": False},
        {"id": a[1], "version": 1, "isLatest": False},
    ]


def test_versions_page_and_batch(client: Client, stack: Stack) -> None:
    seed = Seeder(stack, client.org_id)
    alpha = seed.versions("alpha", 5)
    beta = seed.versions("beta", 2)
    data = client(
        """{ artifacts(sort: KEY_ASC) { nodes { key version
               versions(first: 2) { totalCount nodes { version isLatest }
                                    pageInfo { hasNextPage endCursor } } } } }"""
    )["artifacts"]["nodes"]
    assert [(n["key"], n["version"]) for n in data] == [
        ("alpha", 1),
        ("alpha", 2),
        ("alpha", 3),
        ("alpha", 4),
        ("alpha", 5),
        ("beta", 1),
        ("beta", 2),
    ]
    for node in data:
        versions = node["versions"]
        if node["key"] == "alpha":
            assert versions["totalCount"] == 5
            assert versions["nodes"] == [
                {"version": 5, "isLatest": True},
                {"version": 4, "isLatest": False},
            ]
            assert versions["pageInfo"]["hasNextPage"] is True
        else:
            assert versions["totalCount"] == 2
            assert versions["pageInfo"]["hasNextPage"] is False
    cursor = data[0]["versions"]["pageInfo"]["endCursor"]
    rest = client(
        """query($id: ID!, $a: String) { artifact(id: $id) {
             versions(first: 10, after: $a) { nodes { id version } } } }""",
        {"id": alpha[0], "a": cursor},
    )["artifact"]["versions"]["nodes"]
    assert rest == [
        {"id": alpha[2], "version": 3},
        {"id": alpha[1], "version": 2},
        {"id": alpha[0], "version": 1},
    ]
    assert beta


def test_total_count_only(world: World) -> None:
    data = world.client(
        """{ a: artifacts { totalCount } b: artifacts(filter: {status: [PENDING, FAILED]})
             { totalCount } c: latestArtifacts { totalCount }
             d: artifacts(first: 1, filter: {key: {exists: true}}) { totalCount nodes { id } } }"""
    )
    assert data == {
        "a": {"totalCount": 6},
        "b": {"totalCount": 2},
        "c": {"totalCount": 3},
        "d": {"totalCount": 4, "nodes": [{"id": world.a[7]}]},
    }


def test_total_count_ignores_cursor(world: World) -> None:
    first = world.client(LIST, {"n": 2})["artifacts"]
    second = world.client(LIST, {"n": 2, "a": first["pageInfo"]["endCursor"]})["artifacts"]
    assert (first["totalCount"], second["totalCount"]) == (6, 6)
    assert ids_of(second) == [world.a[4], world.a[3]]


# -- organization isolation ----------------------------------------------------------


def test_other_organization_sees_nothing(world: World, other: Client) -> None:
    mine = make_run(other, "etl", new_job=True)
    a, b = world.a, world.client
    assert b(LIST)["artifacts"]["totalCount"] == 6
    for ident in a.values():
        assert other(NODE, {"id": ident}) == {"artifact": None}
    everything = {"status": ["AVAILABLE", "PENDING", "FAILED"]}
    assert listed(other, everything) == []
    assert listed(other, {"id": {"in": list(a.values())}, **everything}) == []
    assert listed(other, {"key": {"in": ["report", "log", "metrics"]}}) == []
    assert listed(other, {"key": {"eq": "report"}}, query=LATEST) == []
    assert listed(other, query=LATEST) == []
    for field, value in (
        ("workflowId", world.run_a.workflow_id),
        ("workflowRunId", world.run_a.id),
        ("jobRunId", world.run_b.job_run_id),
    ):
        assert listed(other, {field: {"eq": value}, **everything}) == []
    assert listed(other, {"workflowRun": {"id": {"eq": world.run_b.id}}}) == []
    # Relationship fields of the other organization's parents are unreachable (null).
    data = other(
        REL,
        {"w": world.run_a.workflow_id, "r": world.run_a.id, "j": world.run_a.job_run_id},
    )
    assert data == {"workflow": None, "workflowRun": None, "jobRun": None}
    # Its own parents with the same names list nothing of ours.
    assert _rel_ids(other, mine) == ([], [], [])
    # A cursor made by the first organization, used by the other, reveals nothing.
    cursor = b(LIST, {"n": 1})["artifacts"]["pageInfo"]["endCursor"]
    page = other(LIST, {"n": 50, "a": cursor})["artifacts"]
    assert (ids_of(page), page["totalCount"], page["pageInfo"]["hasNextPage"]) == ([], 0, False)


def test_other_organization_versions_of_same_key(world: World, other: Client, stack: Stack) -> None:
    theirs = Seeder(stack, other.org_id, n=50).versions("report", 2)
    mine = world.client(NODE, {"id": world.a[1]})["artifact"]["versions"]["nodes"]
    assert [n["id"] for n in mine] == [world.a[2], world.a[1]]
    got = other(NODE, {"id": theirs[0]})["artifact"]["versions"]["nodes"]
    assert [n["id"] for n in got] == [theirs[1], theirs[0]]
    assert listed(other, query=LATEST) == [theirs[1]]
    assert listed(world.client, {"key": {"eq": "report"}}, query=LATEST) == [world.a[2]]


def _rel_ids(client: Client, run: Run) -> tuple[list[str], list[str], list[str]]:
    data = client(REL, {"w": run.workflow_id, "r": run.id, "j": run.job_run_id})
    return (
        ids_of(data["workflow"]["artifacts"]),
        ids_of(data["workflowRun"]["artifacts"]),
        ids_of(data["jobRun"]["artifacts"]),
    )
