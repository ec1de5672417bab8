"""``Accept: application/graphql-response+json`` (the GraphQL-over-HTTP spec's media type)
and the status codes it brings; ``application/json`` keeps today's answers."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from tests.support.http import Client, Server, new_org

GQL = "application/graphql-response+json"
APOLLO_4 = "application/graphql-response+json,application/json;q=0.9"


def post(client: Client, body: object, accept: str) -> httpx.Response:
    return client.http.post("/graphql", json=body, headers={"Accept": accept})


@pytest.mark.parametrize("accept", [GQL, APOLLO_4, f"{GQL}, */*"])
def test_a_query_is_answered_in_the_new_media_type(client: Client, accept: str) -> None:
    answer = post(client, {"query": "{ viewer { organizationId } }"}, accept)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(GQL)
    assert answer.json() == {"data": {"viewer": {"organizationId": client.org_id}}}


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "", f"application/json, {GQL};q=0.5"]
)
def test_application_json_stays_as_it_was(client: Client, accept: str) -> None:
    answer = post(client, {"query": "{ viewer { nope } }"}, accept)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "query",
    [
        "{ viewer { nope } }",
        "{ viewer { ",
        "{ " + " ".join(f"a{i}: viewer {{ subject }}" for i in range(40)) + " }",
    ],
)
def test_parse_and_validation_errors_are_400_without_data(client: Client, query: str) -> None:
    answer = post(client, {"query": query}, GQL)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith(GQL)
    body = answer.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "QUERY_TOO_COMPLEX"}


def test_a_field_error_after_execution_is_200_with_data(client: Client) -> None:
    mutation = 'mutation { setJobRunStatus(id: "00000000-0000-0000-0000-000000000000", status: FAILED) { id } }'
    answer = post(client, {"query": mutation}, GQL)
    assert answer.status_code == 200
    body = answer.json()
    assert "data" in body
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_unparsable_json_is_400_in_the_new_media_type(client: Client) -> None:
    answer = client.http.post(
        "/graphql",
        content=b"{not json",
        headers={"Accept": GQL, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith(GQL)
    assert "data" not in answer.json()


def test_no_token_is_401_in_the_new_media_type(server: Server) -> None:
    answer = httpx.post(
        server.graphql_url, json={"query": "{ viewer { subject } }"}, headers={"Accept": GQL}
    )
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith(GQL)
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_mutation_over_get_is_405(client: Client) -> None:
    mutation = "mutation { createJobRun(input: {name: " + json.dumps(new_org()) + "}) { id } }"
    answer = client.http.get("/graphql", params={"query": mutation}, headers={"Accept": GQL})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    as_json = client.http.get(
        "/graphql", params={"query": mutation}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 400
    assert client("{ jobRuns { totalCount } }")["jobRuns"]["totalCount"] == 0


def test_an_unknown_persisted_query_is_404_in_the_new_media_type(client: Client) -> None:
    digest = hashlib.sha256(new_org().encode()).hexdigest()
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    answer = post(client, body, GQL)
    assert answer.status_code == 404
    assert answer.json()["errors"] == [
        {
            "message": "PersistedQueryNotFound",
            "extensions": {
                "code": "PERSISTED_QUERY_NOT_FOUND",
                "requestId": answer.json()["errors"][0]["extensions"]["requestId"],
            },
        }
    ]
    assert post(client, body, "application/json").status_code == 200
