"""Sorts, keyset pages and cursors of artifact lists, through HTTP."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from tests.support.artifacts import bulk_ids, bulk_insert, ids_of, uid
from tests.support.catalog import create_job, create_run, create_workflow
from tests.support.http import Client
from tests.support.paging import SORTS, SPECS, PagingData, concurrent_inserts, expected
from tests.support.stack import Stack, fetch

PAGE = """
query($f: ArtifactFilter, $s: ArtifactSort, $n: Int, $a: String) {
  artifacts(filter: $f, sort: $s, first: $n, after: $a) {
    totalCount nodes { id } edges { cursor node { id } }
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
  }
}"""
LATEST_PAGE = PAGE.replace("artifacts(", "latestArtifacts(")
RUN_PAGE = """
query($r: ID!, $f: ArtifactFilter, $s: ArtifactSort, $n: Int, $a: String) {
  workflowRun(id: $r) { artifacts(filter: $f, sort: $s, first: $n, after: $a) {
    totalCount nodes { id } edges { cursor node { id } }
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
  } }
}"""


@pytest.mark.parametrize("sort", SORTS)
def test_sort_order(data: PagingData, sort: str) -> None:
    got = data.client(PAGE, {"s": sort})["artifacts"]
    assert ids_of(got) == expected(data.items, sort)
    assert [e["node"]["id"] for e in got["edges"]] == ids_of(got)


def test_default_sort_is_created_desc(data: PagingData) -> None:
    assert ids_of(data.client(PAGE)["artifacts"]) == expected(data.items, "CREATED_DESC")


def _walk(client: Client, query: str, variables: dict[str, Any], first: int) -> list[str]:
    """Follow endCursor to the end; check pageInfo on the way."""
    seen: list[str] = []
    after = None
    for _ in range(100):
        result = client(query, {**variables, "n": first, "a": after})
        conn = next(iter(result.values()))
        conn = conn.get("artifacts", conn)
        page = ids_of(conn)
        info = conn["pageInfo"]
        assert len(page) <= first
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == (conn["edges"][0]["cursor"] if page else None)
        assert info["endCursor"] == (conn["edges"][-1]["cursor"] if page else None)
        seen.extend(page)
        if not info["hasNextPage"]:
            return seen
        assert len(page) == first
        after = info["endCursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("first", [1, 2, 5])
def test_paging_visits_every_row_once(data: PagingData, sort: str, first: int) -> None:
    want = expected(data.items, sort)
    assert _walk(data.client, PAGE, {"s": sort}, first) == want
    # The same through a relationship field (batched by parent).
    assert _walk(data.client, RUN_PAGE, {"s": sort, "r": data.run.id}, first) == want


@pytest.mark.parametrize("sort", SORTS)
def test_latest_paging(data: PagingData, sort: str) -> None:
    latest_ids = {i.id for i in data.items if i.key is not None} - {  # older versions
        i.id
        for i in data.items
        for j in data.items
        if i.key is not None and j.key == i.key and (j.version or 0) > (i.version or 0)
    }
    want = [i for i in expected(data.items, sort) if i in latest_ids]
    assert len(want) == 5
    assert _walk(data.client, LATEST_PAGE, {"s": sort}, 2) == want


def test_edge_cursor_resumes_after_that_edge(data: PagingData) -> None:
    full = data.client(PAGE, {"s": "SIZE_DESC"})["artifacts"]
    middle = full["edges"][4]["cursor"]
    rest = data.client(PAGE, {"s": "SIZE_DESC", "a": middle, "n": 3})["artifacts"]
    assert ids_of(rest) == ids_of(full)[5:8]
    assert rest["totalCount"] == len(SPECS)


def test_filtered_paging_with_sort(data: PagingData) -> None:
    flt = {"key": {"exists": True}}
    want = [i for i in expected(data.items, "KEY_ASC") if i not in {uid(1), uid(8), uid(4)}]
    assert _walk(data.client, PAGE, {"s": "KEY_ASC", "f": flt}, 4) == want


def test_first_zero(data: PagingData) -> None:
    got = data.client(PAGE, {"n": 0})["artifacts"]
    assert got == {
        "totalCount": len(SPECS),
        "nodes": [],
        "edges": [],
        "pageInfo": {
            "hasNextPage": True,
            "endCursor": None,
            "hasPreviousPage": False,
            "startCursor": None,
        },
    }


def test_first_500_is_allowed(data: PagingData) -> None:
    assert len(ids_of(data.client(PAGE, {"n": 500})["artifacts"])) == len(SPECS)


@pytest.mark.parametrize("first", [501, -1, 100_000])
def test_first_out_of_range(data: PagingData, first: int) -> None:
    for query, variables in (
        (PAGE, {}),
        (LATEST_PAGE, {}),
        (RUN_PAGE, {"r": data.run.id}),
    ):
        err = data.client.errors(query, {**variables, "n": first})
        assert err.codes == ["BAD_USER_INPUT"]
        assert "between 0 and 500" in err.errors[0]["message"]
    err = data.client.errors(
        "query($n: Int) { workflows { nodes { runs(first: $n) { nodes { id } } } } }",
        {"n": first},
    )
    assert set(err.codes) == {"BAD_USER_INPUT"}
    err = data.client.errors(
        "query($id: ID!, $n: Int) { artifact(id: $id) { versions(first: $n) { nodes { id } } } }",
        {"id": uid(9), "n": first},
    )
    assert err.codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("made_with", SORTS)
def test_cursor_from_another_sort_is_rejected(data: PagingData, made_with: str) -> None:
    cursor = data.client(PAGE, {"s": made_with, "n": 2})["artifacts"]["pageInfo"]["endCursor"]
    for sort in SORTS:
        if sort == made_with:
            continue
        err = data.client.errors(PAGE, {"s": sort, "a": cursor})
        assert err.codes == ["BAD_USER_INPUT"], sort
        assert "cursor" in err.errors[0]["message"]


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


GOOD_TIME = "2024-01-01T00:00:01.000000Z"
GOOD_ID = uid(3)


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("CREATED_DESC", "garbage"),
        ("CREATED_DESC", "!!!!"),
        ("CREATED_DESC", "a"),
        ("CREATED_DESC", _b64([])),
        ("CREATED_DESC", _b64({"sort": "CREATED_DESC"})),
        ("CREATED_DESC", _b64(["CREATED_DESC"])),
        ("CREATED_DESC", _b64(["CREATED_DESC", [GOOD_TIME]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", [GOOD_TIME, GOOD_ID, "x"]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", [1, 2]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", ["yesterday-ish", GOOD_ID]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", ["2024-13-01T00:00:00Z", GOOD_ID]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", [GOOD_TIME, "not-a-uuid"]])),
        ("CREATED_DESC", _b64(["CREATED_DESC", [GOOD_TIME + "\u0000", GOOD_ID]])),
        ("CREATED_ASC", _b64(["CREATED_ASC", ["infinity", GOOD_ID]])),
        ("KEY_ASC", _b64(["KEY_ASC", ["maybe", "ab", "1", GOOD_ID]])),
        ("KEY_ASC", _b64(["KEY_ASC", ["false", "a\u0000b", "1", GOOD_ID]])),
        ("KEY_ASC", _b64(["KEY_ASC", ["false", "ab", "one", GOOD_ID]])),
        ("KEY_ASC", _b64(["KEY_ASC", ["false", "ab", "99999999999", GOOD_ID]])),
        ("VERSION_DESC", _b64(["VERSION_DESC", ["1.5", GOOD_TIME, GOOD_ID]])),
        ("SIZE_DESC", _b64(["SIZE_DESC", ["99999999999999999999", GOOD_ID]])),
        ("SIZE_DESC", _b64(["SIZE_DESC", ["-", GOOD_ID]])),
    ],
)
def test_bad_cursor_is_bad_user_input(data: PagingData, sort: str, cursor: str) -> None:
    for query, variables in ((PAGE, {}), (RUN_PAGE, {"r": data.run.id})):
        err = data.client.errors(query, {**variables, "s": sort, "a": cursor})
        assert err.codes == ["BAD_USER_INPUT"], (sort, cursor)
        assert "cursor" in err.errors[0]["message"]


def test_handmade_valid_cursor_works(data: PagingData) -> None:
    """Cursors are opaque, but a well-formed one is simply a position."""
    cursor = _b64(["SIZE_DESC", ["10", uid(7)]])
    got = ids_of(data.client(PAGE, {"s": "SIZE_DESC", "a": cursor})["artifacts"])
    assert got == expected(data.items, "SIZE_DESC")[4:]


# -- keyset stability under concurrent inserts -----------------------------------------

TOTAL = 1200


# (argument, cursor argument, "more" flag, next cursor) for each direction
DIRECTIONS = {
    "forward": ("first", "after", "hasNextPage", "endCursor"),
    "backward": ("last", "before", "hasPreviousPage", "startCursor"),
}


@pytest.mark.parametrize("direction", sorted(DIRECTIONS))
@pytest.mark.parametrize("sort", SORTS)
def test_paging_is_stable_under_concurrent_inserts(
    client: Client, stack: Stack, sort: str, direction: str
) -> None:
    size, cursor_arg, more, next_cursor = DIRECTIONS[direction]
    bulk_insert(stack, client.org_id, TOTAL)
    original = set(bulk_ids(0, TOTAL))
    seen: list[str] = []
    with concurrent_inserts(stack, client.org_id) as inserted:
        cursor = None
        for _ in range(200):
            conn = client(
                f"query($s: ArtifactSort, $c: String) {{ artifacts(sort: $s, {size}: 100, "
                f"{cursor_arg}: $c) {{ nodes {{ id }} pageInfo {{ {more} {next_cursor} }} }} }}",
                {"s": sort, "c": cursor},
            )["artifacts"]
            seen.extend(ids_of(conn))
            if not conn["pageInfo"][more]:
                break
            cursor = conn["pageInfo"][next_cursor]
    assert inserted, "the writer inserted nothing while paging"
    assert len(seen) == len(set(seen)), "a row was listed twice"
    assert original <= set(seen), f"{len(original - set(seen))} original rows were skipped"


# ------------------------------------------------------------------------------------------
# Merged from tests/test_foundation_paging.py:
# Keyset connections of workflows, job runs and workflow runs: edges and nodes, pageInfo,
# totalCount, every row exactly once, limits on ``first``.


CATALOG_PAGE = """
  edges { cursor node { id } }
  nodes { id }
  pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
  totalCount
"""


def _seed_workflows(stack: Stack, client: Client, count: int) -> list[str]:
    """``count`` workflows, newest first (created through the API)."""
    client('mutation { createWorkflow(input: {name: "seed-0"}) { id } }')  # creates the org
    fetch(
        stack.owner_dsn,
        "INSERT INTO workflows (org_id, name, created_at) "
        "SELECT $1, 'seed-' || i, now() - make_interval(secs => $2 - i) "
        "FROM generate_series(1, $2 - 1) AS i",
        client.org_id,
        count,
    )
    rows = fetch(
        stack.owner_dsn,
        "SELECT id FROM workflows WHERE org_id = $1 ORDER BY created_at DESC, id DESC",
        client.org_id,
    )
    return [str(r["id"]) for r in rows]


def _walk_catalog(client: Client, field: str, first: int, args: str = "") -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(100):
        data = client(
            f"query($first: Int, $after: String) {{ {field}(first: $first, after: $after{args})"
            f" {{ {CATALOG_PAGE} }} }}",
            {"first": first, "after": after},
        )[field]
        pages.append(data)
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("first", [1, 7, 23, 50])
def test_paging_visits_every_workflow_once(stack: Stack, client: Client, first: int) -> None:
    expected = _seed_workflows(stack, client, 23)
    pages = _walk_catalog(client, "workflows", first)
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert seen == expected
    assert len(pages) == -(-23 // first)
    for number, page in enumerate(pages):
        edges, info = page["edges"], page["pageInfo"]
        assert [e["node"] for e in edges] == page["nodes"]
        assert page["totalCount"] == 23
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]
        assert info["hasPreviousPage"] is (number > 0)
        assert info["hasNextPage"] is (number < len(pages) - 1)
        assert len(edges) == min(first, 23 - number * first)


def test_an_edge_cursor_resumes_right_after_that_edge(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 10)
    page = client(f"{{ workflows(first: 10) {{ {CATALOG_PAGE} }} }}")["workflows"]
    cursor = page["edges"][3]["cursor"]
    rest = client(
        "query($a: String) { workflows(first: 3, after: $a) { nodes { id } } }", {"a": cursor}
    )
    assert [n["id"] for n in rest["workflows"]["nodes"]] == expected[4:7]


def test_paging_is_stable_while_rows_are_added(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 12)
    seen: list[str] = []
    after = None
    for step in range(10):
        data = client(
            "query($a: String) { workflows(first: 5, after: $a) "
            "{ nodes { id } pageInfo { hasNextPage endCursor } } }",
            {"a": after},
        )["workflows"]
        seen += [n["id"] for n in data["nodes"]]
        create_workflow(client, f"added-{step}")  # newer than everything being paged
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == expected


def test_empty_connection(client: Client) -> None:
    for field in ("workflows", "jobRuns", "workflowRuns"):
        data = client(f"{{ {field} {{ {CATALOG_PAGE} }} }}")[field]
        assert data == {
            "edges": [],
            "nodes": [],
            "pageInfo": {
                "hasNextPage": False,
                "endCursor": None,
                "hasPreviousPage": False,
                "startCursor": None,
            },
            "totalCount": 0,
        }


def test_default_page_is_50(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 51)
    data = client("{ workflows { nodes { id } pageInfo { hasNextPage } totalCount } }")
    assert [n["id"] for n in data["workflows"]["nodes"]] == expected[:50]
    assert data["workflows"]["pageInfo"] == {"hasNextPage": True}
    assert data["workflows"]["totalCount"] == 51


def test_first_zero_counts_without_rows(stack: Stack, client: Client) -> None:
    _seed_workflows(stack, client, 3)
    data = client(f"{{ workflows(first: 0) {{ {CATALOG_PAGE} }} }}")["workflows"]
    assert data["edges"] == data["nodes"] == []
    assert data["totalCount"] == 3
    assert data["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("first", [501, 10_000, -1])
@pytest.mark.parametrize(
    "query",
    [
        "{ workflows(first: FIRST) { totalCount } }",
        "{ jobRuns(first: FIRST) { totalCount } }",
        "{ workflowRuns(first: FIRST) { totalCount } }",
        "{ workflows { nodes { runs(first: FIRST) { totalCount } } } }",
        "{ jobRuns { nodes { workflowRuns(first: FIRST) { totalCount } } } }",
    ],
)
def test_first_out_of_range_is_bad_user_input(client: Client, query: str, first: int) -> None:
    wf = create_workflow(client, "wf")  # so nested connections are resolved too
    job = create_job(client)
    create_run(client, wf["id"], jobRunId=job["id"])
    error = client.errors(query.replace("FIRST", str(first)))
    assert error.codes == ["BAD_USER_INPUT"]
    assert error.errors[0]["message"] == f"'first' must be between 0 and 500; got {first}"


def test_catalog_first_500_is_allowed(client: Client) -> None:
    assert client("{ workflows(first: 500) { totalCount } }") == {"workflows": {"totalCount": 0}}


@pytest.mark.parametrize("cursor", ["garbage", "", "e30", "W10", "!!!!"])
def test_catalog_bad_cursor_is_bad_user_input(client: Client, cursor: str) -> None:
    body = client.raw(
        "query($a: String) { workflows(after: $a) { totalCount } }", {"a": cursor}
    ).json()
    if cursor == "":  # an empty cursor means: from the start
        assert body == {"data": {"workflows": {"totalCount": 0}}}
        return
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert "'after' is not a cursor from this list" in body["errors"][0]["message"]


def test_job_runs_and_workflow_runs_page_too(client: Client) -> None:
    wf = create_workflow(client, "wf")
    jobs = [create_job(client, name=f"j{i}")["id"] for i in range(7)]
    runs = [create_run(client, wf["id"], jobRunId=jobs[0])["id"] for _ in range(7)]
    for field, made in (("jobRuns", jobs), ("workflowRuns", runs)):
        pages = _walk_catalog(client, field, 3)
        assert [n["id"] for p in pages for n in p["nodes"]] == made[::-1]
        assert [p["totalCount"] for p in pages] == [7, 7, 7]


def test_nested_connections_page_per_parent(client: Client) -> None:
    wf = create_workflow(client, "wf")
    job = create_job(client)
    runs = [create_run(client, wf["id"], jobRunId=job["id"])["id"] for _ in range(5)]
    seen: list[str] = []
    after = None
    for _ in range(5):
        data = client(
            "query($w: ID!, $a: String) { workflow(id: $w) { runs(first: 2, after: $a) "
            "{ totalCount nodes { id } pageInfo { hasNextPage endCursor hasPreviousPage } } } }",
            {"w": wf["id"], "a": after},
        )["workflow"]["runs"]
        assert data["totalCount"] == 5
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [n["id"] for n in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == runs[::-1]
    via_job = client(
        "query($j: ID!) { jobRun(id: $j) { workflowRuns(first: 3) { nodes { id } } } }",
        {"j": job["id"]},
    )
    assert [n["id"] for n in via_job["jobRun"]["workflowRuns"]["nodes"]] == runs[::-1][:3]
