"""Verification keys for asymmetric JWTs: one PEM key, or a JWKS (file or URL).

A JWKS read from a file is loaded once at start-up. A JWKS behind an http(s) URL is
fetched on first use, again when a token names a ``kid`` it does not hold (at most once
a minute, so a flood of made-up ``kid`` values costs one fetch a minute), and again once
the copy is older than :data:`JWKS_MAX_AGE_SECONDS` (so a key removed upstream stops
working). A failed fetch keeps the keys already held.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

log = logging.getLogger("cairn.auth")

JWKS_REFRESH_INTERVAL_SECONDS = 60.0
JWKS_MAX_AGE_SECONDS = 600.0
JWKS_MAX_BYTES = 1024 * 1024
JWKS_FETCH_TIMEOUT_SECONDS = 5.0
# Key types a signature algorithm family may use; anything else in a JWKS is ignored.
_KTY_FOR_FAMILY = {"RS": "RSA", "PS": "RSA", "ES": "EC"}


class NoUsableKey(Exception):
    """No usable key for this token (the caller turns it into UNAUTHENTICATED)."""


class UnknownKeyId(NoUsableKey):
    """The token names a ``kid`` the key set does not hold (a refresh may help)."""


def load_pem(text: str) -> str:
    """Normalise and check a PEM public key (``\\n`` escapes from env files allowed)."""
    pem = text.replace("\\n", "\n").strip() + "\n"
    try:
        key = load_pem_public_key(pem.encode())
    except Exception as exc:
        raise ValueError(
            "CAIRN_JWT_PUBLIC_KEY is not a PEM public key "
            "('-----BEGIN PUBLIC KEY-----' ...); check its line breaks"
        ) from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ValueError("CAIRN_JWT_PUBLIC_KEY must be an RSA or EC public key")
    return pem


def parse_jwks(document: Any, algorithms: list[str]) -> dict[str, dict[str, Any]]:
    """``{"keys": [...]}`` -> signing keys by kid (keys without a kid get ``""``)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError('a JWKS must be a JSON object {"keys": [...]}')
    kinds = {_KTY_FOR_FAMILY.get(a[:2]) for a in algorithms}
    keys: dict[str, dict[str, Any]] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") not in kinds:
            continue
        if jwk.get("use") not in (None, "sig"):
            continue
        if "alg" in jwk and jwk["alg"] not in algorithms:
            continue
        kid = jwk.get("kid", "")
        if isinstance(kid, str):
            keys.setdefault(kid, jwk)
    return keys


class KeySet:
    """The asymmetric keys a :class:`~cairn.auth.TokenVerifier` checks signatures with."""

    def __init__(self, algorithms: list[str], *, pem: str | None, jwks: str | None) -> None:
        self.algorithms = algorithms
        self.pem = load_pem(pem) if pem else None
        self.url: str | None = None
        self.keys: dict[str, dict[str, Any]] = {}
        self.fetches = 0
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock: asyncio.Lock | None = None
        if self.pem is None and jwks:
            source = jwks.strip()
            if source.startswith(("http://", "https://")):
                self.url = source
            else:
                self.keys = self._read_file(source)

    def _read_file(self, source: str) -> dict[str, dict[str, Any]]:
        try:
            text = source if source.startswith("{") else Path(source).read_text()
            return parse_jwks(json.loads(text), self.algorithms)
        except (OSError, ValueError) as exc:
            raise ValueError(f"CAIRN_JWT_JWKS could not be read: {exc}") from None

    def key_for(self, header: dict[str, Any]) -> str | dict[str, Any]:
        """The key to check this token with, chosen by ``kid`` (never by the token's key)."""
        if self.pem is not None:
            return self.pem
        kid = header.get("kid")
        if kid is None:
            if len(self.keys) == 1:
                return next(iter(self.keys.values()))
            raise NoUsableKey("the token header has no 'kid' and the key set holds several keys")
        if not isinstance(kid, str) or kid not in self.keys:
            raise UnknownKeyId("the token's 'kid' names no key this service trusts")
        jwk = self.keys[kid]
        if "alg" in jwk and jwk["alg"] != header.get("alg"):
            raise NoUsableKey("the token's 'alg' does not match its key")
        return jwk

    def should_refresh(self, *, unknown_kid: bool) -> bool:
        """URL key sets only: never fetched, stale, or a new kid (rate-limited)."""
        if self.url is None:
            return False
        now = time.monotonic()
        if self._attempted_at is not None and now - self._attempted_at < (
            JWKS_REFRESH_INTERVAL_SECONDS
        ):
            return False
        if self._fetched_at is None or unknown_kid:
            return True
        return now - self._fetched_at > JWKS_MAX_AGE_SECONDS

    async def refresh(self, *, unknown_kid: bool = False) -> None:
        """Fetch the JWKS again if allowed; keep the old keys if it fails."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if not self.should_refresh(unknown_kid=unknown_kid) or self.url is None:
                return
            self._attempted_at = time.monotonic()
            self.fetches += 1
            try:
                self.keys = await self._fetch(self.url)
                self._fetched_at = time.monotonic()
            except Exception as exc:
                log.warning("could not refresh the JWKS: %s", type(exc).__name__)

    async def _fetch(self, url: str) -> dict[str, dict[str, Any]]:
        timeout = httpx.Timeout(JWKS_FETCH_TIMEOUT_SECONDS)
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=False) as http,
            http.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            response.raise_for_status()
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > JWKS_MAX_BYTES:
                    raise ValueError("the JWKS is larger than 1 MiB")
        return parse_jwks(json.loads(bytes(body)), self.algorithms)
