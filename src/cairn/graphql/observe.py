"""Per-operation metrics and the one log line per GraphQL operation."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from cairn import metrics
from cairn.graphql.errors import format_error
from cairn.tracing import name_operation
from graphql import GraphQLError

log = logging.getLogger("cairn.graphql.operations")


class ObserveOperations(SchemaExtension):
    """Counts and times every operation (``cairn_graphql_operations_total``,
    ``cairn_graphql_operation_seconds``), samples the pool gauge, and logs one INFO line
    with the organization, operation, outcome code and duration. Outermost extension, so
    the time includes parsing and validation and refusals by the limits are counted."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        raised: list[GraphQLError] = []
        try:
            yield
        except Exception as exc:  # e.g. a syntax error from a limiter that parses
            raised.append(
                exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
            )
            raise
        finally:
            self._record(time.perf_counter() - started, raised)

    def _record(self, seconds: float, raised: list[GraphQLError]) -> None:
        ec = self.execution_context
        try:
            kind = ec.operation_type.value
        except Exception:  # no valid document: nothing says which type it was
            kind = "unknown"
        name: str | None
        try:
            name = ec.operation_name
        except Exception:
            name = None
        ctx: Any = ec.context
        request_id = str(getattr(ctx, "request_id", None) or "-")
        errors = getattr(ec.result, "errors", None) or ec.pre_execution_errors or raised
        code = format_error(errors[0], request_id)["extensions"]["code"] if errors else "OK"
        label = metrics.record_operation(kind, name, code, seconds)
        name_operation(kind, label)
        db = getattr(ctx, "db", None)
        if db is not None:
            metrics.record_pool(db.in_use, db.max_size)
        principal = getattr(ctx, "principal_or_none", None)
        log.info(
            "%s %s: %s in %.1f ms",
            kind,
            label,
            code,
            seconds * 1000,
            extra={
                "request_id": request_id,
                "organization": getattr(principal, "org_id", None),
                "operation_type": kind,
                "operation": label,
                "code": code,
                "duration_ms": round(seconds * 1000, 3),
            },
        )
