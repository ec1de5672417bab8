"""The only place that reads JWTs: bearer token -> :class:`Principal`.

Algorithms come from configuration, never from the token header; ``none`` is never
accepted. Every failure is :class:`~cairn.errors.Unauthenticated`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from jose import jwt
from jose.exceptions import JOSEError

from cairn.config import ORG_ID_PATTERN, Settings
from cairn.errors import Forbidden, Unauthenticated

SCOPE_READ = "artifacts:read"
SCOPE_WRITE = "artifacts:write"
SCOPE_DELETE = "artifacts:delete"
ALL_SCOPES = (SCOPE_READ, SCOPE_WRITE, SCOPE_DELETE)
MAX_TOKEN_BYTES = 8 * 1024


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    org_id: str
    scopes: frozenset[str]

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"this token lacks the {scope!r} scope; ask for a token that has it")


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._algorithms = list(settings.jwt_algorithms)
        if settings.uses_hmac:
            if not settings.jwt_secret:
                raise ValueError("CAIRN_JWT_SECRET is required for HS* algorithms")
            self._key: str | dict[str, Any] = settings.jwt_secret
        elif settings.jwt_public_key:
            self._key = settings.jwt_public_key
        else:
            raise ValueError("JWKS verification is not configured")

    def verify_header(self, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated(
                "missing Authorization header; send 'Authorization: Bearer <token>'"
            )
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Principal:
        if len(token) > MAX_TOKEN_BYTES:
            raise Unauthenticated("the token is larger than 8 KiB")
        settings = self._settings
        options = {
            "require_exp": True,
            "require_sub": True,
            "verify_aud": settings.jwt_audience is not None,
            "verify_iss": settings.jwt_issuer is not None,
            "leeway": settings.jwt_leeway_seconds,
        }
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=self._algorithms,
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
                options=options,
            )
        except (JOSEError, ValueError, TypeError, KeyError) as exc:
            raise Unauthenticated(f"invalid token: {_reason(exc)}") from None
        return _principal(claims, settings.jwt_org_claim)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    if not text or len(text) > 120:
        return "it could not be verified"
    return text


def _principal(claims: dict[str, Any], org_claim: str) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("invalid token: the 'sub' claim must be a non-empty string")
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
