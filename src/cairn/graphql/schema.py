"""The schema: roots, scalars and the protective extensions."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import suppress
from enum import Enum
from operator import attrgetter
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
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
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
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLString,
    TypeNameMetaFieldDef,
    Undefined,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path, gather_with_cancel, is_awaitable


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

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """An object's fields, its plain leaves (scalar or enum attributes: no resolver, no
        arguments) read and serialized in one loop; every other field, and any leaf that
        is null where it may not be, raises or does not serialize, through graphql-core.

        graphql-core builds a path, a resolve info and a ``complete_value`` walk for every
        field; for the ~10 leaves of each artifact in a list that was most of the cost of
        a nested query, and none of it changes a plain leaf's answer.
        """
        plan = self._plan(parent_type, grouped_field_set)
        if plan is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, field_details_list, read, serialize, nullable in plan:
                if read is not None:
                    try:
                        value = read(source_value)
                        if value is None:
                            if nullable:
                                results[response_name] = None
                                continue
                        else:
                            serialized = serialize(value)  # type: ignore[misc]
                            if serialized is not None and serialized is not Undefined:
                                results[response_name] = serialized
                                continue
                    except Exception:  # noqa: S110  # graphql-core reports it, below
                        pass
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A list of objects whose selected fields are all plain leaves built in one
        loop; any other list, and any item that is null, not of the type or not plain,
        completed by graphql-core (the reads are side-effect free, so nothing is lost).

        graphql-core completes each item through half a dozen calls (a path, the
        non-null check, ``is_type_of``, the collected subfields) before its fields: for
        the artifacts of a nested page that was as much as the fields themselves.
        """
        completed = self._plain_objects(return_type.of_type, field_details_list, info, result)
        if completed is not None:
            return completed
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain_objects(
        self, item_type: Any, field_details_list: Any, info: Any, items: Any
    ) -> list[dict[str, Any]] | None:
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType) or type(items) is not list:
            return None
        if any(details.node.directives for details in field_details_list):
            return None  # @stream, or a directive graphql-core may know better
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(
            object_type, field_details_list
        )
        plan = None if new_defer_usages else self._plan(object_type, grouped_field_set)
        if plan is None or any(step[2] is None for step in plan):
            return None
        is_type_of = object_type.is_type_of
        steps = [(name, read, ser, nullable) for name, _, read, ser, nullable in plan]
        completed: list[dict[str, Any]] = []
        try:
            for item in items:
                if item is None or (is_type_of is not None and is_type_of(item, info) is not True):
                    return None
                fields: dict[str, Any] = {}
                for name, read, serialize, nullable in steps:
                    value = read(item)  # type: ignore[misc]
                    if value is None:
                        if not nullable:
                            return None
                        fields[name] = None
                        continue
                    serialized = serialize(value)  # type: ignore[misc]
                    if serialized is None or serialized is Undefined:
                        return None
                    fields[name] = serialized
                completed.append(fields)
        except Exception:
            return None  # graphql-core reports it
        return completed

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[_Step] | None:
        """How to answer each field of this selection set (None: none is a plain leaf, or
        middleware runs), built once per selection set and operation."""
        plans: dict[int, tuple[GroupedFieldSet, list[_Step] | None]] | None
        plans = self.__dict__.get("_plans")
        if plans is None:
            plans = self.__dict__["_plans"] = {}
        known = plans.get(id(grouped_field_set))
        if known is not None and known[0] is grouped_field_set:
            return known[1]
        steps: list[_Step] = []
        manager = self.middleware_manager
        if manager is None or manager._middleware_resolvers is None:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                field_def = self.schema.get_field(parent_type, node.name.value)
                plain = None if field_def is None or node.arguments else _plain_leaf(field_def)
                if field_def is TypeNameMetaFieldDef:
                    plain = (_constant(parent_type.name), GraphQLString.serialize, False)
                if plain is None:
                    steps.append((response_name, field_details_list, None, None, False))
                else:
                    steps.append((response_name, field_details_list, *plain))
        plan = steps if any(step[2] is not None for step in steps) else None
        plans[id(grouped_field_set)] = (grouped_field_set, plan)
        return plan


# A field of a selection set: its response name and field details, and for a plain leaf
# how to read it from its parent, how to serialize it, and whether it may be null.
_Step = tuple[str, Any, Callable[[Any], Any] | None, Callable[[Any], Any] | None, bool]
_Leaf = tuple[Callable[[Any], Any], Callable[[Any], Any], bool]


def _plain_leaf(field_def: GraphQLField) -> _Leaf | None:
    """How to read a field that has no resolver and no arguments, its scalar or enum
    type, and whether it is nullable; None for any other field."""
    known = _PLAIN_LEAVES.get(id(field_def))
    if known is not None and known[0] is field_def:
        return known[1]
    leaf: Any = field_def.type
    nullable = not isinstance(leaf, GraphQLNonNull)
    if not nullable:
        leaf = leaf.of_type
    found: _Leaf | None = None
    if (
        isinstance(leaf, GraphQLScalarType | GraphQLEnumType)
        and not field_def.args
        and getattr(field_def.resolve, "_is_default", False)
    ):
        found = (_reader(field_def), _serializer(leaf), nullable)
    _PLAIN_LEAVES[id(field_def)] = (field_def, found)
    return found


def _serializer(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    """The leaf type's ``coerce_output_value``; for a Strawberry enum, a dict from member
    to name first (its own looks for the member among all values, one by one)."""
    coerce = leaf.coerce_output_value
    wrapped = getattr(leaf, "wrapped_cls", None)
    if not isinstance(wrapped, type) or not issubclass(wrapped, Enum):
        return coerce
    names: dict[Enum, Any] = {}
    for member in wrapped:
        with suppress(Exception):  # not in the schema: left to coerce_output_value
            names[member] = coerce(member)

    def serialize(value: Any) -> Any:
        if type(value) is wrapped and value in names:
            return names[value]
        return coerce(value)

    return serialize


def _constant(value: str) -> Callable[[Any], str]:
    return lambda _source: value


def _reader(field_def: GraphQLField) -> Callable[[Any], Any]:
    """``getattr`` by the Python name when Strawberry would do just that, else the
    field's own default resolver."""
    definition = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if (
        isinstance(definition, StrawberryField)
        and definition.base_resolver is None
        and definition.default_resolver is getattr
    ):
        return attrgetter(definition.python_name)
    resolve = field_def.resolve
    return lambda source: resolve(source, None)  # type: ignore[misc]


# id(GraphQLField) -> the field (so that its id is never reused) and how to read it when
# it is a plain leaf, else None; a field's type and resolver never change once its
# schema is built. GraphQLField is not hashable (it defines __eq__).
_PLAIN_LEAVES: dict[int, tuple[GraphQLField, _Leaf | None]] = {}


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
