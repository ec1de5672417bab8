"""Keyset cursor connections (Relay-style: edges and nodes both, as GitHub's API has them).

Every connection field reads forward (``first``/``after``, in the resolver's signature) and
backward (``last``/``before``): :class:`Backward` adds those two arguments to every field
that returns a :class:`Connection` (:func:`add_backward_arguments`), so no connection can
lack them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from cairn.db.listing import Page, PageRequest, ParentId, Table
from cairn.db.where import SORTS, Criteria, Cursor
from cairn.errors import BadUserInput
from cairn.graphql.context import Info

MAX_PAGE_SIZE = 500
NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page sits in its list, and the cursors to move on from it.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True when more items follow this page, or it was asked for with `before`."
    )
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor: pass it as `after` for the next page; null if empty."
    )
    has_previous_page: bool = strawberry.field(
        description=(
            "True when more items come before this page (read with `last`), or it was asked "
            "for with `after`."
        )
    )
    start_cursor: str | None = strawberry.field(
        description=(
            "The first item's cursor: pass it as `before` (with `last`) for the previous page; "
            "null if empty."
        )
    )


@strawberry.type(description="One item of a page, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` to continue after this item."
    )
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "One page of a list, cut by keyset cursors: stable under concurrent inserts, so "
        "paging never repeats or skips an item. Read `nodes`, or `edges` for each item's "
        "cursor."
    )
)
class Connection(Generic[NodeT]):
    request: strawberry.Private[PageRequest]
    parent: strawberry.Private[ParentId | None]
    to_node: strawberry.Private[Callable[[Any], NodeT]]

    async def _page(self, info: Info) -> Page[Any]:
        page: Page[Any] = await info.context.loaders.pages.load((self.request, self.parent))
        return page

    @strawberry.field(description="The page's items, each with its cursor.")
    async def edges(self, info: Info) -> list[Edge[NodeT]]:
        page = await self._page(info)
        return [
            Edge(cursor=c, node=self.to_node(r))
            for r, c in zip(page.rows, page.cursors, strict=True)
        ]

    @strawberry.field(description="The page's items.")
    async def nodes(self, info: Info) -> list[NodeT]:
        page = await self._page(info)
        return [self.to_node(r) for r in page.rows]

    @strawberry.field(description="Whether more items follow, and the cursors to get them.")
    async def page_info(self, info: Info) -> PageInfo:
        page = await self._page(info)
        return PageInfo(
            has_next_page=page.has_next,
            end_cursor=page.cursor(-1) if page.rows else None,
            has_previous_page=page.has_previous,
            start_cursor=page.cursor(0) if page.rows else None,
        )

    @strawberry.field(description="All items matching the filter (counted only when selected).")
    async def total_count(self, info: Info) -> int:
        return await info.context.loaders.counts.load((self.request, self.parent))


def page_request(
    table: Table,
    criteria: Criteria,
    *,
    first: int | None,
    after: str | None,
    sort: str = "CREATED_DESC",
    parent_column: str | None = None,
) -> PageRequest:
    size = 50 if first is None else first
    if size < 0 or size > MAX_PAGE_SIZE:
        raise BadUserInput(f"'first' must be between 0 and {MAX_PAGE_SIZE}; got {size}")
    spec = SORTS[sort]
    cursor = Cursor.decode(after, spec) if after else None
    return PageRequest(
        table=table,
        criteria=criteria,
        sort=spec,
        first=size,
        after=cursor,
        parent_column=parent_column,
    )


# -- backward: last / before ---------------------------------------------------------------

LAST = "last"
BEFORE = "before"


def backward(request: PageRequest, last: int | None, before: str | None) -> PageRequest:
    """``request`` (built from ``first``/``after``) bounded by ``before`` and, with ``last``,
    read backward: the ``last`` rows just before ``before`` (or at the end of the list)."""
    if last is not None and (last < 0 or last > MAX_PAGE_SIZE):
        raise BadUserInput(f"'last' must be between 0 and {MAX_PAGE_SIZE}; got {last}")
    cursor = Cursor.decode(before, request.sort, argument=BEFORE) if before else None
    if last is None:
        return dataclasses.replace(request, before=cursor)
    return dataclasses.replace(request, first=last, before=cursor, backward=True)


def _given(info: Info, name: str) -> bool:
    """Whether the query itself passes argument ``name`` (a literal, or a variable it was
    sent), as opposed to the argument's default applying."""
    for argument in info._raw_info.field_nodes[0].arguments or ():
        if argument.name.value == name:
            variable = getattr(argument.value, "name", None)
            if argument.value.kind == "variable" and variable is not None:
                return variable.value in info._raw_info.variable_values
            return True
    return False


class Backward(FieldExtension):
    """Adds ``last: Int`` and ``before: String`` to a connection field and applies them to
    the Connection its resolver returns.

    ``first`` keeps its default of 50 for forward reads; with ``last`` the default does not
    apply, and a ``first`` the query passes itself (not null) is BAD_USER_INPUT: one
    direction at a time, as Relay's clients send (the other direction's count as null).
    """

    def apply(self, field: StrawberryField) -> None:
        names = {a.python_name for a in field.arguments}
        added = [
            StrawberryArgument(
                python_name=LAST,
                graphql_name=None,
                type_annotation=StrawberryAnnotation(int | None),
                default=None,
                description=(
                    f"Read backward: the last n items (0-{MAX_PAGE_SIZE}) before `before` (or "
                    "the end), in the list's order; not with `first`."
                ),
            ),
            StrawberryArgument(
                python_name=BEFORE,
                graphql_name=None,
                type_annotation=StrawberryAnnotation(str | None),
                default=None,
                description="Only items before this cursor (a startCursor of this list).",
            ),
        ]
        field.arguments = [*field.arguments, *(a for a in added if a.python_name not in names)]

    @staticmethod
    def _take(info: Info, kwargs: dict[str, Any]) -> tuple[int | None, str | None]:
        last, before = kwargs.pop(LAST, None), kwargs.pop(BEFORE, None)
        if last is not None and kwargs.get("first") is not None and _given(info, "first"):
            raise BadUserInput(
                "pass 'first' (with 'after') to read forward or 'last' (with 'before') to "
                "read backward, not both"
            )
        return last, before

    @staticmethod
    def _apply(connection: Any, last: int | None, before: str | None) -> Any:
        if last is None and not before:
            return connection
        assert isinstance(connection, Connection)
        return dataclasses.replace(connection, request=backward(connection.request, last, before))

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        last, before = self._take(info, kwargs)
        return self._apply(next_(source, info, **kwargs), last, before)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        last, before = self._take(info, kwargs)
        return self._apply(await next_(source, info, **kwargs), last, before)


def _returns_connection(field: StrawberryField) -> bool:
    type_ = field.type
    return isinstance(type_, type) and issubclass(type_, Connection)


def add_backward_arguments(*types: type) -> None:
    """Give every connection field of these types ``last`` and ``before``."""
    for type_ in types:
        definition: StrawberryObjectDefinition = type_.__strawberry_definition__  # type: ignore[attr-defined]
        for field in definition.fields:
            if _returns_connection(field) and not any(
                isinstance(e, Backward) for e in field.extensions
            ):
                field.extensions.append(Backward())
