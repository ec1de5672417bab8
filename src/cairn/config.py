"""Settings: environment variables prefixed ``CAIRN_`` (and a ``.env`` file).

A bad or missing value stops start-up with one line naming the variable; see
:func:`load_settings`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}
)
ORG_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CAIRN_", env_file=".env", extra="ignore", frozen=True
    )

    # Storage locations. None means: start the embedded server (``cairn serve`` only).
    database_url: str | None = None
    s3_endpoint: str | None = None
    s3_public_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "cairn-artifacts"
    s3_region: str = "us-east-1"
    s3_secure: bool = False
    # Deadline of every storage call, in seconds: connecting, each read, and the whole
    # call with its retries (calls that move an object's bytes: each step of the transfer).
    s3_timeout_seconds: float = Field(default=10.0, gt=0, le=3600)

    # Tokens.
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_jwks: str | None = None
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["HS256"])
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    jwt_org_claim: str = "org_id"
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=600)

    # Behaviour and limits.
    signed_url_ttl: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    max_upload_bytes: int = Field(default=5 * 1024**3, ge=1)
    max_inline_bytes: int = Field(default=1024 * 1024, ge=1)
    max_request_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_query_tokens: int = Field(default=2000, ge=50)
    introspection: bool = True
    data_dir: Path = Path(".cairn")
    db_pool_min: int = Field(default=1, ge=0)
    db_pool_max: int = Field(default=10, ge=1)
    # Seconds between rounds of the sweep of failed and abandoned uploads; 0 turns it off.
    sweep_interval_seconds: int = Field(default=300, ge=0, le=7 * 24 * 3600)
    # An upload still PENDING this long after its presigned URL expired is abandoned.
    sweep_grace_seconds: int = Field(default=3600, ge=0, le=30 * 24 * 3600)
    # Days an artifact is kept when neither it nor its workflow says (retentionDays);
    # 0 keeps artifacts forever.
    retention_days: int = Field(default=0, ge=0, le=36500)
    # Days audit events are kept; older ones are pruned by the sweep's rounds.
    audit_retention_days: int = Field(default=90, ge=1, le=36500)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # ``text``: readable lines; ``json``: one JSON object per line (time, level, request
    # id, organization, operation, duration) for log pipelines.
    log_format: Literal["text", "json"] = "text"

    # Cross-origin access (browsers): origins allowed to call /graphql and open its socket.
    # Comma-separated ``scheme://host[:port]``, ``scheme://host:*`` for any port, or ``*``;
    # empty: same-origin pages and non-browser clients only.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Persisted queries: "on" = Apollo's automatic persisted queries (a hash stands for a
    # document sent once), "only" = only documents registered with `cairn documents
    # register` run (trusted documents), "off" = hashes are refused as not supported.
    persisted_queries: Literal["off", "on", "only"] = "on"

    # Capacity: saturation, query cost and slow clients.
    # Seconds a unit of work waits for a free pooled connection before SERVICE_BUSY.
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    # Nodes a query may ask for, estimated before execution from the first/last of its
    # nested connections (the sum over connections of the product of enclosing sizes).
    max_query_cost: int = Field(default=50_000, ge=1)
    # Seconds a client gets to send a request's headers, and the longest pause in its body.
    http_request_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Open HTTP and WebSocket connections per process; more get 503 (0: no limit).
    http_max_connections: int = Field(default=1000, ge=0)

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(",", " ").split() if part.strip()]
        return value

    @field_validator("jwt_algorithms")
    @classmethod
    def _check_algorithms(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("list at least one algorithm, e.g. HS256")
        unknown = [a for a in value if a not in HMAC_ALGORITHMS | ASYMMETRIC_ALGORITHMS]
        if unknown:
            raise ValueError(f"unsupported algorithm(s) {', '.join(unknown)}")
        kinds = {a in HMAC_ALGORITHMS for a in value}
        if len(kinds) > 1:
            raise ValueError("do not mix HS* with RS*/ES*/PS* algorithms in one list")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        return [normalize_cors_origin(origin) for origin in value]

    @model_validator(mode="after")
    def _check_keys(self) -> Settings:
        uses_hmac = self.jwt_algorithms[0] in HMAC_ALGORITHMS
        if not uses_hmac and not (self.jwt_public_key or self.jwt_jwks):
            raise ValueError(
                "CAIRN_JWT_ALGORITHMS names asymmetric algorithms: "
                "set CAIRN_JWT_PUBLIC_KEY or CAIRN_JWT_JWKS"
            )
        if self.jwt_secret is not None and uses_hmac and len(self.jwt_secret) < 32:
            raise ValueError("CAIRN_JWT_SECRET must be at least 32 characters")
        if self.s3_endpoint and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError(
                "CAIRN_S3_ENDPOINT is set: set CAIRN_S3_ACCESS_KEY and CAIRN_S3_SECRET_KEY too"
            )
        return self

    @property
    def uses_hmac(self) -> bool:
        return self.jwt_algorithms[0] in HMAC_ALGORITHMS


_ORIGIN = re.compile(r"^(https?)://([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?/?$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_cors_origin(origin: str) -> str:
    """``Https://App.Example.com:443/`` -> ``https://app.example.com``, as browsers send it.

    ``scheme://host:*`` (any port) and ``*`` (any origin) pass through.
    """
    if origin == "*":
        return origin
    match = _ORIGIN.match(origin.strip().lower())
    if match is None:
        raise ValueError(
            f"{origin!r} is not an origin: write scheme://host[:port] (or scheme://host:* "
            "for any port), e.g. https://app.example.com, without a path; separate several "
            "with commas"
        )
    scheme, host, port = match.groups()
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    if port != "*" and not 0 < int(port) < 65536:
        raise ValueError(f"{origin!r} has no valid port (1-65535, or * for any port)")
    return f"{scheme}://{host}:{port}"


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = [str(part) for part in error.get("loc", ()) if part != "__root__"]
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if not location:
        return f"invalid settings: {message}"
    name = location[0]
    value = error.get("input")
    shown = ""
    if isinstance(value, str) and not _SECRET.search(name) and len(value) <= 80:
        shown = f" (got {value!r})"
    return f"invalid setting CAIRN_{name.upper()}{shown}: {message}"


_SECRET = re.compile(r"secret|key|password|database_url|jwks", re.IGNORECASE)
