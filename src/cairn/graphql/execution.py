"""The executor: graphql-core's, emptied once answered, with shortcuts for plain fields.

graphql-core resolves and completes every field of every object on its own: a path, a
resolve info, a ``complete_value`` walk. For the leaves of a nested list that is most of
the cost, and none of it changes their answer. So, per selection set, a plan is built
once: plain leaves (scalar or enum attributes, no resolver, no arguments) are read and
serialized in one loop, lists of objects made only of them are built in one loop, and an
artifacts connection's ``nodes`` that selects only stored columns is answered from
PostgreSQL's values (``listing.ARTIFACT_VALUES``) without row or Artifact objects. Every
other field, and anything null where it may not be, failing or not serializing, goes
through graphql-core, which answers it as it always would.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from cairn.db.listing import ARTIFACT_VALUES
from cairn.graphql.pagination import Connection
from cairn.graphql.types import ARTIFACT_VALUE_FIELDS, Artifact
from graphql import (
    GraphQLEnumType,
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
                if read is not None and serialize is None:  # artifacts from their values
                    results[response_name] = self._artifact_values(
                        read, parent_type, source_value, field_details_list, path, response_name
                    )
                    awaitable_fields.append(response_name)
                    continue
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
            if len(awaitable_fields) == 1:  # as graphql-core: no gather for a single one
                name = awaitable_fields[0]
                results[name] = await results[name]
                return results
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
        if plan is None or any(step[2] is None or step[3] is None for step in plan):
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
                    value = read(item)
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
                values = None
                if plain is None and field_def is not None:
                    values = self._values_plan(parent_type, grouped_field_set, field_def)
                if values is not None:
                    steps.append((response_name, field_details_list, values, None, False))
                elif plain is None:
                    steps.append((response_name, field_details_list, None, None, False))
                else:
                    steps.append((response_name, field_details_list, *plain))
        plan = steps if any(step[2] is not None for step in steps) else None
        plans[id(grouped_field_set)] = (grouped_field_set, plan)
        return plan

    def _values_plan(
        self,
        parent_type: GraphQLObjectType,
        grouped_field_set: GroupedFieldSet,
        field_def: GraphQLField,
    ) -> _Values | None:
        """For an artifacts connection's ``nodes`` whose every selected field is a stored
        column (ARTIFACT_VALUE_FIELDS) or ``__typename``, with no arguments, directives or
        defer, beside no ``edges``/``pageInfo`` (they read rows: a second statement), the
        columns to select; else None."""
        if parent_type.fields.get("nodes") is not field_def or not _is_artifact_list(field_def):
            return None
        siblings = {details[0].node.name.value for details in grouped_field_set.values()}
        if siblings & {"edges", "pageInfo"} or not hasattr(self.context_value, "loaders"):
            return None
        details = next(d for d in grouped_field_set.values() if d[0].node.name.value == "nodes")
        if any(detail.node.arguments or detail.node.directives for detail in details):
            return None
        artifact_type = _named_type(field_def.type)
        subfields, defers, _ = self.collect_subfields(artifact_type, details)
        if defers:
            return None
        names: list[str] = []
        columns: list[str] = []
        required: list[int] = []
        for index, (name, sub_details) in enumerate(subfields.items()):
            node = sub_details[0].node
            sub_def = artifact_type.fields.get(node.name.value)
            if any(d.node.arguments or d.node.directives for d in sub_details):
                return None
            if node.name.value == "__typename":
                column = "__typename"
            else:
                definition = sub_def.extensions.get(DEFINITION) if sub_def else None
                if (
                    not isinstance(definition, StrawberryField)
                    or definition.base_resolver is not None
                    or definition.python_name not in ARTIFACT_VALUE_FIELDS
                    or definition.python_name not in ARTIFACT_VALUES
                ):
                    return None
                column = definition.python_name
            if node.name.value == "__typename" or isinstance(sub_def.type, GraphQLNonNull):
                required.append(index)
            names.append(name)
            columns.append(column)
        if not columns:
            return None
        return _Values(tuple(columns), tuple(names), itemgetter(*required) if required else None)

    async def _artifact_values(
        self,
        values: _Values,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path | None,
        response_name: str,
    ) -> Any:
        """The page's artifacts as response objects from one statement; if the source is
        not an artifacts connection, the statement fails or a value is null where the
        schema says it may not be, graphql-core answers the field instead (and reports
        the error as it would)."""
        if isinstance(source, Connection) and source.request.table == "artifacts":
            key = (source.request, source.parent, values.columns)
            records = None
            with suppress(Exception):  # graphql-core's own attempt reports it, below
                records = await self.context_value.loaders.pages.load(key)
            required = values.required
            if records is not None and (
                required is None or not any(_has_null(required(r)) for r in records)
            ):
                names = values.names
                return [dict(zip(names, record, strict=False)) for record in records]
        result = self.execute_field(
            parent_type,
            source,
            field_details_list,
            Path(path, response_name, parent_type.name),
            None,
        )
        return await result if is_awaitable(result) else result


@dataclass(frozen=True, slots=True)
class _Values:
    """An artifacts ``nodes`` answered from values: the ARTIFACT_VALUES columns to select,
    the response name of each, and a getter of the ones that may not be null."""

    columns: tuple[str, ...]
    names: tuple[str, ...]
    required: Callable[[Any], Any] | None


DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF


def _named_type(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


def _is_artifact_list(field_def: GraphQLField) -> bool:
    """``[Artifact!]!``, as a connection's ``nodes`` is."""
    list_type = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else None
    if not isinstance(list_type, GraphQLList):
        return False
    named = _named_type(list_type)
    definition = named.extensions.get(DEFINITION) if isinstance(named, GraphQLObjectType) else None
    return getattr(definition, "origin", None) is Artifact


def _has_null(values: Any) -> bool:
    return values is None or (type(values) is tuple and None in values)


# A field of a selection set: its response name and field details, and for a plain leaf
# how to read it from its parent, how to serialize it, and whether it may be null (for an
# artifacts nodes answered from values: its _Values, and no serializer).
_Step = tuple[str, Any, Any, Callable[[Any], Any] | None, bool]
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
    definition = field_def.extensions.get(DEFINITION)
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
