"""Downloads are served with a Content-Type from an allowlist (checked on SeaweedFS's own
response headers), and a declared mimeType that has a signature check gets it."""

from __future__ import annotations

import pytest

from tests.support.http import Client
from tests.support.publish import CREATE, PNG, b64, create, download, spec, upload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


def artifact_count(client: Client) -> int:
    data = client("{ artifacts(filter: {status: [PENDING, AVAILABLE, FAILED]}) { totalCount } }")
    return int(data["artifacts"]["totalCount"])


# --- downloads: an allowlist of Content-Types -----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "payload", "mime", "served"),
    [
        ("TEXT", b"alert(1)", "text/jscript", "application/octet-stream"),
        ("TEXT", b"alert(1)", "application/x-jscript", "application/octet-stream"),
        ("BINARY", b"--x\r\n", "multipart/x-mixed-replace; boundary=x", "application/octet-stream"),
        ("TEXT", b"+ADw-script+AD4-", "text/plain; charset=utf-7", "application/octet-stream"),
        ("TEXT", b"hello", "text/x-unknown", "application/octet-stream"),
        ("TEXT", b"hello", "text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ("CSV", b"a,b\n1,2\n", "text/csv", "text/csv"),
        ("PNG", PNG, "image/png", "image/png"),
        ("PDF", PDF, "application/pdf", "application/pdf"),
        ("HTML", b"<p>hi</p>", "text/plain", "application/octet-stream"),
    ],
)
def test_downloads_use_their_type_only_when_it_is_known_safe(
    client: Client, kind: str, payload: bytes, mime: str, served: str
) -> None:
    art = create(client, spec(kind, "f", mimeType=mime), b64=b64(payload))
    assert art["mimeType"] == mime  # recorded as declared
    response = download(art["signedUrl"]["url"])
    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["content-type"] == served
    assert response.headers["content-disposition"].startswith("attachment;")


# --- a declared mimeType with a signature check gets it ---------------------------------------


def test_binary_declared_as_pdf_must_be_a_pdf(client: Client) -> None:
    err = client.errors(
        CREATE, {"input": spec("BINARY", "x.pdf", mimeType="application/pdf"), "b64": b64(b"MZ")}
    )
    assert err.codes == ["BAD_USER_INPUT"]
    message = err.errors[0]["message"]
    assert "mimeType application/pdf" in message, message
    assert "%PDF-" in message, message
    response = upload(client, spec("BINARY", "y.pdf", mimeType="application/pdf"), b"\x7fELF")
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_USER_INPUT"]
    assert artifact_count(client) == 0
    good = create(client, spec("BINARY", "z.pdf", mimeType="application/pdf"), b64=b64(PDF))
    assert good["status"] == "AVAILABLE"
    assert download(good["signedUrl"]["url"]).headers["content-type"] == "application/pdf"
    png = client.errors(
        CREATE, {"input": spec("BINARY", "p", mimeType="image/png"), "b64": b64(b"GIF89a")}
    )
    assert png.codes == ["BAD_USER_INPUT"]
    assert "PNG signature" in png.errors[0]["message"]
