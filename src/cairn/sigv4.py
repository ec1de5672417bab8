"""AWS Signature V4 query-string presigning (UNSIGNED-PAYLOAD, ``host`` signed), fast.

minio-py's ``presigned_get_object`` costs ~50-200 µs per URL: it re-parses the endpoint,
re-derives the signing key (four HMACs) and re-sorts the query on every call. This
module does the same computation with everything invariant done once: the URL prefix,
the tail of the canonical request, and the signing key, cached per (date, region,
service). Its URLs are byte-identical to minio-py's for the same inputs
(``tests/artifacts/test_sigv4.py`` checks that over thousands of generated inputs).

It covers path-style URLs on a plain ``scheme://host[:port]`` endpoint, which is what
minio-py uses for every host except Amazon's and Aliyun's (those go virtual-host style).
:func:`Presigner.create` returns None for anything else, and :meth:`Presigner.presign`
returns None for inputs it does not cover, so that the caller falls back to minio-py.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_EXPIRES = 7 * 24 * 3600  # S3's (and minio-py's) limit
# Bucket names that need no escaping in a path and that minio-py accepts as they are.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
# Query parameters S3 understands on a presigned GET. Lowercase names sort after every
# X-Amz-* name, which fixes the canonical query's order without sorting it per URL.
_RESPONSE_PARAM = re.compile(r"^response-[a-z-]+$")
# minio-py signs for these hosts virtual-host style; this module does only path style.
_VIRTUAL_HOSTS = ("amazonaws.com", "aliyuncs.com")


def _encode(value: str) -> str:
    """minio-py's ``queryencode``: percent-encode everything but unreserved characters."""
    return quote(value, safe="")


@functools.lru_cache(maxsize=64)
def _response_names(names: tuple[str, ...]) -> bool:
    return all(_RESPONSE_PARAM.match(name) for name in names)


def _amz_date(date: datetime) -> str:
    """``YYYYMMDDTHHMMSSZ`` in UTC (a naive date is taken as UTC, as minio-py does)."""
    if date.tzinfo is not None:
        date = date.astimezone(UTC)
    return (
        f"{date.year:04d}{date.month:02d}{date.day:02d}"
        f"T{date.hour:02d}{date.minute:02d}{date.second:02d}Z"
    )


class Presigner:
    """Presigned URLs for one bucket on one endpoint with one pair of keys.

    Thread-safe: the only mutable state is the signing-key cache, replaced whole.
    """

    __slots__ = (
        "_access_key",
        "_cache",
        "_canonical_tail",
        "_last_date",
        "_path_prefix",
        "_region",
        "_secret",
        "_service",
        "_url_prefix",
    )

    def __init__(
        self,
        *,
        scheme: str,
        netloc: str,
        bucket: str,
        access_key: str,
        secret_key: str,
        region: str,
        service: str = "s3",
    ) -> None:
        self._access_key = access_key
        self._secret = ("AWS4" + secret_key).encode()
        self._region = region
        self._service = service
        self._path_prefix = f"/{bucket}/"
        self._url_prefix = f"{scheme}://{netloc}/{bucket}/"
        # CanonicalHeaders + "\n\n" + SignedHeaders + "\n" + payload hash
        self._canonical_tail = f"host:{netloc}\n\nhost\nUNSIGNED-PAYLOAD"
        # (yyyymmdd, signing key, scope, encoded credential): one day's worth
        self._cache: tuple[str, bytes, str, str] = ("", b"", "", "")
        # the last second formatted: a page of URLs is signed within one or two seconds
        self._last_date: tuple[datetime, str] = (datetime.min, "")

    @classmethod
    def create(
        cls,
        host: str,
        *,
        secure: bool,
        bucket: str,
        access_key: str | None,
        secret_key: str | None,
        region: str,
    ) -> Presigner | None:
        """A presigner for the endpoint minio-py builds as ``Minio(host, secure=...)``,
        or None where minio-py does something else (then use minio-py)."""
        if not access_key or not secret_key or not region:
            return None  # minio-py would hand out unsigned URLs, or ask for the region
        if not _BUCKET.match(bucket) or _IPV4.match(bucket):
            return None
        if any(bad in bucket for bad in ("..", ".-", "-.")):
            return None
        scheme = "https" if secure else "http"
        try:
            url = urlsplit(f"{scheme}://{host}")
            port = url.port
        except ValueError:
            return None
        hostname = url.hostname or ""
        if (
            not hostname
            or url.path not in ("", "/")
            or url.query
            or url.fragment
            or "@" in url.netloc
            or "[" in url.netloc  # IPv6 literals: leave them to minio-py
            or any(suffix in hostname for suffix in _VIRTUAL_HOSTS)
        ):
            return None
        # minio-py drops a default port, and then signs the lowercased host name
        default = port == (443 if secure else 80)
        netloc = hostname if default else url.netloc
        return cls(
            scheme=scheme,
            netloc=netloc,
            bucket=bucket,
            access_key=access_key,
            secret_key=secret_key,
            region=region,
        )

    def _day(self, day: str) -> tuple[str, bytes, str, str]:
        cached = self._cache
        if cached[0] == day:
            return cached
        key = self._secret
        for part in (day, self._region, self._service, "aws4_request"):
            key = hmac.digest(key, part.encode(), "sha256")
        scope = f"{day}/{self._region}/{self._service}/aws4_request"
        entry = (day, key, scope, _encode(f"{self._access_key}/{scope}"))
        self._cache = entry
        return entry

    def presign(
        self,
        method: str,
        key: str,
        *,
        expires: int,
        date: datetime,
        response_params: Mapping[str, str] | None = None,
    ) -> str | None:
        """The URL minio-py's ``get_presigned_url(method, bucket, key, expires=...,
        response_headers=..., request_date=date)`` gives, or None if not covered here
        (a key minio-py refuses, an expiry out of range, other query parameters)."""
        if not 1 <= expires <= MAX_EXPIRES or not key.strip():
            return None
        if "/./" in f"/{key}/" or "/../" in f"/{key}/":
            return None
        extra = ""
        if response_params:
            names = tuple(sorted(response_params))
            if not _response_names(names):
                return None
            extra = "&".join(f"{name}={_encode(response_params[name])}" for name in names)
        second = date.replace(microsecond=0)
        last = self._last_date
        if last[0] == second:  # an aware and a naive datetime are never equal
            amz_date = last[1]
        else:
            amz_date = _amz_date(second)
            self._last_date = (second, amz_date)
        _, signing_key, scope, credential = self._day(amz_date[:8])
        path = quote(key)
        query = (
            f"X-Amz-Algorithm={ALGORITHM}&X-Amz-Credential={credential}"
            f"&X-Amz-Date={amz_date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host"
        )
        canonical_query = f"{query}&{extra}" if extra else query
        canonical = (
            f"{method}\n{self._path_prefix}{path}\n{canonical_query}\n{self._canonical_tail}"
        )
        to_sign = (
            f"{ALGORITHM}\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        signature = hmac.digest(signing_key, to_sign.encode(), "sha256").hex()
        url_query = f"{extra}&{query}" if extra else query
        return f"{self._url_prefix}{path}?{url_query}&X-Amz-Signature={signature}"
