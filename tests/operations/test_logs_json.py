"""CAIRN_LOG_FORMAT=json: one JSON object per line, with time, level, request id,
organization, operation and duration for every GraphQL operation; text stays readable."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from cairn import logs
from cairn.auth import issue_token
from cairn.config import Settings
from tests.support.http import new_org
from tests.support.stack import Stack, make_settings
from tests.support.tokens import serve_app


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure("json", "INFO", stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_the_operation_fields(stack: Stack, captured: io.StringIO) -> None:
    settings = make_settings(stack)
    org = new_org()
    token = issue_token(settings, org_id=org)
    with (
        serve_app(settings) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http,
    ):
        body = http.post(
            "/graphql", json={"query": "query WhoAmI { viewer { organizationId } }"}
        ).json()
        assert body["data"]["viewer"]["organizationId"] == org
        refused = http.post(
            "/graphql", json={"query": 'mutation Oops { deleteArtifact(id: "x") { deletedCount } }'}
        ).json()
        code = refused["errors"][0]["extensions"]["code"]
        request_id = refused["errors"][0]["extensions"]["requestId"]
    lines = _lines(captured)  # every line parsed as JSON: nothing else was written
    operations = {line["operation"]: line for line in lines if "operation" in line}
    who = operations["WhoAmI"]
    assert who["level"] == "INFO"
    assert who["organization"] == org
    assert who["operation_type"] == "query"
    assert who["code"] == "OK"
    assert isinstance(who["duration_ms"], float)
    assert who["duration_ms"] >= 0
    assert who["time"].endswith("+00:00")
    assert "T" in who["time"]
    assert len(who["request_id"]) == 16
    oops = operations["Oops"]
    assert (oops["code"], oops["request_id"], oops["organization"]) == (code, request_id, org)
    assert token not in captured.getvalue()


def test_text_format_keeps_the_request_id() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure("text", "INFO", stream=stream)
    try:
        token = logs.REQUEST_ID.set("abc123")
        logging.getLogger("cairn.probe").info("hello")
        logs.REQUEST_ID.reset(token)
        logging.getLogger("cairn.probe").info("outside")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    first, second = stream.getvalue().splitlines()[-2:]
    assert first.endswith("INFO cairn.probe [abc123] hello")
    assert second.endswith("INFO cairn.probe [-] outside")


def test_log_format_setting() -> None:
    assert Settings(_env_file=None).log_format == "text"  # type: ignore[call-arg]
    assert Settings(_env_file=None, log_format="json").log_format == "json"  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="log_format"):
        Settings(_env_file=None, log_format="xml")  # type: ignore[call-arg]
