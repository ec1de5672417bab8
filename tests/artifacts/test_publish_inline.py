"""createArtifact: every type, content checks, validation, signed URLs of small files."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cairn.auth import SCOPE_READ
from tests.support.http import Client, Server
from tests.support.publish import CREATE, PNG, b64, create, download, make_run_ids, sha, spec
from tests.support.stack import Stack, fetch


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_markdown_is_inline_and_available(client: Client) -> None:
    art = create(client, spec("MARKDOWN", "notes.md", key="notes"), data="# Hello\n\n*world*")
    assert art["status"] == "AVAILABLE"
    assert art["data"] == "# Hello\n\n*world*"
    assert (art["key"], art["version"], art["isLatest"]) == ("notes", 1, True)
    assert art["mimeType"] == "text/markdown"
    assert art["storagePath"] is None
    assert art["signedUrl"] is None
    encoded = canonical("# Hello\n\n*world*")
    assert art["sha256"] == sha(encoded)
    assert art["sizeBytes"] == len(encoded)
    assert art["createdBy"] == "tester"
    assert art["metadata"] == {}


TABLE = {"columns": ["a", "b"], "rows": [[1, "x"], [2, None]]}


@pytest.mark.parametrize(
    "data",
    [
        [{"a": 1, "b": "x"}, {"a": 2}],
        {"columns": ["a", "b"], "rows": [[1, "x"], [2, None]]},
        {"columns": ["a", "b"], "rows": [{"a": 1, "b": "x"}, {"a": 2}]},
        {"a": [1, 2], "b": ["x", None]},
    ],
    ids=["list-of-objects", "columns-and-lists", "columns-and-objects", "object-of-columns"],
)
def test_table_forms_are_stored_as_columns_and_rows(client: Client, data: Any) -> None:
    art = create(client, spec("TABLE", "t"), data=data)
    assert art["data"] == TABLE
    assert art["sha256"] == sha(canonical(TABLE))
    assert art["mimeType"] == "application/json"


def test_table_nan_and_infinities_become_null(client: Client) -> None:
    # Python's json module writes NaN/Infinity literals, as pandas users' clients do
    body = {
        "query": CREATE,
        "variables": {
            "input": spec("TABLE", "t"),
            "data": {"x": [1.5, float("nan"), float("inf"), float("-inf")]},
        },
    }
    response = client.http.post(
        "/graphql", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.json()["data"]["createArtifact"]["data"] == {
        "columns": ["x"],
        "rows": [[1.5], [None], [None], [None]],
    }
    as_b64 = create(client, spec("TABLE", "t"), b64=b64(b'[{"v": NaN}, {"v": -Infinity}]'))
    assert as_b64["data"] == {"columns": ["v"], "rows": [[None], [None]]}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([[1, 2], [3, 4]], "columns"),
        ({"columns": ["a"], "rows": [[1, 2]]}, "row 0"),
        ({"a": [1], "b": [1, 2]}, "equally long"),
        ({"columns": ["a", "a"], "rows": []}, "unique"),
        ("text", "TABLE data"),
    ],
)
def test_bad_tables_say_what_to_fix(client: Client, data: Any, fragment: str) -> None:
    err = client.errors(CREATE, {"input": spec("TABLE", "t"), "data": data})
    assert err.codes == ["BAD_USER_INPUT"]
    assert fragment in err.errors[0]["message"]


def test_link_accepts_http_and_https_only(client: Client) -> None:
    art = create(
        client, spec("LINK", "docs"), data={"url": "https://example.com/a?b=1", "text": "Docs"}
    )
    assert art["data"] == {"url": "https://example.com/a?b=1", "text": "Docs"}
    assert art["mimeType"] == "text/uri-list"
    plain = create(client, spec("LINK", "docs"), data={"url": "http://example.com"})
    assert plain["data"] == {"url": "http://example.com", "text": "http://example.com"}
    for url in ("javascript:alert(1)", "ftp://example.com/x", "https://", "file:///etc/passwd"):
        err = client.errors(CREATE, {"input": spec("LINK", "x"), "data": {"url": url}})
        assert err.codes == ["BAD_USER_INPUT"], url
        assert "http or https" in err.errors[0]["message"]


def test_json_data_is_stored_as_a_file_with_exact_bytes(client: Client, server: Server) -> None:
    art = create(
        client, spec("JSON", "report.json", key="report"), data={"b": 1, "a": [True, None]}
    )
    assert art["status"] == "AVAILABLE"
    assert art["data"] is None
    expected = b'{"b":1,"a":[true,null]}'
    assert art["sha256"] == sha(expected)
    assert art["sizeBytes"] == len(expected)
    assert art["mimeType"] == "application/json"
    bucket, key = art["storagePath"].split("/", 1)
    assert bucket == server.settings.s3_bucket
    assert key == f"orgs/{client.org_id}/artifacts/{art['id']}"
    response = download(art["signedUrl"]["url"])
    assert response.status_code == 200
    assert response.content == expected
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].startswith('attachment; filename="report.json"')


def test_every_file_type_via_base64(client: Client, server: Server) -> None:
    samples = {
        "JSON": (b'{"ok": true}', "application/json"),
        "TEXT": ("héllo\n".encode(), "text/plain"),
        "PNG": (PNG, "image/png"),
        "JPEG": (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        "WEBP": (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, "image/webp"),
        "GIF": (b"GIF89a" + b"\x01\x00" * 8, "image/gif"),
        "SVG": (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "image/svg+xml",
        ),
        "PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        "CSV": (b"a,b\n1,2\n", "text/csv"),
        "XML": (b"<root><a>1</a></root>", "application/xml"),
        "HTML": (b"<!doctype html><script>alert(1)</script>", "text/html"),
        "BINARY": (bytes(range(256)), "application/octet-stream"),
    }
    for kind, (payload, mime) in samples.items():
        art = create(client, spec(kind, f"file.{kind.lower()}"), b64=b64(payload))
        assert (art["status"], art["mimeType"]) == ("AVAILABLE", mime), kind
        assert art["sha256"] == sha(payload), kind
        assert art["sizeBytes"] == len(payload), kind
        response = download(art["signedUrl"]["url"])
        assert response.content == payload, kind
        served = "application/octet-stream" if kind in ("HTML", "SVG", "XML") else mime
        assert response.headers["content-type"] == served, kind
        assert response.headers["content-disposition"].startswith("attachment;"), kind


@pytest.mark.parametrize(
    ("kind", "payload", "fragment"),
    [
        ("PNG", b"GIF89a not a png", "PNG signature"),
        ("JPEG", b"\x89PNG\r\n\x1a\n", "JPEG signature"),
        ("GIF", b"hello", "GIF signature"),
        ("WEBP", b"RIFF\x00\x00\x00\x00WAVE", "WEBP"),
        ("PDF", b"hello world", "%PDF-"),
        ("JSON", b'{"a": 1,}', "not valid JSON"),
        ("JSON", b"NaN", "not valid JSON"),
        ("TEXT", b"\xff\xfe\x00bad", "UTF-8"),
        ("SVG", b"<html></html>", "<svg>"),
        ("XML", b"just text", "'<'"),
        ("CSV", b"a,b\x00\x01", "NUL"),
    ],
)
def test_bytes_contradicting_the_type_are_refused(
    client: Client, kind: str, payload: bytes, fragment: str
) -> None:
    err = client.errors(CREATE, {"input": spec(kind, "x"), "b64": b64(payload)})
    assert err.codes == ["BAD_USER_INPUT"]
    assert fragment in err.errors[0]["message"]


def test_text_data_and_content_rules(client: Client) -> None:
    art = create(client, spec("TEXT", "log.txt", mimeType="text/x-log"), data="line 1\nline 2")
    assert art["mimeType"] == "text/x-log"
    assert download(art["signedUrl"]["url"]).content == b"line 1\nline 2"
    cases = [
        ({"input": spec("PNG", "x"), "data": "abc"}, "contentBase64"),
        ({"input": spec("TEXT", "x"), "data": {"a": 1}}, "TEXT data must be a string"),
        ({"input": spec("TEXT", "x"), "data": "a", "b64": b64(b"a")}, "exactly one"),
        ({"input": spec("TEXT", "x")}, "exactly one"),
        ({"input": spec("BINARY", "x"), "b64": "***"}, "base64"),
        ({"input": spec("TEXT", "x", mimeType="text/html"), "data": "a"}, "active content"),
        ({"input": spec("TEXT", "x", mimeType="not a mime"), "data": "a"}, "MIME type"),
        ({"input": spec("MARKDOWN", "x"), "data": 5}, "string of markdown"),
    ]
    for variables, fragment in cases:
        err = client.errors(CREATE, variables)
        assert err.codes == ["BAD_USER_INPUT"], variables
        assert fragment in err.errors[0]["message"], (variables, err.errors)


def test_content_over_the_inline_limit_is_payload_too_large(client: Client, server: Server) -> None:
    limit = server.settings.max_inline_bytes
    err = client.errors(CREATE, {"input": spec("BINARY", "x"), "b64": b64(b"\x00" * (limit + 1))})
    assert err.codes == ["PAYLOAD_TOO_LARGE"]
    assert "uploadArtifact" in err.errors[0]["message"]
    err = client.errors(CREATE, {"input": spec("MARKDOWN", "x"), "data": "x" * (limit + 1)})
    assert err.codes == ["PAYLOAD_TOO_LARGE"]
    exact = create(client, spec("BINARY", "x"), b64=b64(b"\x01" * limit))
    assert exact["sizeBytes"] == limit


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"key": "Bad_Key"}, "key 'Bad_Key' is invalid"),
        ({"key": "-x"}, "is invalid"),
        ({"key": "x" * 201}, "is invalid"),
        ({"displayName": "   "}, "displayName must not be empty"),
        ({"displayName": "x" * 256}, "longer than 255"),
        ({"displayName": "a\nb"}, "control characters"),
        ({"metadata": [1, 2]}, "metadata must be a JSON object"),
        ({"metadata": "x"}, "metadata must be a JSON object"),
        ({"category": ""}, "category must not be empty"),
        ({"idempotencyKey": ""}, "idempotencyKey"),
    ],
)
def test_input_validation(client: Client, changes: dict[str, Any], fragment: str) -> None:
    variables = {"input": {**spec("MARKDOWN", "n.md"), **changes}, "data": "x"}
    err = client.errors(CREATE, variables)
    assert err.codes == ["BAD_USER_INPUT"]
    assert fragment in err.errors[0]["message"]


def test_run_links_are_denormalized_and_checked(
    client: Client, other: Client, stack: Stack
) -> None:
    ids = make_run_ids(client)
    art = create(
        client, spec("MARKDOWN", "n.md", workflowRunId=ids["run"], metadata={"k": 1}), data="x"
    )
    assert art["workflowRun"] == {"id": ids["run"]}
    assert art["workflow"] == {"id": ids["workflow"]}
    assert art["jobRun"] == {"id": ids["job"]}
    assert art["metadata"] == {"k": 1}
    row = fetch(
        stack.owner_dsn,
        "SELECT workflow_id, job_run_id FROM artifacts WHERE id = $1::uuid",
        art["id"],
    )
    assert (str(row[0]["workflow_id"]), str(row[0]["job_run_id"])) == (ids["workflow"], ids["job"])
    for run_id in (ids["run"], "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        err = other.errors(
            CREATE, {"input": spec("MARKDOWN", "n", workflowRunId=run_id), "data": "x"}
        )
        assert err.codes == ["NOT_FOUND"], run_id
    err = other.errors(
        CREATE, {"input": spec("PNG", "n", workflowRunId=ids["run"]), "b64": b64(PNG)}
    )
    assert err.codes == ["NOT_FOUND"]
    assert (
        fetch(
            stack.owner_dsn, "SELECT count(*) AS n FROM artifacts WHERE org_id = $1", other.org_id
        )[0]["n"]
        == 0
    )


def test_write_scope_is_required(client_factory: Any) -> None:
    reader = client_factory(scopes=(SCOPE_READ,))
    err = reader.errors(CREATE, {"input": spec("MARKDOWN", "n"), "data": "x"})
    assert err.codes == ["FORBIDDEN"]


def test_statement_counts_are_constant(client: Client, server: Server) -> None:
    create(client, spec("MARKDOWN", "n", key="warm"), data="x")
    counts = []
    for kind, variables in [
        ("MARKDOWN", {"data": "x"}),
        ("MARKDOWN", {"data": "y"}),
        ("JSON", {"data": {"a": 1}}),
        ("JSON", {"data": {"a": 2}}),
    ]:
        with server.count_statements() as seen:
            create(client, spec(kind, "n", key=f"k-{kind.lower()}"), **variables)
        counts.append(len(seen))
    # inline: BEGIN+scope, bump, insert, its audit event, notify, COMMIT; a file adds a
    # first transaction for its PENDING row (BEGIN+scope, insert, COMMIT) and, since the
    # answer selects signedUrl, the audit transaction of the URL (BEGIN+scope, INSERT, COMMIT)
    assert counts == [6, 6, 12, 12], counts


def test_download_names_the_file_even_when_not_ascii(client: Client) -> None:
    art = create(client, spec("PDF", 'résumé "2024".pdf'), b64=b64(b"%PDF-1.4\n"))
    disposition = download(art["signedUrl"]["url"]).headers["content-disposition"]
    assert disposition == (
        "attachment; filename=\"rsum 2024.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%222024%22.pdf"
    )


def test_base64_variants(client: Client) -> None:
    payload = b"\xfb\xff\xfe\x00"
    standard = base64.b64encode(payload).decode()  # '+//+AA=='
    urlsafe = base64.urlsafe_b64encode(payload).decode().rstrip("=")  # '-__-AA'
    for text in (standard, urlsafe, standard[:4] + "\n" + standard[4:]):
        assert create(client, spec("BINARY", "b"), b64=text)["sha256"] == sha(payload), text
    err = client.errors(CREATE, {"input": spec("BINARY", "b"), "b64": standard + "=="})
    assert err.codes == ["BAD_USER_INPUT"]
