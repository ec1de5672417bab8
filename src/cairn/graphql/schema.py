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
from strawberry.schema.schema import (
    DEFAULT_ALLOWED_OPERATION_TYPES,
    StrawberryGraphQLCoreExecutionContext,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.base import get_object_definition
from strawberry.types.graphql import OperationType

from cairn.config import Settings
from cairn.errors import DatabaseUnavailable
from cairn.graphql import artifact_mutations, audit, run_mutations
from cairn.graphql.cost import cost_limiter
from cairn.graphql.observe import ObserveOperations
from cairn.graphql.persisted import persisted_queries
from cairn.graphql.queries import Query
from cairn.graphql.scalars import SCALAR_MAP
from cairn.graphql.subscriptions import SUBSCRIPTION, ShapeStreamErrors
from cairn.services.documents import DocumentRegistry
from graphql import (
    ASTValidationRule,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import is_awaitable


class CycleFreeExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, emptied once its operation is answered.

    It refers to itself through bound methods (``async_helpers``) and caches the
    collected fields of the document: left alone, every request's executor, context and
    result rows wait for the cycle collector. A subscription's per-event copies
    (``serially=False``) share state with their parent and are left as they are.
    """

    def execute_operation(self, serially: bool | None = None) -> Any:
        result = super().execute_operation(serially)
        if serially is not None:
            return result
        if not is_awaitable(result):
            self._release()
            return result

        async def answered() -> Any:
            try:
                return await result
            finally:
                self._release()

        return answered()

    def _release(self) -> None:
        vars(self).clear()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """A plain leaf (a scalar or enum attribute: no resolver, no arguments) read and
        serialized straight away; anything else, and any leaf that is null, raises or
        cannot be serialized, the way graphql-core does it.

        graphql-core builds a resolve info, checks for arguments and middleware and walks
        ``complete_value`` for every field; for the ~10 leaves of each artifact in a list
        that was most of the cost of a nested query, and none of it is needed here.
        """
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        leaf = None if field_def is None or node.arguments else _plain_leaf(field_def)
        manager = self.middleware_manager
        if leaf is not None and (manager is None or manager._middleware_resolvers is None):
            try:
                value = field_def.resolve(source, None)  # type: ignore[misc, union-attr]
                if value is not None:
                    serialized = leaf.coerce_output_value(value)
                    if serialized is not None and serialized is not Undefined:
                        return serialized
            except Exception:  # noqa: S110  # graphql-core reports it, below
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _plain_leaf(field_def: GraphQLField) -> GraphQLScalarType | GraphQLEnumType | None:
    """The scalar or enum type of a field that has no resolver and no arguments."""
    known = _PLAIN_LEAVES.get(id(field_def))
    if known is not None and known[0] is field_def:
        return known[1]
    leaf = field_def.type
    if isinstance(leaf, GraphQLNonNull):
        leaf = leaf.of_type
    found: GraphQLScalarType | GraphQLEnumType | None = None
    if (
        isinstance(leaf, GraphQLScalarType | GraphQLEnumType)
        and not field_def.args
        and getattr(field_def.resolve, "_is_default", False)
    ):
        found = leaf
    _PLAIN_LEAVES[id(field_def)] = (field_def, found)
    return found


# id(GraphQLField) -> the field (so that its id is never reused) and its leaf type when
# execute_field may read it straight away, else None; a field's type and resolver never
# change once its schema is built. GraphQLField is not hashable (it defines __eq__).
_PLAIN_LEAVES: dict[int, tuple[GraphQLField, GraphQLScalarType | GraphQLEnumType | None]] = {}


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
            disable_field_suggestions=not settings.introspection, scalar_map=SCALAR_MAP
        ),
    )
