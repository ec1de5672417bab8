"""A corpus of hostile requests, sent over HTTP to the real service (the HTTP boundary
refuses what would fail before GraphQL with 400/413; the service refuses bad values with
field-named messages in a 200 GraphQL response).

Each row is a request a client can send (JSON bodies as raw bytes, multipart bodies built by
hand) with the HTTP status and ``extensions.code`` it must get. For every row: never a 500,
exactly the expected code, a message that says what to do, and afterwards nothing created
or changed for the organization (no artifact in any status, no object in storage).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from minio import Minio

from tests.support.http import Client, Server
from tests.support.stack import Stack

UPLOAD = (
    "mutation($input: ArtifactInput!, $file: Upload!) "
    "{ uploadArtifact(input: $input, file: $file) { id } }"
)
TWO_UPLOADS = (
    "mutation($input: ArtifactInput!, $a: Upload!, $b: Upload!) {"
    " a: uploadArtifact(input: $input, file: $a) { id }"
    " b: uploadArtifact(input: $input, file: $b) { id } }"
)
ONE_FILE_TWICE = (
    "mutation($input: ArtifactInput!, $f: Upload!) {"
    " a: uploadArtifact(input: $input, file: $f) { id }"
    " b: uploadArtifact(input: $input, file: $f) { id } }"
)
CREATE = (
    "mutation($input: ArtifactInput!, $data: JSON) "
    "{ createArtifact(input: $input, data: $data) { id } }"
)
UPDATE = "mutation($id: ID!, $m: JSON) { updateArtifact(id: $id, metadata: $m) { id } }"
LISTED = "query($f: ArtifactFilter) { artifacts(filter: $f) { totalCount } }"
FILE_INPUT = {"type": "TEXT", "displayName": "a.txt", "key": "hostile"}
BOUNDARY = "cairn-corpus-boundary"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
ALL_STATUSES = {"status": ["PENDING", "AVAILABLE", "FAILED"]}


def spec(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "displayName": f"x.{kind.lower()}", "key": "hostile", **extra}


@dataclass
class Sent:
    """What a corpus row sends: a body and its headers (the token is the client's)."""

    content: bytes
    headers: dict[str, str]


def raw_json(text: str | bytes) -> Sent:
    content = text.encode() if isinstance(text, str) else text
    return Sent(content, {"Content-Type": "application/json"})


def as_json(query: str, variables: dict[str, Any] | None = None, **more: Any) -> Sent:
    return raw_json(json.dumps({"query": query, "variables": variables or {}, **more}))


Part = tuple[str, str | None, bytes]  # (name, filename or None for a text field, bytes)


def multipart(
    parts: list[Part],
    *,
    boundary: str = BOUNDARY,
    content_type: str | None = None,
    closed: bool = True,
) -> Sent:
    body = bytearray()
    for name, filename, data in parts:
        body += f"--{boundary}\r\n".encode()
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"Content-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            body += b"Content-Type: text/plain\r\n"
        body += b"\r\n" + data + b"\r\n"
    if closed:
        body += f"--{boundary}--\r\n".encode()
    headers = {
        "Content-Type": content_type or f"multipart/form-data; boundary={boundary}",
        **PREFLIGHT,
    }
    return Sent(bytes(body), headers)


def upload(
    operations: object,
    files_map: object,
    files: list[Part] | None = None,
    **kw: Any,
) -> Sent:
    ops = operations if isinstance(operations, bytes) else json.dumps(operations).encode()
    fmap = files_map if isinstance(files_map, bytes) else json.dumps(files_map).encode()
    default: list[Part] = [("0", "a.txt", b"hello")]
    return multipart(
        [("operations", None, ops), ("map", None, fmap), *(default if files is None else files)],
        **kw,
    )


def upload_ops(query: str = UPLOAD, **variables: Any) -> dict[str, Any]:
    return {"query": query, "variables": {"input": FILE_INPUT, "file": None, **variables}}


def raw_update(artifact_id: str, argument: str, kind: str, value_text: str) -> Sent:
    """updateArtifact with one variable whose JSON is given as raw text."""
    query = f'mutation($v: {kind}) {{ updateArtifact(id: \\"{artifact_id}\\", {argument}: $v) {{ id }} }}'
    return raw_json('{"query": "' + query + '", "variables": {"v": ' + value_text + "}}")


def nested(depth: int, leaf: str = "1") -> str:
    return '{"a":' * depth + leaf + "}" * depth


def deep_literal(depth: int) -> str:
    return "{a: " * depth + "1" + "}" * depth


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Client, str], Sent]  # (client, id of an existing artifact) -> request
    status: int
    code: str
    hint: str  # a fragment of the message that tells the client what to do


BIG = 2**64
CASES = [
    # --- integers beyond 64 bits ------------------------------------------------------
    Case(
        "metadata-int-2**64",
        lambda c, a: as_json(CREATE, {"input": spec("MARKDOWN", metadata={"n": BIG}), "data": "x"}),
        200,
        "BAD_USER_INPUT",
        "send it as a string",
    ),
    Case(
        "metadata-int-literal-2**64",
        lambda c, a: as_json(
            'mutation { createArtifact(input: {type: MARKDOWN, displayName: "x", '
            f'metadata: {{n: {BIG}}}}}, data: "x") {{ id }} }}'
        ),
        200,
        "BAD_USER_INPUT",
        "send it as a string",
    ),
    Case(
        "table-cell-int-2**64",
        lambda c, a: as_json(
            CREATE, {"input": spec("TABLE"), "data": {"columns": ["v"], "rows": [[BIG]]}}
        ),
        200,
        "BAD_USER_INPUT",
        "send it as a string",
    ),
    Case(
        "update-metadata-int-2**64",
        lambda c, a: as_json(UPDATE, {"id": a, "m": {"n": -BIG}}),
        200,
        "BAD_USER_INPUT",
        "send it as a string",
    ),
    Case(
        "int-with-5000-digits",
        lambda c, a: raw_update(a, "metadata", "JSON", "9" * 5000),
        400,
        "BAD_USER_INPUT",
        "send larger ones as strings",
    ),
    Case(
        "bigint-size-2**64",
        lambda c, a: as_json(
            "mutation($i: ArtifactInput!, $s: BigInt!) { beginArtifactUpload(input: $i, "
            'sizeBytes: $s, sha256: "00") { artifact { id } } }',
            {"i": spec("BINARY"), "s": BIG},
        ),
        200,
        "BAD_USER_INPUT",
        "64 bits",
    ),
    # --- NUL characters -----------------------------------------------------------------
    Case(
        "nul-in-markdown",
        lambda c, a: as_json(CREATE, {"input": spec("MARKDOWN"), "data": "a\x00b"}),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-table-cell",
        lambda c, a: as_json(CREATE, {"input": spec("TABLE"), "data": [{"v": "a\x00"}]}),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-table-column",
        lambda c, a: as_json(CREATE, {"input": spec("TABLE"), "data": [{"v\x00": 1}]}),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-link",
        lambda c, a: as_json(
            CREATE, {"input": spec("LINK"), "data": {"url": "https://e.x/\x00", "text": "t"}}
        ),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-metadata",
        lambda c, a: as_json(UPDATE, {"id": a, "m": {"k": "\x00"}}),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-description",
        lambda c, a: as_json(CREATE, {"input": spec("MARKDOWN", description="\x00"), "data": "x"}),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-string-literal",
        lambda c, a: as_json(
            f'mutation {{ updateArtifact(id: "{a}", description: "a\\u0000b") {{ id }} }}'
        ),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "nul-in-json-literal",
        lambda c, a: as_json(
            f'mutation {{ updateArtifact(id: "{a}", metadata: {{k: "\\u0000"}}) {{ id }} }}'
        ),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    # --- lone surrogates (only expressible as raw JSON text) -----------------------------
    Case(
        "lone-surrogate-in-variable",
        lambda c, a: raw_update(a, "description", "String", '"x\\ud800"'),
        200,
        "BAD_USER_INPUT",
        "lone surrogate",
    ),
    Case(
        "lone-low-surrogate-in-metadata-key",
        lambda c, a: raw_update(a, "metadata", "JSON", '{"\\udc00": 1}'),
        200,
        "BAD_USER_INPUT",
        "lone surrogate",
    ),
    Case(
        "lone-surrogate-in-query-text",
        lambda c, a: raw_json('{"query": "{ viewer { subject } } # \\ud800"}'),
        400,
        "BAD_USER_INPUT",
        "surrogate",
    ),
    Case(
        "lone-surrogate-in-string-literal",
        lambda c, a: as_json(
            f'mutation {{ updateArtifact(id: "{a}", description: "\\ud800") {{ id }} }}'
        ),
        200,
        "BAD_USER_INPUT",
        "Unicode",
    ),
    # --- nesting ---------------------------------------------------------------------------
    Case(
        "json-1000-deep",
        lambda c, a: raw_update(a, "metadata", "JSON", nested(1000)),
        400,
        "BAD_USER_INPUT",
        "flatten",
    ),
    Case(
        "json-100000-deep",
        lambda c, a: raw_json('{"query": "{ viewer { subject } }", "x": ' + nested(100_000) + "}"),
        400,
        "BAD_USER_INPUT",
        "flatten",
    ),
    Case(
        "json-literal-150-deep",
        lambda c, a: as_json(
            f'mutation {{ updateArtifact(id: "{a}", metadata: {deep_literal(150)}) {{ id }} }}'
        ),
        200,
        "BAD_USER_INPUT",
        "flatten",
    ),
    # --- encodings and shapes ------------------------------------------------------------
    Case(
        "invalid-utf8-body",
        lambda c, a: raw_json(b'{"query": "{ viewer { subject } }", "v": "\xff\xfe"}'),
        400,
        "BAD_USER_INPUT",
        "UTF-8",
    ),
    Case(
        "latin1-metadata-bytes",
        lambda c, a: raw_json(
            b'{"query": "mutation($m: JSON) { updateArtifact(id: \\"'
            + a.encode()
            + b'\\", metadata: $m) { id } }", "variables": {"m": {"k": "caf\xe9"}}}'
        ),
        400,
        "BAD_USER_INPUT",
        "UTF-8",
    ),
    Case(
        "query-not-a-string",
        lambda c, a: raw_json('{"query": 5}'),
        400,
        "BAD_USER_INPUT",
        "must be a string",
    ),
    Case(
        "variables-a-list",
        lambda c, a: raw_json('{"query": "{ viewer { subject } }", "variables": [1]}'),
        400,
        "BAD_USER_INPUT",
        "must be an object",
    ),
    Case(
        "operation-name-a-number",
        lambda c, a: raw_json('{"query": "{ viewer { subject } }", "operationName": 5}'),
        400,
        "BAD_USER_INPUT",
        "operationName must be a string",
    ),
    # --- DateTime overflow ------------------------------------------------------------------
    Case(
        "datetime-overflow-variable",
        lambda c, a: as_json(
            "query($f: ArtifactFilter) { artifacts(filter: $f) { totalCount } }",
            {"f": {"createdAt": {"before": "9999-12-31T23:59:59-23:59"}}},
        ),
        200,
        "BAD_USER_INPUT",
        "between 0001-01-02 and 9999-12-30",
    ),
    Case(
        "datetime-underflow-literal",
        lambda c, a: as_json(
            '{ artifacts(filter: {createdAt: {after: "0001-01-01T00:00:00+23:59"}}) '
            "{ totalCount } }"
        ),
        200,
        "BAD_USER_INPUT",
        "between 0001-01-02 and 9999-12-30",
    ),
    # --- Upload given other than as a file part -------------------------------------------
    Case(
        "upload-variable-as-string-json",
        lambda c, a: as_json(UPLOAD, {"input": FILE_INPUT, "file": "hello"}),
        200,
        "BAD_USER_INPUT",
        "file part of a multipart request",
    ),
    Case(
        "upload-variable-as-string-multipart",
        lambda c, a: upload(upload_ops(file="hello"), {}, []),
        200,
        "BAD_USER_INPUT",
        "file part of a multipart request",
    ),
    Case(
        "upload-literal-string",
        lambda c, a: as_json(
            'mutation { uploadArtifact(input: {type: TEXT, displayName: "a"}, file: "x") { id } }'
        ),
        200,
        "BAD_USER_INPUT",
        "file part of a multipart request",
    ),
    # --- malformed multipart ------------------------------------------------------------------
    Case(
        "multipart-no-boundary",
        lambda c, a: upload(
            upload_ops(), {"0": ["variables.file"]}, content_type="multipart/form-data"
        ),
        400,
        "BAD_USER_INPUT",
        "boundary",
    ),
    Case(
        "multipart-wrong-boundary",
        lambda c, a: upload(
            upload_ops(),
            {"0": ["variables.file"]},
            content_type="multipart/form-data; boundary=not-the-one",
        ),
        400,
        "BAD_USER_INPUT",
        "boundary",
    ),
    Case(
        "multipart-unclosed",
        lambda c, a: upload(upload_ops(), {"0": ["variables.file"]}, closed=False),
        400,
        "BAD_USER_INPUT",
        "end the body with the closing boundary",
    ),
    Case(
        "multipart-file-part-without-filename",
        lambda c, a: upload(upload_ops(), {"0": ["variables.file"]}, [("0", None, b"hello")]),
        400,
        "BAD_USER_INPUT",
        "filename",
    ),
    Case(
        "multipart-map-is-a-list",
        lambda c, a: upload(upload_ops(), [["variables.file"]]),
        400,
        "BAD_USER_INPUT",
        "'map' part must be a JSON object",
    ),
    Case(
        "multipart-map-not-json",
        lambda c, a: upload(upload_ops(), b"{0: variables.file}"),
        400,
        "BAD_USER_INPUT",
        "not valid JSON",
    ),
    Case(
        "multipart-map-path-not-a-list",
        lambda c, a: upload(upload_ops(), {"0": "variables.file"}),
        400,
        "BAD_USER_INPUT",
        "list holding one path",
    ),
    Case(
        "multipart-map-names-no-part",
        lambda c, a: upload(upload_ops(), {"7": ["variables.file"]}),
        400,
        "BAD_USER_INPUT",
        "names no part",
    ),
    Case(
        "multipart-map-points-at-nothing",
        lambda c, a: upload(upload_ops(), {"0": ["variables.nope.deeper"]}),
        400,
        "BAD_USER_INPUT",
        "set the variable",
    ),
    Case(
        "multipart-map-points-into-a-string",
        lambda c, a: upload(upload_ops(), {"0": ["variables.input.type.x"]}),
        400,
        "BAD_USER_INPUT",
        "set the variable",
    ),
    Case(
        "multipart-map-index-out-of-range",
        lambda c, a: upload(upload_ops(files=[None]), {"0": ["variables.files.5"]}),
        400,
        "BAD_USER_INPUT",
        "set the variable",
    ),
    Case(
        "multipart-map-outside-variables",
        lambda c, a: upload(upload_ops(), {"0": ["query"]}),
        400,
        "BAD_USER_INPUT",
        "start with 'variables.'",
    ),
    Case(
        "multipart-map-overwrites-a-value",
        lambda c, a: upload(upload_ops(), {"0": ["variables.input"]}),
        400,
        "BAD_USER_INPUT",
        "set the variable",
    ),
    Case(
        "multipart-one-file-two-variables",
        lambda c, a: upload(
            {"query": TWO_UPLOADS, "variables": {"input": FILE_INPUT, "a": None, "b": None}},
            {"0": ["variables.a", "variables.b"]},
        ),
        400,
        "BAD_USER_INPUT",
        "send it once per variable",
    ),
    Case(
        "multipart-two-files-one-variable",
        lambda c, a: upload(
            upload_ops(),
            {"0": ["variables.file"], "1": ["variables.file"]},
            [("0", "a.txt", b"a"), ("1", "b.txt", b"b")],
        ),
        400,
        "BAD_USER_INPUT",
        "map each variable to one file",
    ),
    Case(
        "multipart-one-file-variable-used-twice",
        lambda c, a: upload(
            {"query": ONE_FILE_TWICE, "variables": {"input": FILE_INPUT, "f": None}},
            {"0": ["variables.f"]},
        ),
        400,
        "BAD_USER_INPUT",
        "send one file per use",
    ),
    Case(
        "multipart-operations-missing",
        lambda c, a: multipart([("map", None, b'{"0": ["variables.file"]}'), ("0", "a", b"x")]),
        400,
        "BAD_USER_INPUT",
        "needs an 'operations' part",
    ),
    Case(
        "multipart-operations-not-json",
        lambda c, a: upload(b"{query", {"0": ["variables.file"]}),
        400,
        "BAD_USER_INPUT",
        "not valid JSON",
    ),
    Case(
        "multipart-operations-a-batch",
        lambda c, a: upload([upload_ops()], {"0": ["0.variables.file"]}),
        400,
        "BAD_USER_INPUT",
        "batches are not supported",
    ),
    Case(
        "multipart-operations-as-a-file",
        lambda c, a: multipart(
            [
                ("operations", "ops.json", json.dumps(upload_ops()).encode()),
                ("map", None, b'{"0": ["variables.file"]}'),
                ("0", "a.txt", b"x"),
            ]
        ),
        400,
        "BAD_USER_INPUT",
        "not a file",
    ),
    Case(
        "multipart-operations-with-int-2**64",
        lambda c, a: upload(
            upload_ops(input={**FILE_INPUT, "metadata": {"n": BIG}}), {"0": ["variables.file"]}
        ),
        200,
        "BAD_USER_INPUT",
        "send it as a string",
    ),
    Case(
        "multipart-operations-with-nul",
        lambda c, a: upload(
            upload_ops(input={**FILE_INPUT, "description": "\x00"}), {"0": ["variables.file"]}
        ),
        200,
        "BAD_USER_INPUT",
        "must not contain NUL",
    ),
    Case(
        "multipart-too-many-files",
        lambda c, a: upload(
            upload_ops(),
            {"0": ["variables.file"]},
            [(str(n), f"{n}.txt", b"x") for n in range(100)],
        ),
        413,
        "PAYLOAD_TOO_LARGE",
        "send fewer",
    ),
    Case(
        "multipart-too-many-fields",
        lambda c, a: upload(
            upload_ops(),
            {"0": ["variables.file"]},
            [("0", "a.txt", b"x"), *[(f"f{n}", None, b"x") for n in range(50)]],
        ),
        413,
        "PAYLOAD_TOO_LARGE",
        "parts with a filename",
    ),
    Case(
        "multipart-huge-filename",
        lambda c, a: upload(upload_ops(), {"0": ["variables.file"]}, [("0", "n" * 20_000, b"x")]),
        413,
        "PAYLOAD_TOO_LARGE",
        "shorten the filename",
    ),
    Case(
        "multipart-huge-text-part",
        lambda c, a: upload(
            upload_ops(input={**FILE_INPUT, "description": "d" * (2 * 1024 * 1024)}),
            {"0": ["variables.file"]},
        ),
        413,
        "PAYLOAD_TOO_LARGE",
        "send content as a file part",
    ),
    Case(
        "multipart-part-without-name",
        lambda c, a: Sent(
            (
                f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{BOUNDARY}--\r\n"
            ).encode(),
            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **PREFLIGHT},
        ),
        400,
        "BAD_USER_INPUT",
        'name="..."',
    ),
]


@pytest.fixture(scope="module")
def bucket(stack: Stack) -> Callable[[], set[str]]:
    store = Minio(
        stack.s3_url.removeprefix("http://"),
        access_key=stack.s3_access_key,
        secret_key=stack.s3_secret_key,
        secure=False,
        region="us-east-1",
    )

    def objects() -> set[str]:
        if not store.bucket_exists(stack.bucket):
            return set()
        return {o.object_name or "" for o in store.list_objects(stack.bucket, recursive=True)}

    return objects


def snapshot(client: Client) -> list[dict[str, Any]]:
    query = (
        "query($f: ArtifactFilter) { artifacts(filter: $f, first: 500) { totalCount"
        " nodes { id status metadata description updatedAt } } }"
    )
    data = client(query, {"f": ALL_STATUSES})["artifacts"]
    assert data["totalCount"] == len(data["nodes"])
    return list(data["nodes"])


def test_the_corpus_covers_each_kind_once() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_request_gets_a_typed_error_and_changes_nothing(
    server: Server, client: Client, bucket: Callable[[], set[str]], case: Case
) -> None:
    existing = client(
        'mutation { createArtifact(input: {type: MARKDOWN, displayName: "keep", key: "keep",'
        ' metadata: {a: 1}}, data: "kept") { id } }'
    )["createArtifact"]["id"]
    before, objects_before = snapshot(client), bucket()
    sent = case.build(client, existing)
    response = client.http.post("/graphql", content=sent.content, headers=sent.headers)

    assert response.status_code != 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    errors = body.get("errors") or []
    assert [e["extensions"]["code"] for e in errors] == [case.code], body
    assert response.status_code == case.status, body
    assert body.get("data") is None, body
    message = errors[0]["message"]
    assert case.hint in message, message
    assert "internal server error" not in message

    assert snapshot(client) == before  # nothing created, nothing changed
    objects = bucket()
    assert not {o for o in objects if o.startswith(f"orgs/{client.org_id}/")} - objects_before
    assert {o for o in objects if o.startswith("staging/")} <= objects_before


def test_a_well_formed_upload_still_works(client: Client) -> None:
    """The corpus' own builders make a valid request when nothing in it is hostile."""
    sent = upload(upload_ops(), {"0": ["variables.file"]})
    response = client.http.post("/graphql", content=sent.content, headers=sent.headers)
    assert response.status_code == 200, response.text
    artifact_id = response.json()["data"]["uploadArtifact"]["id"]
    listed = client(LISTED, {"f": ALL_STATUSES})["artifacts"]["totalCount"]
    assert listed == 1
    sent = upload(
        {"query": TWO_UPLOADS, "variables": {"input": FILE_INPUT, "a": None, "b": None}},
        {"0": ["variables.a"], "1": ["variables.b"]},
        [("0", "a.txt", b"a"), ("1", "b.txt", b"b")],
    )
    response = client.http.post("/graphql", content=sent.content, headers=sent.headers)
    assert response.status_code == 200, response.text
    assert set(response.json()["data"]) == {"a", "b"}
    assert artifact_id
    nested_ok = client(
        'mutation($m: JSON) { createArtifact(input: {type: MARKDOWN, displayName: "d",'
        ' metadata: $m}, data: "x") { metadata } }',
        {"m": json.loads(nested(20)) | {"big": 2**63 - 1, "text": "caf\u00e9 \U0001f600"}},
    )
    assert nested_ok["createArtifact"]["metadata"]["big"] == 2**63 - 1


def test_no_request_in_the_corpus_reaches_the_error_log(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Refusals are expected outcomes: nothing is logged as an unexpected error."""
    existing = client(
        'mutation { createArtifact(input: {type: MARKDOWN, displayName: "k"}, data: "k") { id } }'
    )["createArtifact"]["id"]
    with caplog.at_level("ERROR"):
        for case in CASES:
            sent = case.build(client, existing)
            with httpx.Client(base_url=str(client.http.base_url), timeout=60) as http:
                http.post(
                    "/graphql",
                    content=sent.content,
                    headers={**sent.headers, "Authorization": f"Bearer {client.token}"},
                )
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []


@pytest.mark.parametrize(
    "value_text",
    ['"nul\\u0000"', '"x\\ud800"', '"\\udc00y"'],
    ids=["nul", "high-surrogate", "low-surrogate"],
)
def test_text_no_column_can_hold_matches_nothing_in_filters(
    client: Client, value_text: str
) -> None:
    """Filters are not validated as input: a NUL or a lone surrogate simply matches nothing
    (asyncpg could not even encode the surrogate; it must never reach it)."""
    client(
        'mutation { createArtifact(input: {type: MARKDOWN, displayName: "x", key: "k"}, '
        'data: "x") { id } }'
    )
    for field in ("displayName: {eq: $v}", "displayName: {contains: $v}", "key: {in: [$v]}"):
        query = (
            "query($v: String!) { artifacts(filter: {" + field + "}) { totalCount } }"
        ).replace('"', '\\"')
        body = raw_json('{"query": "' + query + '", "variables": {"v": ' + value_text + "}}")
        response = client.http.post("/graphql", content=body.content, headers=body.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {"artifacts": {"totalCount": 0}}}, field
