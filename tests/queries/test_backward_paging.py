"""Keyset paging backwards (``last``/``before``) on every connection, through HTTP: the
rows just before a cursor in the list's own order, pageInfo as Relay's spec has it, the
same limits and cursor checks as forward, and no repeat or skip under concurrent inserts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.artifacts import Seeder, ids_of
from tests.support.catalog import create_job, create_run, create_workflow
from tests.support.http import Client
from tests.support.paging import SORTS, SPECS, PagingData, expected
from tests.support.stack import Stack

FIELDS = """totalCount nodes { id } edges { cursor node { id } }
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor }"""
PAGE = f"""
query($f: ArtifactFilter, $s: ArtifactSort, $n: Int, $b: String, $a: String, $first: Int) {{
  artifacts(filter: $f, sort: $s, last: $n, before: $b, after: $a, first: $first) {{ {FIELDS} }}
}}"""
LATEST_PAGE = PAGE.replace("artifacts(", "latestArtifacts(")
RUN_PAGE = f"""
query($r: ID!, $f: ArtifactFilter, $s: ArtifactSort, $n: Int, $b: String, $a: String) {{
  workflowRun(id: $r) {{ artifacts(filter: $f, sort: $s, last: $n, before: $b, after: $a)
    {{ {FIELDS} }} }}
}}"""


def _conn(result: dict[str, Any]) -> dict[str, Any]:
    conn: dict[str, Any] = next(iter(result.values()))
    return conn.get("artifacts", conn)


def _walk_back(client: Client, query: str, variables: dict[str, Any], last: int) -> list[str]:
    """From the end of the list, follow startCursor back to its start; check every page's
    pageInfo on the way. The ids in list order."""
    pages: list[list[str]] = []
    before = None
    for _ in range(100):
        conn = _conn(client(query, {**variables, "n": last, "b": before}))
        page = ids_of(conn)
        info = conn["pageInfo"]
        assert len(page) <= last
        assert [e["node"]["id"] for e in conn["edges"]] == page
        assert info["hasNextPage"] is (before is not None)
        assert info["startCursor"] == (conn["edges"][0]["cursor"] if page else None)
        assert info["endCursor"] == (conn["edges"][-1]["cursor"] if page else None)
        pages.insert(0, page)
        if not info["hasPreviousPage"]:
            return [i for p in pages for i in p]
        assert len(page) == last
        before = info["startCursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("last", [1, 2, 5])
def test_paging_backwards_visits_every_row_once(data: PagingData, sort: str, last: int) -> None:
    want = expected(data.items, sort)
    assert _walk_back(data.client, PAGE, {"s": sort}, last) == want
    # The same through a relationship field (batched by parent).
    assert _walk_back(data.client, RUN_PAGE, {"s": sort, "r": data.run.id}, last) == want


@pytest.mark.parametrize("sort", SORTS)
def test_last_alone_is_the_end_of_the_list(data: PagingData, sort: str) -> None:
    got = data.client(PAGE, {"s": sort, "n": 3})["artifacts"]
    assert ids_of(got) == expected(data.items, sort)[-3:]
    assert got["totalCount"] == len(SPECS)
    info = got["pageInfo"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (True, False)
    everything = data.client(PAGE, {"s": sort, "n": 500})["artifacts"]
    assert ids_of(everything) == expected(data.items, sort)
    assert everything["pageInfo"]["hasPreviousPage"] is False


@pytest.mark.parametrize("sort", SORTS)
def test_latest_paging_backwards(data: PagingData, sort: str) -> None:
    newest = {}
    for item in data.items:
        if item.key is not None and (item.version or 0) > newest.get(item.key, (0, ""))[0]:
            newest[item.key] = (item.version or 0, item.id)
    latest_ids = {ident for _, ident in newest.values()}
    want = [i for i in expected(data.items, sort) if i in latest_ids]
    assert len(want) == 5
    assert _walk_back(data.client, LATEST_PAGE, {"s": sort}, 2) == want


def test_before_an_edge_cursor_ends_right_before_that_edge(data: PagingData) -> None:
    full = data.client(PAGE, {"s": "SIZE_DESC", "n": 500})["artifacts"]
    cursor = full["edges"][7]["cursor"]
    got = data.client(PAGE, {"s": "SIZE_DESC", "b": cursor, "n": 3})["artifacts"]
    assert ids_of(got) == ids_of(full)[4:7]
    assert got["pageInfo"]["hasPreviousPage"] is True
    assert got["pageInfo"]["hasNextPage"] is True
    # The cursors it hands out are the same positions as forward paging's.
    assert [e["cursor"] for e in got["edges"]] == [e["cursor"] for e in full["edges"][4:7]]
    # Nothing before the first edge.
    first = full["edges"][0]["cursor"]
    empty = data.client(PAGE, {"s": "SIZE_DESC", "b": first, "n": 3})["artifacts"]
    assert empty["nodes"] == []
    assert empty["pageInfo"] == {
        "hasNextPage": True,
        "endCursor": None,
        "hasPreviousPage": False,
        "startCursor": None,
    }


def test_after_and_before_bound_a_window(data: PagingData) -> None:
    full = data.client(PAGE, {"s": "KEY_ASC", "n": 500})["artifacts"]
    ids, edges = ids_of(full), full["edges"]
    after, before = edges[2]["cursor"], edges[9]["cursor"]
    # last: the end of the window, read backward
    got = data.client(PAGE, {"s": "KEY_ASC", "a": after, "b": before, "n": 4})["artifacts"]
    assert ids_of(got) == ids[5:9]
    assert got["pageInfo"]["hasPreviousPage"] is True  # rows 3 and 4, and after was given
    assert got["pageInfo"]["hasNextPage"] is True  # before was given
    # first: the start of the window, read forward
    variables = {"s": "KEY_ASC", "a": after, "b": before, "n": None, "first": 4}
    got = data.client(PAGE, variables)["artifacts"]
    assert ids_of(got) == ids[3:7]
    assert (got["pageInfo"]["hasPreviousPage"], got["pageInfo"]["hasNextPage"]) == (True, True)
    # the whole window
    got = data.client(PAGE, {"s": "KEY_ASC", "a": after, "b": before, "n": 500})["artifacts"]
    assert ids_of(got) == ids[3:9]


def test_last_zero(data: PagingData) -> None:
    got = data.client(PAGE, {"n": 0})["artifacts"]
    assert got == {
        "totalCount": len(SPECS),
        "nodes": [],
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "endCursor": None,
            "hasPreviousPage": True,
            "startCursor": None,
        },
    }


@pytest.mark.parametrize("last", [501, -1, 100_000])
def test_last_out_of_range(data: PagingData, last: int) -> None:
    for query, variables in (
        (PAGE, {}),
        (LATEST_PAGE, {}),
        (RUN_PAGE, {"r": data.run.id}),
        ("query($n: Int) { workflows { nodes { runs(last: $n) { nodes { id } } } } }", {}),
        ("query($n: Int) { workflowRuns(last: $n) { totalCount } }", {}),
    ):
        err = data.client.errors(query, {**variables, "n": last})
        assert set(err.codes) == {"BAD_USER_INPUT"}, query
        assert err.errors[0]["message"] == f"'last' must be between 0 and 500; got {last}"


def test_last_500_is_allowed(data: PagingData) -> None:
    assert len(ids_of(data.client(PAGE, {"n": 500})["artifacts"])) == len(SPECS)


@pytest.mark.parametrize(
    "query",
    [
        "{ artifacts(first: 5, last: 5) { totalCount } }",
        "{ artifacts(first: 50, last: 5) { totalCount } }",  # 50 is first's default: still both
        "query($f: Int) { artifacts(first: $f, last: 5) { totalCount } }",
        "{ workflows(first: 1, last: 1) { totalCount } }",
        "{ workflowRuns { nodes { artifacts(first: 1, last: 1) { totalCount } } } }",
    ],
)
def test_first_with_last_is_bad_user_input(data: PagingData, query: str) -> None:
    err = data.client.errors(query, {"f": 3})
    assert set(err.codes) == {"BAD_USER_INPUT"}
    assert "not both" in err.errors[0]["message"]
    assert "'first'" in err.errors[0]["message"]
    assert "'last'" in err.errors[0]["message"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        # Relay's clients send the other direction's count as null.
        (
            "query($f: Int, $n: Int) { artifacts(first: $f, last: $n) { nodes { id } } }",
            {"f": None},
        ),
        # A variable the request does not send is not passed either: first's default applies
        # only to forward reads.
        ("query($f: Int, $n: Int) { artifacts(first: $f, last: $n) { nodes { id } } }", {}),
        ("query($n: Int) { artifacts(first: null, last: $n) { nodes { id } } }", {}),
        ("query($n: Int) { artifacts(last: $n) { nodes { id } } }", {}),
    ],
)
def test_last_without_first(data: PagingData, query: str, variables: dict[str, Any]) -> None:
    got = data.client(query, {**variables, "n": 2})["artifacts"]
    assert ids_of(got) == expected(data.items, "CREATED_DESC")[-2:]


@pytest.mark.parametrize("made_with", SORTS)
def test_before_cursor_from_another_sort_is_rejected(data: PagingData, made_with: str) -> None:
    cursor = data.client(PAGE, {"s": made_with, "n": 2})["artifacts"]["pageInfo"]["startCursor"]
    for sort in SORTS:
        if sort == made_with:
            continue
        err = data.client.errors(PAGE, {"s": sort, "b": cursor, "n": 2})
        assert err.codes == ["BAD_USER_INPUT"], sort
        assert err.errors[0]["message"].startswith("'before' is not a cursor from this list")


@pytest.mark.parametrize("cursor", ["garbage", "!!!!", "e30", "W10"])
def test_bad_before_cursor_is_bad_user_input(data: PagingData, cursor: str) -> None:
    for query, variables in (
        (PAGE, {"n": 2}),
        (PAGE, {}),  # before without last bounds a forward read: checked the same
        (RUN_PAGE, {"r": data.run.id, "n": 2}),
        ("query($b: String) { jobRuns(before: $b, last: 1) { totalCount } }", {}),
    ):
        err = data.client.errors(query, {**variables, "b": cursor})
        assert err.codes == ["BAD_USER_INPUT"], query
        assert (
            "'before' is not a cursor from this list; pass a startCursor"
            in (err.errors[0]["message"])
        )


def test_forward_read_bounded_by_before(data: PagingData) -> None:
    full = data.client(PAGE, {"n": 500})["artifacts"]
    cursor = full["edges"][6]["cursor"]
    got = data.client(PAGE, {"b": cursor, "first": 4, "n": None})["artifacts"]
    assert ids_of(got) == ids_of(full)[:4]
    assert (got["pageInfo"]["hasPreviousPage"], got["pageInfo"]["hasNextPage"]) == (False, True)
    got = data.client(PAGE, {"b": cursor})["artifacts"]  # first's default, 50
    assert ids_of(got) == ids_of(full)[:6]


# -- the catalog's connections -------------------------------------------------------------


def _walk_back_catalog(client: Client, path: list[str], query: str, last: int) -> list[str]:
    ids: list[list[str]] = []
    before = None
    for _ in range(100):
        data: Any = client(query, {"n": last, "b": before})
        for step in path:
            data = data[step]
        ids.insert(0, [n["id"] for n in data["nodes"]])
        assert data["pageInfo"]["hasNextPage"] is (before is not None)
        if not data["pageInfo"]["hasPreviousPage"]:
            return [i for page in ids for i in page]
        before = data["pageInfo"]["startCursor"]
    raise AssertionError("paging did not end")


CATALOG_FIELDS = "nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor }"


def test_catalog_connections_page_backwards(client: Client) -> None:
    workflows = [create_workflow(client, f"wf-{i}")["id"] for i in range(5)]
    job = create_job(client)
    runs = [create_run(client, workflows[0], jobRunId=job["id"])["id"] for _ in range(7)]
    jobs = [job["id"], *(create_job(client, name=f"j{i}")["id"] for i in range(4))]
    newest_first = {
        "workflows": workflows[::-1],
        "jobRuns": jobs[::-1],
        "workflowRuns": runs[::-1],
    }
    for field, want in newest_first.items():
        query = (
            f"query($n: Int, $b: String) {{ {field}(last: $n, before: $b) {{ {CATALOG_FIELDS} }} }}"
        )
        for last in (1, 3):
            assert _walk_back_catalog(client, [field], query, last) == want, field
    nested = {
        "workflow": ("runs", workflows[0]),
        "jobRun": ("workflowRuns", job["id"]),
    }
    for parent, (field, ident) in nested.items():
        query = (
            f'query($n: Int, $b: String) {{ {parent}(id: "{ident}") '
            f"{{ {field}(last: $n, before: $b) {{ {CATALOG_FIELDS} }} }} }}"
        )
        assert _walk_back_catalog(client, [parent, field], query, 2) == runs[::-1], parent


def test_versions_page_backwards(client: Client, stack: Stack) -> None:
    seed = Seeder(stack, client.org_id)
    ids = seed.versions("report", 7)  # oldest first
    query = (
        f'query($n: Int, $b: String) {{ artifact(id: "{ids[0]}") '
        f"{{ versions(last: $n, before: $b) {{ {CATALOG_FIELDS} }} }} }}"
    )
    assert _walk_back_catalog(client, ["artifact", "versions"], query, 3) == ids[::-1]


def test_every_connection_field_takes_last_and_before(client: Client) -> None:
    """No connection without backward paging: every field of the schema whose type is a
    connection has ``last: Int`` and ``before: String``, and ``first`` with ``after``."""
    types = client(
        "{ __schema { types { name fields { name type { kind name ofType { name } } "
        "args { name type { name } } } } } }"
    )["__schema"]["types"]
    found = []
    for type_ in types:
        for field in type_["fields"] or ():
            named = field["type"]["ofType"] or field["type"]
            if (named["name"] or "").endswith("Connection"):
                args = {a["name"]: a["type"]["name"] for a in field["args"]}
                assert {
                    "first": "Int",
                    "after": "String",
                    "last": "Int",
                    "before": "String",
                }.items() <= args.items(), (type_["name"], field["name"])
                found.append(f"{type_['name']}.{field['name']}")
    assert len(found) >= 11, found


# Stability under concurrent inserts, both directions: tests/queries/test_paging.py.
