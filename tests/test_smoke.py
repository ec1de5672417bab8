from tests.conftest import Client


def test_viewer(client: Client) -> None:
    data = client("{ viewer { subject organizationId scopes } }")
    assert data["viewer"]["organizationId"] == client.org_id


def test_workflow_roundtrip(client: Client) -> None:
    wf = client('mutation { createWorkflow(input: {name: "etl", tags: ["a"]}) { id name tags } }')
    wid = wf["createWorkflow"]["id"]
    run = client(
        "mutation($w: ID!) { createWorkflowRun(input: {workflowId: $w}) { id status startedAt workflow { name } } }",
        {"w": wid},
    )
    assert run["createWorkflowRun"]["workflow"]["name"] == "etl"
    data = client("{ workflows { totalCount nodes { name runs { totalCount nodes { id } } } } }")
    assert data["workflows"]["totalCount"] == 1
