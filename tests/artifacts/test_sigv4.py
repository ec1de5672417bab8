"""The local SigV4 presigner (cairn.sigv4) against minio-py, byte for byte, and live.

Unit tests compare every URL with the one minio-py makes for the same inputs (odd keys,
display names, content types, TTLs, dates, endpoints, regions), check what falls back
to minio-py, that the signing key is derived once a day, and that presigning never
touches the network. Live tests download and upload through the URLs on the embedded
SeaweedFS, which checks signatures (a tampered URL gets 403).
"""

from __future__ import annotations

import os
import random
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from minio import Minio

import cairn.sigv4
from cairn.sigv4 import Presigner
from cairn.storage import MinioStore, content_disposition
from tests.support.stack import Stack, run

HOSTS = ["127.0.0.1", "localhost", "minio", "MinIO.Example.COM", "s3.internal.example"]
PORTS = [None, 80, 443, 9000, 8333, 65535]
BUCKETS = ["cairn-artifacts", "b12", "my.bucket.v2", "a" * 63]
REGIONS = ["us-east-1", "eu-central-1", "ap-southeast-2", "garage"]
KEYS = [
    ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("a+b/c=", "ключ-секрет"),
]
ODD = " ~!$&'()*+,;=:@%?#[]\"<>\\^`{|}\t\n\u00e9\u4e2d\U0001f600-._"
TOKENS = [*ODD, "%20", "%2F", "a", "Z", "0"]
TIMEZONES = [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]

segments = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.characters(exclude_categories=("Cs",))),
    min_size=1,
    max_size=12,
).map("".join)
object_keys = st.one_of(
    st.lists(segments, min_size=1, max_size=4).map("/".join),
    st.sampled_from(["orgs/acme/artifacts/0b5c", "staging/x", "a/./b", "../x", "a/..", " "]),
)
names = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(
        ['r\u00e9sum\u00e9 "final"; v2.pdf', "a;b=c", "'quoted'", "100% ~ok~", "\u200b"]
    ),
)
content_types = st.one_of(
    st.none(),
    st.sampled_from(["text/plain", "application/json; charset=utf-8", "image/svg+xml"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
)
dates = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from(TIMEZONES),
)
ttls = st.one_of(st.integers(1, 604800), st.sampled_from([1, 900, 3600, 604800]))


def host_string(host: str, port: int | None) -> str:
    return host if port is None else f"{host}:{port}"


def reference_get(
    client: Minio, bucket: str, key: str, ttl: int, date: datetime, params: dict[str, str]
) -> str:
    return str(
        client.presigned_get_object(
            bucket,
            key,
            expires=timedelta(seconds=ttl),
            response_headers=dict(params) or None,
            request_date=date,
        )
    )


def reference_put(client: Minio, bucket: str, key: str, ttl: int, date: datetime) -> str:
    """minio-py's presigned_put_object with its clock at ``date``."""
    with mock.patch("minio.time.utcnow", return_value=date):
        return str(client.presigned_put_object(bucket, key, expires=timedelta(seconds=ttl)))


def get_params(filename: str, content_type: str | None) -> dict[str, str]:
    params = {"response-content-disposition": content_disposition(filename)}
    if content_type:
        params["response-content-type"] = content_type
    return params


def minio_refuses(fn: Callable[[], str]) -> str | None:
    try:
        return fn()
    except ValueError:
        return None


@contextmanager
def minio_must_not_sign() -> Iterator[None]:
    with mock.patch.object(Minio, "get_presigned_url", side_effect=AssertionError("minio-py")):
        yield


def signed_at(url: str) -> datetime:
    stamp = parse_qs(urlsplit(url).query)["X-Amz-Date"][0]
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


# --- byte identity with minio-py ----------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """One endpoint, bucket, region and key pair: minio-py's client and our presigner."""

    host: str
    port: int | None
    secure: bool
    bucket: str
    region: str
    keys: tuple[str, str]

    def clients(self) -> tuple[Minio, Presigner]:
        endpoint = host_string(self.host, self.port)
        access, secret = self.keys
        client = Minio(endpoint, access, secret, secure=self.secure, region=self.region)
        presigner = Presigner.create(
            endpoint,
            secure=self.secure,
            bucket=self.bucket,
            access_key=access,
            secret_key=secret,
            region=self.region,
        )
        assert presigner is not None
        return client, presigner


signers = st.builds(
    Signer,
    host=st.sampled_from(HOSTS),
    port=st.sampled_from(PORTS),
    secure=st.booleans(),
    bucket=st.sampled_from(BUCKETS),
    region=st.sampled_from(REGIONS),
    keys=st.sampled_from(KEYS),
)


@pytest.mark.unit
@settings(max_examples=600, deadline=None, derandomize=True)
@given(
    signer=signers,
    key=object_keys,
    filename=names,
    content_type=content_types,
    ttl=ttls,
    date=dates,
)
def test_presigned_get_is_minio_byte_for_byte(
    signer: Signer, key: str, filename: str, content_type: str | None, ttl: int, date: datetime
) -> None:
    client, presigner = signer.clients()
    params = get_params(filename, content_type)
    expected = minio_refuses(lambda: reference_get(client, signer.bucket, key, ttl, date, params))
    got = presigner.presign("GET", key, expires=ttl, date=date, response_params=params)
    assert got == expected  # None where minio-py refuses the key: the caller falls back


@pytest.mark.unit
@settings(max_examples=300, deadline=None, derandomize=True)
@given(signer=signers, key=object_keys, ttl=ttls, date=dates)
def test_presigned_put_is_minio_byte_for_byte(
    signer: Signer, key: str, ttl: int, date: datetime
) -> None:
    client, presigner = signer.clients()
    expected = minio_refuses(lambda: reference_put(client, signer.bucket, key, ttl, date))
    assert presigner.presign("PUT", key, expires=ttl, date=date) == expected


def store_case(rng: random.Random) -> tuple[dict[str, Any], Minio]:
    """A MinioStore's arguments and the minio-py client that signs for it."""
    host = host_string(rng.choice(HOSTS), rng.choice(PORTS))
    secure = rng.random() < 0.5
    access, secret = rng.choice(KEYS)
    region = rng.choice(REGIONS)
    endpoint = f"{'https' if secure else 'http'}://{host}"
    public = None
    if rng.random() < 0.5:
        public_secure = rng.random() < 0.5
        public_host = host_string(rng.choice(HOSTS), rng.choice(PORTS))
        public = f"{'https' if public_secure else 'http'}://{public_host}"
        signer = Minio(public_host, access, secret, secure=public_secure, region=region)
    else:
        signer = Minio(host, access, secret, secure=secure, region=region)
    args = {
        "endpoint": endpoint,
        "access_key": access,
        "secret_key": secret,
        "bucket": rng.choice(BUCKETS),
        "region": region,
        "public_endpoint": public,
    }
    return args, signer


@pytest.mark.unit
def test_store_presigns_like_minio_with_and_without_public_endpoint() -> None:
    """MinioStore.presign_get/put (seeded loop): the URL minio-py's client for the signing
    endpoint (CAIRN_S3_PUBLIC_ENDPOINT when set) gives at the same second, and minio-py
    is not called to make it."""
    rng = random.Random(20261123)
    chars = ODD + "abcxyz/"
    publics = 0
    for _ in range(400):
        args, signer = store_case(rng)
        publics += args["public_endpoint"] is not None
        store = MinioStore(**args)
        key = "".join(rng.choice(chars) for _ in range(rng.randint(1, 20))).strip("/") or "k"
        key = key.replace("/./", "/").replace("/../", "/")
        if key.split("/")[-1] in (".", "..") or key.split("/")[0] in (".", ".."):
            key = "x" + key
        filename = "".join(rng.choice(chars) for _ in range(rng.randint(0, 15)))
        content_type = rng.choice([None, "text/plain", "application/octet-stream", "a;b c"])
        ttl = rng.choice([1, 60, 900, 604800, rng.randint(1, 604800)])
        with minio_must_not_sign():
            got = store.presign_get(key, filename=filename, content_type=content_type, ttl=ttl)
            upload = store.presign_put(key, ttl=ttl)
        at = signed_at(got.url)
        params = get_params(filename, content_type)
        assert got.url == reference_get(signer, args["bucket"], key, ttl, at, params)
        assert timedelta(seconds=ttl) <= got.expires_at - at < timedelta(seconds=ttl + 1)
        at = signed_at(upload.url)
        assert upload.url == reference_put(signer, args["bucket"], key, ttl, at)
        assert timedelta(seconds=ttl) <= upload.expires_at - at < timedelta(seconds=ttl + 1)
    assert 150 < publics < 250


@pytest.mark.unit
def test_signing_key_is_derived_once_per_day(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real = cairn.sigv4.hmac.digest

    def counting(key: bytes, msg: bytes, digest: str) -> bytes:
        calls.append(msg)
        return real(key, msg, digest)

    monkeypatch.setattr(cairn.sigv4.hmac, "digest", counting)
    presigner = Presigner.create(
        "127.0.0.1:9000",
        secure=False,
        bucket="cairn-artifacts",
        access_key="AK",
        secret_key="SK",
        region="eu-central-1",
    )
    assert presigner is not None
    client = Minio("127.0.0.1:9000", "AK", "SK", secure=False, region="eu-central-1")
    day = datetime(2026, 11, 23, 23, 59, 58, tzinfo=UTC)
    urls = []
    for offset in (0, 1, 1, 2, 3):  # the last two are the next day
        when = day + timedelta(seconds=offset)
        urls.append((presigner.presign("GET", "k", expires=900, date=when), when))
    # 4 HMACs derive a day's key, then 1 per URL: two days, five URLs
    assert len(calls) == 4 + 4 + 5
    assert calls[:4] == [b"20261123", b"eu-central-1", b"s3", b"aws4_request"]
    assert calls[7:11] == [b"20261124", b"eu-central-1", b"s3", b"aws4_request"]
    monkeypatch.undo()
    for url, when in urls:
        assert url == reference_get(client, "cairn-artifacts", "k", 900, when, {})


# --- what falls back to minio-py ----------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("host", "secure", "bucket", "access", "region"),
    [
        ("s3.amazonaws.com", True, "cairn-artifacts", "AK", "us-east-1"),  # virtual-host style
        ("s3.eu-west-1.amazonaws.com", True, "cairn-artifacts", "AK", "eu-west-1"),
        ("oss-cn-hangzhou.aliyuncs.com", True, "cairn-artifacts", "AK", "cn-hangzhou"),
        ("[::1]:9000", False, "cairn-artifacts", "AK", "us-east-1"),  # IPv6 literal
        ("storage:9000/prefix", False, "cairn-artifacts", "AK", "us-east-1"),  # a path
        ("user@storage:9000", False, "cairn-artifacts", "AK", "us-east-1"),
        ("storage:notaport", False, "cairn-artifacts", "AK", "us-east-1"),
        ("storage:9000", False, "Upper_Case", "AK", "us-east-1"),  # escaped or refused
        ("storage:9000", False, "192.168.1.1", "AK", "us-east-1"),
        ("storage:9000", False, "a..b", "AK", "us-east-1"),
        ("storage:9000", False, "cairn-artifacts", "", "us-east-1"),  # unsigned URLs
        ("storage:9000", False, "cairn-artifacts", "AK", ""),  # minio-py asks storage
    ],
)
def test_endpoints_not_covered_get_no_presigner(
    host: str, secure: bool, bucket: str, access: str, region: str
) -> None:
    made = Presigner.create(
        host, secure=secure, bucket=bucket, access_key=access, secret_key="SK", region=region
    )
    assert made is None


@pytest.mark.unit
def test_amazon_endpoint_falls_back_to_minio_virtual_host_urls() -> None:
    store = MinioStore(
        "https://s3.eu-west-1.amazonaws.com", "AK", "SK", "cairn-artifacts", region="eu-west-1"
    )
    got = store.presign_get("orgs/a/artifacts/b", filename="r.pdf", content_type=None, ttl=900)
    assert got.url.startswith("https://cairn-artifacts.s3.eu-west-1.amazonaws.com/orgs/a/")
    client = Minio("s3.eu-west-1.amazonaws.com", "AK", "SK", secure=True, region="eu-west-1")
    params = get_params("r.pdf", None)
    expected = reference_get(
        client, "cairn-artifacts", "orgs/a/artifacts/b", 900, signed_at(got.url), params
    )
    assert got.url == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("key", "ttl", "params"),
    [
        ("", 900, None),
        ("  ", 900, None),
        ("a/./b", 900, None),
        ("../b", 900, None),
        ("a/..", 900, None),
        ("k", 0, None),
        ("k", 604801, None),
        ("k", 900, {"versionId": "3"}),
        ("k", 900, {"X-Amz-Security-Token": "t"}),
        ("k", 900, {"response-content-type": "a", "Response-Expires": "b"}),
    ],
)
def test_inputs_not_covered_are_left_to_minio(
    key: str, ttl: int, params: dict[str, str] | None
) -> None:
    presigner = Presigner.create(
        "storage:9000", secure=False, bucket="b12", access_key="AK", secret_key="SK", region="r1"
    )
    assert presigner is not None
    assert (
        presigner.presign("GET", key, expires=ttl, date=datetime.now(UTC), response_params=params)
        is None
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("key", "ttl", "message"),
    [
        ("a/./b", 900, "path segment is not supported"),
        (" ", 900, "^$"),
        ("k", 0, "expires must be between"),
        ("k", 604801, "expires must be between"),
    ],
)
def test_store_refuses_what_minio_refuses(key: str, ttl: int, message: str) -> None:
    store = MinioStore("http://127.0.0.1:9000", "AK", "SK", "cairn-artifacts")
    with pytest.raises(ValueError, match=message):
        store.presign_get(key, filename="f", content_type=None, ttl=ttl)
    with pytest.raises(ValueError, match=message):
        store.presign_put(key, ttl=ttl)


@pytest.mark.unit
def test_presigning_makes_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("presigning opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for public in (None, "https://files.example.com"):
        for endpoint in ("http://127.0.0.1:1", "https://s3.eu-west-1.amazonaws.com"):
            store = MinioStore(
                endpoint, "AK", "SK", "cairn-artifacts", region="eu-west-1", public_endpoint=public
            )
            got = store.presign_get(
                "orgs/o/artifacts/a", filename="a.txt", content_type="text/plain", ttl=900
            )
            put = store.presign_put("staging/a", ttl=900)
            assert "X-Amz-Signature=" in got.url
            assert "X-Amz-Signature=" in put.url
            if public:
                assert got.url.startswith(public + "/cairn-artifacts/")


# --- live, against the embedded SeaweedFS ---------------------------------------------------


@pytest.fixture(scope="module")
def live(stack: Stack) -> MinioStore:
    store = MinioStore(stack.s3_url, stack.s3_access_key, stack.s3_secret_key, stack.bucket)
    run(store.ensure_bucket())
    return store


def put_object(store: MinioStore, payload: bytes) -> str:
    key = f"sigv4-tests/{uuid.uuid4()}"
    run(store.put_bytes(key, payload, "application/octet-stream"))
    return key


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("report.json", "application/json"),
        ('r\u00e9sum\u00e9 "final"; v2 \u4e2d\u6587 \U0001f600.pdf', "application/pdf"),
        ("a;b=c&d?e#f%20 +.txt", None),
    ],
)
def test_signed_get_downloads_with_disposition(
    live: MinioStore, filename: str, content_type: str | None
) -> None:
    payload = os.urandom(2048)
    key = put_object(live, payload)
    with minio_must_not_sign():
        signed = live.presign_get(key, filename=filename, content_type=content_type, ttl=60)
    response = httpx.get(signed.url, timeout=30)
    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["content-disposition"] == content_disposition(filename)
    expected_type = content_type or "application/octet-stream"
    assert response.headers["content-type"] == expected_type


def tampered(url: str) -> list[str]:
    signature = url.rsplit("=", 1)[1]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    return [
        url.rsplit("=", 1)[0] + "=" + flipped,
        url.replace("X-Amz-Expires=60", "X-Amz-Expires=600"),
        url.replace("response-content-type=text%2Fplain", "response-content-type=text%2Fhtml"),
    ]


def test_tampered_signed_get_is_refused(live: MinioStore) -> None:
    key = put_object(live, b"secret bytes")
    signed = live.presign_get(key, filename="s.txt", content_type="text/plain", ttl=60)
    assert httpx.get(signed.url, timeout=30).content == b"secret bytes"
    bad = tampered(signed.url)
    assert len(set(bad)) == 3
    assert signed.url not in bad
    for url in bad:
        assert httpx.get(url, timeout=30).status_code == 403
    other = put_object(live, b"other bytes")
    assert httpx.get(signed.url.replace(key, other), timeout=30).status_code == 403


def test_signed_put_uploads_and_tampered_put_is_refused(live: MinioStore) -> None:
    key = f"sigv4-tests/{uuid.uuid4()}"
    with minio_must_not_sign():
        signed = live.presign_put(key, ttl=60)
    assert httpx.put(tampered(signed.url)[0], content=b"evil", timeout=30).status_code == 403
    assert httpx.put(signed.url, content=b"uploaded", timeout=30).status_code == 200
    assert run(live.read(key)) == b"uploaded"


def test_odd_object_keys_work_live(live: MinioStore) -> None:
    """Keys are never user text in Cairn, but the canonical path must still be right."""
    for odd in ("a b", "semi;colon", "quote'd", "pct%41", "tilde~", "\u00fcnic\u00f8de", "x(1)"):
        key = f"sigv4-tests/{uuid.uuid4()}/{odd}"
        signed = live.presign_put(key, ttl=60)
        assert f"/{quote(odd)}?" in signed.url
        assert httpx.put(signed.url, content=odd.encode(), timeout=30).status_code == 200, odd
        got = live.presign_get(key, filename=odd, content_type=None, ttl=60)
        assert httpx.get(got.url, timeout=30).content == odd.encode(), odd


def test_public_endpoint_urls_work_live(stack: Stack, live: MinioStore) -> None:
    public = stack.s3_url.replace("127.0.0.1", "localhost")
    assert public != stack.s3_url
    store = MinioStore(
        stack.s3_url, stack.s3_access_key, stack.s3_secret_key, stack.bucket, public_endpoint=public
    )
    key = put_object(live, b"via localhost")
    with minio_must_not_sign():
        signed = store.presign_get(key, filename="p.bin", content_type=None, ttl=60)
    assert signed.url.startswith(f"{public}/{stack.bucket}/{key}?")
    assert httpx.get(signed.url, timeout=30).content == b"via localhost"
    # the host is signed: the same URL sent to 127.0.0.1 does not verify
    assert httpx.get(signed.url.replace(public, stack.s3_url), timeout=30).status_code == 403


def test_other_region_signs_live(stack: Stack, live: MinioStore) -> None:
    """The region is part of the signed scope; SeaweedFS verifies with the one in the URL."""
    store = MinioStore(
        stack.s3_url, stack.s3_access_key, stack.s3_secret_key, stack.bucket, region="eu-central-1"
    )
    key = put_object(live, b"regional")
    with minio_must_not_sign():
        signed = store.presign_get(key, filename="r.bin", content_type=None, ttl=60)
    assert "%2Feu-central-1%2Fs3%2Faws4_request" in signed.url
    assert httpx.get(signed.url, timeout=30).content == b"regional"
    moved = signed.url.replace("%2Feu-central-1%2F", "%2Fus-east-1%2F")
    assert httpx.get(moved, timeout=30).status_code == 403
