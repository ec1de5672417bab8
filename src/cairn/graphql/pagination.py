"""Keyset cursor connections (Relay-style: edges and nodes both, as GitHub's API has them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from cairn.db.listing import Page, PageRequest, ParentId, Table
from cairn.db.where import SORTS, Criteria, Cursor
from cairn.errors import BadUserInput
from cairn.graphql.context import Info

MAX_PAGE_SIZE = 500
NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page sits in its list, and the cursors to move on from it.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor: pass it as `after` for the next page; null if empty."
    )
    has_previous_page: bool = strawberry.field(
        description="True when this page was asked for with `after`."
    )
    start_cursor: str | None = strawberry.field(
        description="The first item's cursor; null if the page is empty."
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
        return await info.context.loaders.pages.load((self.request, self.parent))

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
            end_cursor=page.cursors[-1] if page.cursors else None,
            has_previous_page=self.request.after is not None,
            start_cursor=page.cursors[0] if page.cursors else None,
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
