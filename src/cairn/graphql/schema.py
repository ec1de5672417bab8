"""The schema: roots, scalars and the protective extensions."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions import max_aliases as aliases_limiter
from strawberry.extensions import query_depth_limiter as depth_limiter
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import (
    DEFAULT_ALLOWED_OPERATION_TYPES,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.graphql import OperationType

from cairn.config import Settings
from cairn.errors import DatabaseUnavailable
from cairn.graphql import artifact_mutations, audit, run_mutations
from cairn.graphql.cost import cost_limiter
from cairn.graphql.execution import CycleFreeExecution
from cairn.graphql.observe import ObserveOperations
from cairn.graphql.persisted import persisted_queries
from cairn.graphql.queries import Query
from cairn.graphql.scalars import SCALAR_MAP
from cairn.graphql.subscriptions import SUBSCRIPTION, ShapeStreamErrors
from cairn.services.documents import DocumentRegistry
from graphql import (
    ASTValidationRule,
    GraphQLError,
)

log = logging.getLogger("cairn.audit")

AUDIT_FAILED = (
    "the audit trail could not record the signed URLs this request minted, so none is "
    "handed out; retry shortly"
)


async def flush_audit(context: Any, result: Any) -> None:
    """Write the request's buffered audit events before its result is sent; if that
    fails, the result becomes an error (no URL leaves unrecorded)."""
    if not getattr(context, "audit_pending", False):
        return
    try:
        await context.audit.flush(context.db)
    except Exception as exc:
        log.warning("audit events not written (request id %s): %s", context.request_id, exc)
        error = DatabaseUnavailable(AUDIT_FAILED)
        result.data = None
        result.errors = [GraphQLError(error.message, original_error=error)]


class AuditFlush(SchemaExtension):
    """Streamed results (WebSocket) flush the audit buffer before each is sent; HTTP
    results are flushed in CairnSchema.execute."""

    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:
        await flush_audit(self.execution_context.context, result)
        yield None


class SubscriptionOverHttp(InvalidOperationTypeError):
    def as_http_error_reason(self, method: str) -> str:
        return (
            f"subscriptions are not served over {method}: open a WebSocket to /graphql "
            "with the graphql-transport-ws protocol"
        )


class CairnSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logging happens in the view, which knows the request id."""

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Single-result execution: a subscription here would yield a masked error (the
        view answers this exception with a 400), so subscriptions are WebSocket-only."""
        allowed = set(
            DEFAULT_ALLOWED_OPERATION_TYPES
            if allowed_operation_types is None
            else allowed_operation_types
        )
        try:
            result = await super().execute(
                query,
                variable_values,
                context_value,
                root_value,
                operation_name,
                allowed - {OperationType.SUBSCRIPTION},
                operation_extensions,
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.SUBSCRIPTION:
                raise SubscriptionOverHttp(exc.operation_type) from None
            raise
        await flush_audit(context_value, result)
        return result


MUTATION_TYPES: tuple[type, ...] = (
    *run_mutations.MUTATION_TYPES,
    *artifact_mutations.MUTATION_TYPES,
    *audit.MUTATION_TYPES,
)
MUTATION_DESCRIPTION = (
    "Writes. Creating and changing needs the artifacts:write scope, deleting needs "
    "artifacts:delete (FORBIDDEN without it). Another organization's id is NOT_FOUND, as an "
    "unknown id is; bad input is BAD_USER_INPUT with a message that says how to fix it, and "
    "a refused mutation changes nothing."
)


def _validation_rules(*rules: type[ASTValidationRule]) -> type[SchemaExtension]:
    class ValidationLimits(AddValidationRules):
        def __init__(self) -> None:
            super().__init__(list(rules))

    return ValidationLimits


class KeepingValidationCache(ValidationCache):
    """Strawberry's ValidationCache, which leaves an earlier extension's refusal in place.

    Its hook overwrites ``pre_execution_errors`` with the cached result, so a refusal
    set before validation (a persisted-queries refusal over a socket) would be lost and
    the refused operation would run.
    """

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors:
            yield
        else:
            yield from super().on_validate()


class FieldNames(NameConverter):
    """Strawberry's names, each field's worked out once.

    Strawberry converts every input type's field names again for each input value it
    reads (camel-casing all of ``ArtifactFilter``'s fields for one ``filter:``: ~4% of a
    cheap read); a field's GraphQL name never changes once the schema is built.
    """

    MAX_FIELDS = 10_000  # a schema has a few hundred: a bound, not a working size

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[int, tuple[StrawberryField, str]] = {}

    def from_field(self, field: StrawberryField) -> str:
        known = self._names.get(id(field))
        if known is not None and known[0] is field:
            return known[1]
        name = super().from_field(field)
        if len(self._names) < self.MAX_FIELDS:
            self._names[id(field)] = (field, name)  # the field held: its id is not reused
        return name


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings()
    # Validation rules are built once, here: ValidationCache keys on the rule classes, and
    # a factory building a new class per request would make it miss every time.
    limits = _validation_rules(
        depth_limiter.create_validator(settings.max_query_depth, None),
        aliases_limiter.create_validator(settings.max_aliases),
    )
    extensions: list[Any] = [
        ObserveOperations,  # first: outermost, so it sees every operation and refusal
        persisted_queries(settings, DocumentRegistry()),  # before parsing: it may supply the query
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        ParserCache,
        limits,
        KeepingValidationCache,
        cost_limiter(settings.max_query_cost),  # after ValidationCache: needs a valid document
    ]
    extensions.append(AuditFlush)  # before the errors are shaped: its error gets shaped too
    extensions.append(ShapeStreamErrors)  # WebSocket error shape
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    mutation = merge_types("Mutation", MUTATION_TYPES)
    get_object_definition(mutation, strict=True).description = MUTATION_DESCRIPTION
    return CairnSchema(
        query=Query,
        mutation=mutation,
        subscription=SUBSCRIPTION,
        extensions=extensions,
        execution_context_class=CycleFreeExecution,
        config=StrawberryConfig(
            disable_field_suggestions=not settings.introspection,
            scalar_map=SCALAR_MAP,
            name_converter=FieldNames(),
        ),
    )
