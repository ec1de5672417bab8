"""Query cost: how many nodes an operation may return, estimated before it runs.

GitHub's node-limit model: every connection field (one that takes ``first``/``last``)
can return as many nodes as its page size times the page sizes of the connections it is
nested in, and the operation's cost is the sum of that over its connection fields. So
``artifacts(first: 60) { nodes { versions(first: 60) { nodes { id } } } }`` costs
60 + 60·60 = 3,660. A missing ``first`` counts as the argument's default (50); variables
are resolved with their defaults; fragments and inline fragments are followed; every
alias counts on its own. Page sizes count at most ``MAX_PAGE_SIZE`` (a larger ``first``
is refused as BAD_USER_INPUT anyway, with a more precise message).

The limit runs as a schema extension at validation time (after ValidationCache), so it
applies to queries, mutations and subscriptions alike and nothing executes when it
refuses. It cannot be a cached validation rule: the cost can depend on the variables.
When it does not (no ``first``/``last`` is a variable), an accepted document is
remembered and not walked again (a walk is ~3% of a cheap read).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from strawberry.extensions import SchemaExtension

from cairn.errors import QueryTooComplex
from cairn.graphql.pagination import MAX_PAGE_SIZE
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.utilities import get_operation_ast

PAGE_ARGUMENTS = ("first", "last")
DEFAULT_PAGE_SIZE = 50
MAX_REMEMBERED = 1000  # accepted documents held at most


@dataclass
class Estimate:
    """The operation's estimated node count and its most expensive connection."""

    total: int = 0
    worst: int = 0
    worst_path: tuple[str, ...] = ()
    uses_variables: bool = False  # some first/last is a variable: other values, other cost
    _fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict, repr=False)


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: dict[str, object] | None = None,
) -> Estimate | None:
    """The estimate, or None when the operation or its variables are not valid (execution
    then fails on its own, before resolving anything)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    definitions = operation.variable_definitions or ()
    coerced = get_variable_values(schema, definitions, dict(variables or {}))
    if not isinstance(coerced, VariableValues):
        return None
    root = _root_type(schema, operation)
    if root is None:
        return None
    estimate = Estimate(
        _fragments={
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
    )
    _walk(schema, estimate, coerced, operation.selection_set, root, 1, (), frozenset())
    return estimate


def _root_type(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> GraphQLObjectType | None:
    return schema.get_root_type(operation.operation)


def _walk(
    schema: GraphQLSchema,
    estimate: Estimate,
    variables: VariableValues,
    selections: SelectionSetNode,
    parent: GraphQLNamedType,
    multiplier: int,
    path: tuple[str, ...],
    spreading: frozenset[str],
) -> None:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            _field(schema, estimate, variables, selection, parent, multiplier, path, spreading)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = schema.get_type(condition.name.value) if condition else parent
            if target is not None:
                _walk(
                    schema,
                    estimate,
                    variables,
                    selection.selection_set,
                    target,
                    multiplier,
                    path,
                    spreading,
                )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = estimate._fragments.get(name)
            if fragment is None or name in spreading:  # unknown or cyclic: validation says so
                continue
            target = schema.get_type(fragment.type_condition.name.value)
            if target is not None:
                _walk(
                    schema,
                    estimate,
                    variables,
                    fragment.selection_set,
                    target,
                    multiplier,
                    path,
                    spreading | {name},
                )


def _field(
    schema: GraphQLSchema,
    estimate: Estimate,
    variables: VariableValues,
    node: FieldNode,
    parent: GraphQLNamedType,
    multiplier: int,
    path: tuple[str, ...],
    spreading: frozenset[str],
) -> None:
    if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return
    definition = parent.fields.get(node.name.value)
    if definition is None:  # __typename, or a field validation rejects
        return
    here = (*path, node.alias.value if node.alias else node.name.value)
    size = _page_size(definition, node, variables, estimate)
    if size is not None:
        multiplier *= size
        estimate.total += multiplier
        if multiplier > estimate.worst:
            estimate.worst, estimate.worst_path = multiplier, here
    if node.selection_set is not None:
        named = get_named_type(definition.type)
        _walk(schema, estimate, variables, node.selection_set, named, multiplier, here, spreading)


def _page_size(
    definition: GraphQLField, node: FieldNode, variables: VariableValues, estimate: Estimate
) -> int | None:
    """``max(first, last)`` of a connection field (clamped to the page limit); None for
    a field that is not a connection."""
    pages = _page_arguments(definition)
    if pages is None:
        return None
    given = {argument.name.value for argument in node.arguments or ()} & set(PAGE_ARGUMENTS)
    if any(
        isinstance(a.value, VariableNode) for a in node.arguments or () if a.name.value in given
    ):
        estimate.uses_variables = True
    try:
        values = get_argument_values(pages, node, variables)
    except GraphQLError:  # a bad argument: execution refuses it before resolving anything
        return DEFAULT_PAGE_SIZE
    sizes = [
        v for name in PAGE_ARGUMENTS if name in given and isinstance(v := values.get(name), int)
    ]
    if not sizes:  # neither given (or given as null): what `first` defaults to
        default = values.get("first")
        sizes = [default if isinstance(default, int) else DEFAULT_PAGE_SIZE]
    return max(0, min(max(sizes), MAX_PAGE_SIZE))


_PAGE_FIELDS: dict[int, tuple[GraphQLField, GraphQLField | None]] = {}


def _page_arguments(definition: GraphQLField) -> GraphQLField | None:
    """The field with only its first/last arguments (None: not a connection), so that
    the other arguments are not coerced for nothing (execution coerces them anyway)."""
    known = _PAGE_FIELDS.get(id(definition))
    if known is not None and known[0] is definition:
        return known[1]
    args = {name: arg for name, arg in definition.args.items() if name in PAGE_ARGUMENTS}
    pages = GraphQLField(definition.type, args) if args else None
    _PAGE_FIELDS[id(definition)] = (definition, pages)  # schema fields live as long
    return pages


def cost_limiter(limit: int) -> type[SchemaExtension]:
    """The extension class enforcing ``limit`` (built once, with the schema)."""

    class QueryCostLimiter(SchemaExtension):
        # (id(document), operation name) -> document: accepted whatever the variables.
        accepted: ClassVar[dict[tuple[int, str | None], DocumentNode]] = {}

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            if not context.pre_execution_errors and document is not None:
                key = (id(document), context.operation_name)
                if self.accepted.get(key) is not document:
                    self._check(document, key)
            yield None

        def _check(self, document: DocumentNode, key: tuple[int, str | None]) -> None:
            context = self.execution_context
            estimate = estimate_cost(
                context.schema._schema, document, context.operation_name, context.variables
            )
            if estimate is None:
                return
            if estimate.total > limit:
                error = _too_complex(estimate, limit)
                context.pre_execution_errors = [GraphQLError(error.message, original_error=error)]
            elif not estimate.uses_variables:
                if len(self.accepted) >= MAX_REMEMBERED:
                    self.accepted.clear()
                self.accepted[key] = document  # held, so its id is not reused meanwhile

    QueryCostLimiter.__qualname__ = f"QueryCostLimiter[{limit}]"
    return QueryCostLimiter


def _too_complex(estimate: Estimate, limit: int) -> QueryTooComplex:
    return QueryTooComplex(
        f"this query could return up to {estimate.total} nodes, more than the limit of "
        f"{limit}; its largest connection, {'.'.join(estimate.worst_path)}, alone could return "
        f"{estimate.worst} (the product of the first/last of the connections it is nested in). "
        "Ask for smaller pages with first/last, select fewer nested connections, or split the "
        "query (the limit is the server's CAIRN_MAX_QUERY_COST)"
    )
