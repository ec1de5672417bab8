"""When the SDK tries a call again, and how long it waits first.

Transient failures are retried with capped exponential backoff (jittered) and a bounded
number of attempts: ``NETWORK_ERROR``, ``STORAGE_UNAVAILABLE``, ``DATABASE_UNAVAILABLE``,
``SERVICE_BUSY``, and answers that are not GraphQL with HTTP 500/502/503/504 (a proxy or
object storage in trouble). A ``Retry-After`` the service sends is honoured, up to
``max_delay``.

A failure whose request may already have taken effect (the connection dropped after it
was sent: ``CairnApiError.ambiguous``) is retried only for idempotent calls: queries,
``createWorkflow`` (idempotent on name), status changes, updates, and every publish, which
carries an idempotency key that stays the same across its retries, so a retry returns the
first attempt's artifact instead of making a second version.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from cairn.sdk.errors import HTTP_ERROR, NETWORK_ERROR, CairnApiError

log = logging.getLogger("cairn.sdk")

TRANSIENT_CODES = frozenset(
    {NETWORK_ERROR, "STORAGE_UNAVAILABLE", "DATABASE_UNAVAILABLE", "SERVICE_BUSY"}
)
TRANSIENT_HTTP = frozenset({500, 502, 503, 504})


def is_transient(error: CairnApiError) -> bool:
    """Would the same call, made again a little later, plausibly succeed?"""
    if error.code in TRANSIENT_CODES:
        return True
    return error.code == HTTP_ERROR and error.status_code in TRANSIENT_HTTP


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


@dataclass(frozen=True)
class Retry:
    """How a client retries transient failures.

    ``attempts`` counts every try, the first included (``Retry(attempts=1)`` never retries);
    the n-th retry waits a random 50-100 % of ``backoff * 2**(n-1)`` seconds, at least the
    ``Retry-After`` the service sent, and never more than ``max_delay``.
    """

    attempts: int = 5
    backoff: float = 0.5
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("Retry.attempts counts the first try too: it must be 1 or more")
        if self.backoff < 0 or self.max_delay < 0:
            raise ValueError("Retry.backoff and Retry.max_delay must be zero or more seconds")

    def should_retry(self, error: CairnApiError, attempt: int, *, idempotent: bool) -> bool:
        """After failed try number ``attempt`` (1-based), is another one due?"""
        if attempt >= self.attempts or not is_transient(error):
            return False
        return idempotent or not error.ambiguous

    def delay(self, error: CairnApiError, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        exponential: float = min(self.max_delay, self.backoff * 2.0 ** (attempt - 1))
        wait: float = exponential * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret
        if error.retry_after is not None:
            wait = max(wait, error.retry_after)
        return min(wait, self.max_delay)


NO_RETRY = Retry(attempts=1)


def log_retry(what: str, error: CairnApiError, attempt: int, total: int, wait: float) -> None:
    """One line per retry; never a URL (signed URLs must not reach logs)."""
    log.warning(
        "cairn: %s failed with %s; retrying in %.2f s (attempt %d of %d)",
        what,
        error.code,
        wait,
        attempt + 1,
        total,
        extra={"cairn_retry_delay": wait, "cairn_retry_code": error.code},
    )
