"""Artifact.preview (a ranged read, never the whole object) and
signedUrl(disposition:) (inline only for safe kinds), through HTTP against SeaweedFS."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.app import make_store
from cairn.storage import MinioStore
from tests.support.http import Client, serve
from tests.support.publish import PNG, b64, client_for, create, download, spec, upload
from tests.support.stack import Stack, make_settings

OCTET = "application/octet-stream"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PREVIEW = """query($id: ID!, $max: Int) {
  artifact(id: $id) { id preview(maxBytes: $max) { text truncated columns rows } }
}"""
SIGNED = """query($id: ID!, $d: SignedUrlDisposition) {
  artifact(id: $id) { signedUrl(disposition: $d) { url } }
}"""


def preview(client: Client, art_id: str, max_bytes: int | None = None) -> Any:
    variables: dict[str, Any] = {"id": art_id}
    if max_bytes is not None:
        variables["max"] = max_bytes
    return client(PREVIEW, variables)["artifact"]["preview"]


def test_text_preview_cuts_at_max_bytes_and_drops_a_partial_character(client: Client) -> None:
    body = "héllo wörld ✓ end".encode()
    art = create(client, spec("TEXT", "t.txt"), b64=b64(body))
    whole = preview(client, art["id"])
    assert whole == {"text": body.decode(), "truncated": False, "columns": None, "rows": None}
    cut = body.index("✓".encode()) + 1  # inside the three-byte check mark
    part = preview(client, art["id"], cut)
    assert part["text"] == body[: cut - 1].decode()
    assert part["truncated"] is True


def test_invalid_utf8_is_replaced(client: Client) -> None:
    art = create(
        client, spec("BINARY", "bad.log", mimeType="text/plain"), b64=b64(b"ok \xff\xfe ok")
    )
    assert preview(client, art["id"])["text"] == "ok \ufffd\ufffd ok"


def test_csv_preview_parses_header_and_rows_and_drops_a_cut_row(client: Client) -> None:
    body = b'name,note\nalice,"a, b"\nbob,plain\ncarol,last-row\n'
    art = create(client, spec("CSV", "t.csv"), b64=b64(body))
    full = preview(client, art["id"])
    assert full["columns"] == ["name", "note"]
    assert full["rows"] == [["alice", "a, b"], ["bob", "plain"], ["carol", "last-row"]]
    cut = preview(client, art["id"], body.index(b"carol") + 3)
    assert cut["truncated"] is True
    assert cut["rows"] == [["alice", "a, b"], ["bob", "plain"]]


def test_inline_kinds_preview_from_their_data(client: Client) -> None:
    md = create(client, spec("MARKDOWN", "r.md"), data="# Title\n\n<script>x</script>")
    assert preview(client, md["id"])["text"] == "# Title\n\n<script>x</script>"
    table = create(client, spec("TABLE", "t"), data=[{"a": 1, "b": "x"}, {"a": 2, "b": None}])
    got = preview(client, table["id"])
    assert got["columns"] == ["a", "b"]
    assert got["rows"] == [["1", "x"], ["2", ""]]
    link = create(client, spec("LINK", "l"), data={"url": "https://example.com/", "text": "e"})
    assert "https://example.com/" in preview(client, link["id"])["text"]


def test_binary_types_have_no_text(client: Client) -> None:
    png = create(client, spec("PNG", "p.png"), b64=b64(PNG))
    got = preview(client, png["id"])
    assert got["text"] is None
    assert got["columns"] is None


@pytest.mark.parametrize("bad", [0, -1, 1024 * 1024 + 1])
def test_max_bytes_out_of_range_is_bad_user_input(client: Client, bad: int) -> None:
    art = create(client, spec("TEXT", "t.txt"), b64=b64(b"hello"))
    err = client.errors(PREVIEW, {"id": art["id"], "max": bad})
    assert err.codes == ["BAD_USER_INPUT"]
    assert "between 1 and 1048576" in err.errors[0]["message"]


def test_another_organization_sees_null_and_missing_scope_is_forbidden(
    client: Client, other: Client, client_factory: Any
) -> None:
    art = create(client, spec("TEXT", "secret.txt"), b64=b64(b"secret"))
    assert other(PREVIEW, {"id": art["id"]})["artifact"] is None
    assert other(SIGNED, {"id": art["id"], "d": "INLINE"})["artifact"] is None
    no_read = client_factory(org_id=client.org_id, scopes=("artifacts:write",))
    assert no_read.errors(PREVIEW, {"id": art["id"]}).codes == ["FORBIDDEN"]
    assert no_read.errors(SIGNED, {"id": art["id"], "d": "INLINE"}).codes == ["FORBIDDEN"]


class CountingStore(MinioStore):
    """Records the ranged reads asked of storage and how many bytes came back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ranges: list[tuple[int, int, int]] = []
        self.whole_reads = 0

    async def read_range(self, key: str, offset: int, length: int) -> bytes:
        data = await super().read_range(key, offset, length)
        self.ranges.append((offset, length, len(data)))
        return data

    async def read(self, key: str) -> bytes:
        self.whole_reads += 1
        return await super().read(key)


def test_a_huge_object_is_read_only_up_to_max_bytes(stack: Stack) -> None:
    settings = make_settings(stack)
    store = make_store(settings, CountingStore)
    with serve(settings, store=store) as server:
        client = client_for(server)
        body = b"line of text\n" * (3 * 1024 * 1024 // 13)  # ~3 MiB
        response = upload(client, spec("TEXT", "big.log"), body)
        art = response.json()["data"]["uploadArtifact"]
        got = preview(client, art["id"], 1000)
        assert got["truncated"] is True
        assert got["text"] == body[:1000].decode()
        assert store.ranges == [(0, 1000, 1000)]
        assert store.whole_reads == 0


def test_preview_on_too_many_file_artifacts_is_refused(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file preview is one storage read: a request may make at most
    MAX_STORAGE_PREVIEWS (lowered here to 2), the rest fail with QUERY_TOO_COMPLEX."""
    for i in range(3):
        create(client, spec("TEXT", f"t{i}.txt"), b64=b64(b"x"))
    query = "{ artifacts(first: 3) { nodes { preview { text } } } }"
    ok = client(query)
    assert [n["preview"]["text"] for n in ok["artifacts"]["nodes"]] == ["x", "x", "x"]
    monkeypatch.setattr("cairn.services.previews.MAX_STORAGE_PREVIEWS", 2)
    body = client.raw(query).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    texts = [n["preview"] and n["preview"]["text"] for n in body["data"]["artifacts"]["nodes"]]
    assert sorted(texts, key=str) == [None, "x", "x"]


# --- signedUrl(disposition:) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "payload", "mime", "disposition", "served"),
    [
        ("PNG", PNG, "image/png", "inline", "image/png"),
        ("PDF", PDF, "application/pdf", "inline", "application/pdf"),
        ("TEXT", b"hello", "text/plain", "inline", "text/plain"),
        ("CSV", b"a,b\n", "text/csv", "attachment", "text/csv"),
        ("JSON", b"{}", "application/json", "attachment", "application/json"),
        ("HTML", b"<script>1</script>", "text/html", "attachment", "application/octet-stream"),
        ("SVG", b"<svg/>", "image/svg+xml", "attachment", "application/octet-stream"),
        ("XML", b"<a/>", "application/xml", "attachment", "application/octet-stream"),
        ("BINARY", b"\x00\x01", "application/octet-stream", "attachment", OCTET),
    ],
)
def test_inline_disposition_only_for_safe_kinds(
    client: Client, kind: str, payload: bytes, mime: str, disposition: str, served: str
) -> None:
    art = create(client, spec(kind, "f", mimeType=mime), b64=b64(payload))
    inline = client(SIGNED, {"id": art["id"], "d": "INLINE"})["artifact"]["signedUrl"]
    response = download(inline["url"])
    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["content-type"] == served
    assert response.headers["content-disposition"].startswith(f"{disposition};")
    default = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]
    attached = download(default["url"])
    assert attached.headers["content-disposition"].startswith("attachment;")
    assert attached.headers["content-type"] == served


def test_preview_on_a_page_adds_no_statement_per_row(server: Any, client_factory: Any) -> None:
    """Previews read the row the page already loaded: 1 artifact or 6, the same statements."""
    small, big = client_factory(), client_factory()
    create(small, spec("CSV", "a.csv"), b64=b64(b"a,b\n1,2\n"))
    for i in range(6):
        create(big, spec("CSV", f"{i}.csv"), b64=b64(b"a,b\n1,2\n"))
    query = """{ artifacts(first: 50) { nodes {
      id preview(maxBytes: 100) { text rows } signedUrl(disposition: INLINE) { url } } } }"""
    with server.count_statements() as small_sql:
        small_data = small(query)
    with server.count_statements() as big_sql:
        big_data = big(query)
    assert len(big_data["artifacts"]["nodes"]) == 6
    assert all(n["preview"]["rows"] == [["1", "2"]] for n in big_data["artifacts"]["nodes"])
    assert len(small_data["artifacts"]["nodes"]) == 1
    ours = [s for s in big_sql if "typeinfo_tree" not in s and "set_config('jit'" not in s]
    theirs = [s for s in small_sql if "typeinfo_tree" not in s and "set_config('jit'" not in s]
    assert len(ours) == len(theirs), ours
