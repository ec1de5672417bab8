"""Shared helpers for the security tests: keys, hand-made tokens, a local JWKS server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jose import jwk, jwt

from cairn.config import Settings
from tests.support.http import serve
from tests.support.stack import JWT_SECRET


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_pem: str
    public_der: bytes
    kind: str  # "RSA" | "EC"

    def jwk(self, kid: str, alg: str | None = None) -> dict[str, Any]:
        algorithm = alg or ("RS256" if self.kind == "RSA" else "ES256")
        data: dict[str, Any] = jwk.construct(self.public_pem, algorithm).to_dict()
        data["kid"] = kid
        if alg is None:
            data.pop("alg", None)
        data["use"] = "sig"
        return data


def _pair(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, kind: str) -> KeyPair:
    public = private.public_key()
    return KeyPair(
        private_pem=private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        public_pem=public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        public_der=public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        kind=kind,
    )


@cache
def rsa_pair(n: int = 0) -> KeyPair:
    """RSA key number ``n`` (cached: key generation is the slow part)."""
    return _pair(rsa.generate_private_key(public_exponent=65537, key_size=2048), "RSA")


@cache
def ec_pair(n: int = 0) -> KeyPair:
    return _pair(ec.generate_private_key(ec.SECP256R1()), "EC")


def claims(org: str = "org-a", **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "alice",
        "org_id": org,
        "scope": "artifacts:read artifacts:write artifacts:delete",
        "iat": now,
        "exp": now + 300,
    }
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], key: str, alg: str, headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(payload, key, algorithm=alg, headers=headers)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def hand_made(header: dict[str, Any], payload: dict[str, Any], secret: bytes | None) -> str:
    """A token built by hand: HMAC-SHA256 with ``secret``, or an empty signature."""
    signing_input = f"{segment(header)}.{segment(payload)}"
    if secret is None:
        return signing_input + "."
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def sign_pss(
    payload: dict[str, Any], pair: KeyPair, alg: str = "PS256", kid: str | None = None
) -> str:
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = kid
    signing_input = f"{segment(header)}.{segment(payload)}"
    private = serialization.load_pem_private_key(pair.private_pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    digest = {"PS256": hashes.SHA256, "PS384": hashes.SHA384, "PS512": hashes.SHA512}[alg]()
    signature = private.sign(
        signing_input.encode(),
        padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size),
        digest,
    )
    return f"{signing_input}.{b64url(signature)}"


def token_settings(**overrides: Any) -> Settings:
    """Token settings only (no database or storage needed to build a TokenVerifier)."""
    values: dict[str, Any] = {"jwt_secret": JWT_SECRET}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class JwksServer:
    """Serves a JWKS document on 127.0.0.1 and counts the fetches."""

    document: dict[str, Any]
    url: str = ""
    fetches: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def jwks_server(document: dict[str, Any]) -> Iterator[JwksServer]:
    state = JwksServer(document=document)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.fetches += 1
                body = json.dumps(state.document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/.well-known/jwks.json"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def serve_app(
    settings: Settings, *, db: Any = None, store: Any = None, verbose: bool = False
) -> Iterator[str]:
    """``serve`` with an injected Database/BlobStore; yields the URL."""
    with serve(settings, db=db, store=store, verbose=verbose) as server:
        yield server.url
