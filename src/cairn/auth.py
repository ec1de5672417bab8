"""The only place that reads JWTs: bearer token -> :class:`Principal`.

Algorithms come from configuration, never from the token header; ``none`` is never
accepted. The key is chosen by configuration too (the secret, the PEM key, or the JWKS
entry named by ``kid``). Every failure, whatever python-jose or the key parser raises,
is :class:`~cairn.errors.Unauthenticated` (HTTP 401), never a 500.
"""

from __future__ import annotations

import base64
import dataclasses
import math
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jose import jwt

from cairn.config import ORG_ID_PATTERN, Settings
from cairn.errors import Forbidden, Unauthenticated
from cairn.jwks import KeySet, NoUsableKey, UnknownKeyId

SCOPE_READ = "artifacts:read"
SCOPE_WRITE = "artifacts:write"
SCOPE_DELETE = "artifacts:delete"
SCOPE_AUDIT = "audit:read"
ALL_SCOPES = (SCOPE_READ, SCOPE_WRITE, SCOPE_DELETE, SCOPE_AUDIT)
MAX_TOKEN_BYTES = 8 * 1024
# Tokens already verified, so a client's next request with the same token skips the
# signature check (python-jose costs ~5% of a cheap read); bounded, oldest out first.
VERIFIED_CACHE_SIZE = 1024
MAX_SUBJECT_CHARS = 255
_PSS_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "PS256": hashes.SHA256,
    "PS384": hashes.SHA384,
    "PS512": hashes.SHA512,
}


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    org_id: str
    scopes: frozenset[str]
    # When the token stops being accepted (exp + leeway, epoch seconds); long-lived
    # WebSocket subscriptions end then.
    expires_at: float | None = None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and time.time() > self.expires_at

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"this token lacks the {scope!r} scope; ask for a token that has it")


class _UnknownKid(Unauthenticated):
    """A JWKS URL refresh might find this token's key."""


class TokenVerifier:
    """Checks bearer tokens against the configured algorithms, key and claims."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._algorithms = list(settings.jwt_algorithms)
        self._secret: str | None = None
        self.keys: KeySet | None = None
        if settings.uses_hmac:
            if not settings.jwt_secret:
                raise ValueError("CAIRN_JWT_SECRET is required for HS* algorithms")
            self._secret = settings.jwt_secret
        else:
            self.keys = KeySet(
                self._algorithms, pem=settings.jwt_public_key, jwks=settings.jwt_jwks
            )
        self._verified: dict[str, Principal] = {}
        self._verified_with: object = None  # the JWKS the cached tokens were checked with
        self._options: dict[str, Any] = {
            "require_exp": True,
            "require_sub": True,
            "verify_aud": settings.jwt_audience is not None,
            "require_aud": settings.jwt_audience is not None,
            "verify_iss": settings.jwt_issuer is not None,
            "require_iss": settings.jwt_issuer is not None,
            "leeway": settings.jwt_leeway_seconds,
        }

    # -- the HTTP and WebSocket entry points (may refresh a JWKS URL) -----------------

    async def authenticate_header(self, authorization: str | None) -> Principal:
        return await self.authenticate(_bearer(authorization))

    async def authenticate(self, token: str) -> Principal:
        keys = self.keys
        if keys is not None and keys.should_refresh(unknown_kid=False):
            await keys.refresh()
        try:
            return self.verify(token)
        except _UnknownKid:
            if keys is None or not keys.should_refresh(unknown_kid=True):
                raise
            await keys.refresh(unknown_kid=True)
        return self.verify(token)

    # -- synchronous checks with the keys held now ------------------------------------

    def verify_header(self, authorization: str | None) -> Principal:
        return self.verify(_bearer(authorization))

    def verify(self, token: str) -> Principal:
        """The token's principal: from the cache of verified tokens while it has not
        expired (its signature, claims and key were checked then), else checked now."""
        if not isinstance(token, str) or len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
            raise Unauthenticated("the token is larger than 8 KiB; use a smaller token")
        keys = None if self.keys is None else self.keys.keys
        verified = self._verified
        if keys is not self._verified_with:  # a JWKS refresh: check every token again
            verified.clear()
            self._verified_with = keys
        principal = verified.pop(token, None)
        if principal is None or principal.expired:
            principal = self._check(token)
        if len(verified) >= VERIFIED_CACHE_SIZE:
            del verified[next(iter(verified))]
        verified[token] = principal  # (re)inserted last: the oldest is evicted first
        return principal

    def _check(self, token: str) -> Principal:
        try:
            claims = self._decode(token)
        except Unauthenticated:
            raise
        except UnknownKeyId as exc:
            raise _UnknownKid(f"invalid token: {exc}") from None
        except Exception as exc:  # python-jose raises JOSEError, key parsers ValueError etc.
            raise Unauthenticated(f"invalid token: {_reason(exc)}") from None
        _check_numeric_dates(claims)
        principal = _principal(claims, self._settings.jwt_org_claim)
        expires_at = float(claims["exp"]) + self._settings.jwt_leeway_seconds
        return dataclasses.replace(principal, expires_at=expires_at)

    def _decode(self, token: str) -> dict[str, Any]:
        if not token.isascii() or token.count(".") != 2:
            raise Unauthenticated("invalid token: a JWT is three base64url parts joined by '.'")
        header = jwt.get_unverified_header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise Unauthenticated(
                f"invalid token: its algorithm is not one this service accepts "
                f"({', '.join(self._algorithms)})"
            )
        settings = self._settings
        key: str | dict[str, Any]
        if self._secret is not None:
            key = self._secret
        else:
            assert self.keys is not None
            key = self.keys.key_for(header)
        options = self._options
        if alg in _PSS_HASHES:  # python-jose has no PS*: check the signature here
            _verify_pss(token, alg, key)
            options = {**options, "verify_signature": False}
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options=options,
        )
        return claims


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("missing Authorization header; send 'Authorization: Bearer <token>'")
    if len(authorization) > MAX_TOKEN_BYTES + 64:
        raise Unauthenticated("the token is larger than 8 KiB; use a smaller token")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _verify_pss(token: str, alg: str, key: str | dict[str, Any]) -> None:
    """RSASSA-PSS (RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash)."""
    if isinstance(key, str):
        public = load_pem_public_key(key.encode())
    else:
        n = int.from_bytes(_b64(str(key["n"])), "big")
        e = int.from_bytes(_b64(str(key["e"])), "big")
        public = rsa.RSAPublicNumbers(e, n).public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise NoUsableKey("PS* tokens need an RSA key")
    signing_input, _, signature = token.rpartition(".")
    digest = _PSS_HASHES[alg]()
    try:
        public.verify(
            _b64(signature),
            signing_input.encode(),
            padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size),
            digest,
        )
    except Exception:
        raise Unauthenticated("invalid token: Signature verification failed") from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    if not text or len(text) > 120:
        return "it could not be verified"
    return text


def _check_numeric_dates(claims: dict[str, Any]) -> None:
    """RFC 7519 NumericDate: ``exp`` (required), ``nbf`` and ``iat`` are JSON numbers, not
    strings that look like numbers (python-jose would accept ``"1999999999"``)."""
    for name in ("exp", "nbf", "iat"):
        if name not in claims and name != "exp":
            continue
        value = claims.get(name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise Unauthenticated(
                f"invalid token: the {name!r} claim must be a number of seconds since the "
                "epoch (a JSON number, not a string)"
            )


def _principal(claims: dict[str, Any], org_claim: str) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_CHARS:
        raise Unauthenticated("invalid token: the 'sub' claim must be 1-255 characters")
    org_id = claims.get(org_claim)
    if not isinstance(org_id, str) or not ORG_ID_PATTERN.fullmatch(org_id):
        raise Unauthenticated(
            f"invalid token: the {org_claim!r} claim must be 1-64 letters, digits, '_' or '-'"
        )
    return Principal(subject=subject, org_id=org_id, scopes=_scopes(claims))


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    scope = claims.get("scope")
    if isinstance(scope, str):
        return frozenset(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list):
        return frozenset(s for s in scp if isinstance(s, str))
    if isinstance(scp, str):
        return frozenset(scp.split())
    return frozenset()


def issue_token(
    settings: Settings,
    *,
    org_id: str,
    subject: str = "cairn-cli",
    scopes: tuple[str, ...] | list[str] = ALL_SCOPES,
    ttl_seconds: int = 3600,
) -> str:
    """Sign an HS* token with ``CAIRN_JWT_SECRET`` (for `cairn token` and tests)."""
    if not settings.uses_hmac or not settings.jwt_secret:
        raise ValueError("cairn token signs with CAIRN_JWT_SECRET and an HS* algorithm")
    if not ORG_ID_PATTERN.fullmatch(org_id):
        raise ValueError("--org must be 1-64 letters, digits, '_' or '-'")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        settings.jwt_org_claim: org_id,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithms[0])
