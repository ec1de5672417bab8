"""Input PostgreSQL or orjson cannot take is BAD_USER_INPUT with a message saying how to fix
it, in every field, through HTTP: integers beyond 64 bits, NUL characters, lone
surrogates, JSON nested too deep, in metadata, parameters, inline data, updateArtifact
and text fields; nothing is created by a refused request. Also: a token's ``exp``, ``nbf``
and ``iat`` must be JSON numbers."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from jose import jwt

from tests.support.http import Client, Server
from tests.support.publish import CREATE, UPDATE, create, download, spec
from tests.support.stack import JWT_SECRET

# The top-level object is level 1: 63 lists inside it make 64 levels (the most allowed).
LISTS_63 = "[" * 63 + "]" * 63
LISTS_64 = "[" * 64 + "]" * 64
# Deeper than orjson (255) encodes. (A body ~1,000 deep stops earlier, where the view
# parses the HTTP body; that boundary is graphql/view.py's, not these rules'.)
LISTS_300 = "[" * 300 + "]" * 300

# (JSON text of a bad value, what the message must say)
BAD_JSON = {
    "int beyond 64 bits": ('{"n": 18446744073709551616}', "beyond 64 bits"),
    "int below -2**63": ('{"n": -9223372036854775809}', "beyond 64 bits"),
    "NUL in a string": ('{"s": "a\\u0000b"}', "NUL"),
    "NUL in a key": ('{"a\\u0000": 1}', "NUL"),
    "lone surrogate": ('{"s": "\\ud800"}', "surrogate"),
    "lone surrogate in a key": ('{"\\udfff": 1}', "surrogate"),
    "nested 301 levels": ('{"deep": ' + LISTS_300 + "}", "nested more than 64 levels"),
    "nested 65 levels": ('{"deep": ' + LISTS_64 + "}", "nested more than 64 levels"),
}


def post(client: Client, query: str, variables_json: str) -> dict[str, Any]:
    """POST a request whose variables are given as JSON text (as a client would send
    them, big integers and escapes included); the parsed body, never a 500."""
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables_json + "}"
    response = client.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (200, 400), response.text
    parsed: dict[str, Any] = response.json()
    return parsed


def bad_input(client: Client, query: str, variables_json: str) -> str:
    body = post(client, query, variables_json)
    errors = body.get("errors") or []
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"], body
    message: str = errors[0]["message"]
    return message


def counts(client: Client) -> dict[str, int]:
    data = client(
        "{ jobRuns { totalCount } workflowRuns { totalCount } "
        "artifacts(filter: {status: [PENDING, AVAILABLE, FAILED]}) { totalCount } }"
    )
    return {name: value["totalCount"] for name, value in data.items()}


JOB_RUN = "mutation($m: JSON) { createJobRun(input: {metadata: $m}) { id } }"
WORKFLOW_RUN = (
    "mutation($w: ID!, $m: JSON) { createWorkflowRun(input: {workflowId: $w, parameters: $m}) "
    "{ id } }"
)


def _json_cases(client: Client, artifact_id: str) -> dict[str, tuple[str, str]]:
    """field -> (query, variables JSON with a %s where the bad value goes)."""
    wf = client('mutation { createWorkflow(input: {name: "wf"}) { id } }')["createWorkflow"]
    inline = '{"input": {"type": "%s", "displayName": "f"}, "data": %s}'
    return {
        "createJobRun.metadata": (JOB_RUN, '{"m": %s}'),
        "createWorkflowRun.parameters": (WORKFLOW_RUN, '{"w": "' + wf["id"] + '", "m": %s}'),
        "createArtifact.metadata": (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m.md", "metadata": %s}, "data": "x"}',
        ),
        "TABLE data (a row)": (CREATE, inline % ("TABLE", "[%s]")),
        "LINK data": (CREATE, inline % ("LINK", "%s")),
        "JSON data": (CREATE, inline % ("JSON", "%s")),
        "updateArtifact.metadata": (UPDATE, '{"id": "' + artifact_id + '", "metadata": %s}'),
    }


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_json_postgres_cannot_store_is_bad_input_everywhere(client: Client, case: str) -> None:
    value, fragment = BAD_JSON[case]
    art = create(client, spec("MARKDOWN", "a.md"), data="# ok")
    before = counts(client)
    for field, (query, template) in _json_cases(client, art["id"]).items():
        message = bad_input(client, query, template % value)
        assert fragment in message, (field, message)
    assert counts(client) == before
    unchanged = client("query($id: ID!) { artifact(id: $id) { metadata } }", {"id": art["id"]})
    assert unchanged == {"artifact": {"metadata": {}}}


def test_link_text_is_checked(client: Client) -> None:
    for text, fragment in (('"a\\u0000"', "NUL"), ('"\\ud800"', "surrogate")):
        message = bad_input(
            client,
            CREATE,
            '{"input": {"type": "LINK", "displayName": "l"}, '
            '"data": {"url": "https://example.com", "text": ' + text + "}}",
        )
        assert fragment in message
    assert counts(client)["artifacts"] == 0


def test_markdown_data_with_nul_or_surrogates_is_bad_input(client: Client) -> None:
    for text, fragment in (('"a\\u0000b"', "NUL"), ('"x\\ud83d"', "surrogate")):
        message = bad_input(
            client,
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m"}, "data": ' + text + "}",
        )
        assert message.startswith("data "), message
        assert fragment in message
    assert counts(client)["artifacts"] == 0


def test_text_data_with_a_lone_surrogate_is_bad_input(client: Client) -> None:
    message = bad_input(
        client, CREATE, '{"input": {"type": "TEXT", "displayName": "t.txt"}, "data": "a\\udc00"}'
    )
    assert "TEXT data contains a lone surrogate" in message
    # NUL is fine in a text file (its bytes go to object storage, not to PostgreSQL)
    art = create(client, spec("TEXT", "nul.txt"), data="a\u0000b")
    assert download(art["signedUrl"]["url"]).content == b"a\x00b"


def test_the_limits_themselves_are_accepted(client: Client) -> None:
    variables = '{"m": {"max": 9223372036854775807, "min": -9223372036854775808, "d": %s}}'
    body = post(client, JOB_RUN.replace("{ id }", "{ metadata }"), variables % LISTS_63)
    assert "errors" not in body, body
    metadata = body["data"]["createJobRun"]["metadata"]
    assert (metadata["max"], metadata["min"]) == (2**63 - 1, -(2**63))
    table = post(
        client,
        CREATE,
        '{"input": {"type": "TABLE", "displayName": "t"}, "data": [{"n": 9223372036854775807}]}',
    )
    assert table["data"]["createArtifact"]["data"] == {"columns": ["n"], "rows": [[2**63 - 1]]}


@pytest.mark.parametrize(
    ("query", "variables_json", "fragment"),
    [
        (
            "mutation($n: String!) { createWorkflow(input: {name: $n}) { id } }",
            '{"n": "wf\\ud800"}',
            "'name' contains a lone surrogate",
        ),
        (
            'mutation($n: String!) { createWorkflow(input: {name: "ok", tags: [$n]}) { id } }',
            '{"n": "\\udc00"}',
            "'tags' contains a lone surrogate",
        ),
        (
            "mutation($n: String) { createJobRun(input: {name: $n}) { id } }",
            '{"n": "\\ud800"}',
            "'name' contains a lone surrogate",
        ),
        (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "\\ud800.md"}, "data": "x"}',
            "displayName",
        ),
        (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m", "description": "a\\ud800"}, "data": "x"}',
            "description contains a lone surrogate",
        ),
        (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m", "category": "a\\ud800"}, "data": "x"}',
            "category contains a lone surrogate",
        ),
        (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m", "idempotencyKey": "\\ud800"}, "data": "x"}',
            "idempotencyKey contains a lone surrogate",
        ),
        (
            CREATE,
            '{"input": {"type": "MARKDOWN", "displayName": "m", "description": "a\\u0000"}, "data": "x"}',
            "description must not contain NUL",
        ),
    ],
)
def test_text_fields_refuse_what_postgres_cannot_store(
    client: Client, query: str, variables_json: str, fragment: str
) -> None:
    message = bad_input(client, query, variables_json)
    assert fragment in message
    assert counts(client) == {"jobRuns": 0, "workflowRuns": 0, "artifacts": 0}


def test_update_artifact_text_fields_are_checked_too(client: Client) -> None:
    art = create(client, spec("MARKDOWN", "a.md", description="keep"), data="x")
    for variables, fragment in (
        ('"description": "\\ud800"', "description contains a lone surrogate"),
        ('"category": "a\\u0000"', "category must not contain"),
        ('"displayName": "\\udfff"', "displayName contains a lone surrogate"),
    ):
        message = bad_input(client, UPDATE, '{"id": "' + art["id"] + '", ' + variables + "}")
        assert fragment in message
    kept = client("query($id: ID!) { artifact(id: $id) { description } }", {"id": art["id"]})
    assert kept == {"artifact": {"description": "keep"}}


# --- tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
def test_numeric_date_claims_given_as_strings_are_unauthenticated(
    server: Server, claim: str
) -> None:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "s",
        "org_id": "org-a",
        "scope": "artifacts:read",
        "iat": now,
        "exp": now + 600,
    }
    claims[claim] = str(claims[claim] if claim != "nbf" else now - 10)
    token = jwt.encode(claims, JWT_SECRET, algorithm="HS256")
    response = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ viewer { subject } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert f"the '{claim}' claim must be a number" in error["message"]
    claims[claim] = int(claims[claim])  # the same token with a number is fine
    token = jwt.encode(claims, JWT_SECRET, algorithm="HS256")
    accepted = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ viewer { subject } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert accepted.json() == {"data": {"viewer": {"subject": "s"}}}
