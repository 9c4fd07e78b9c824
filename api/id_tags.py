"""Id tags: the registry operators keep, as the read model has it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import strawberry
from strawberry.types import Info

from api.context import Context
from api.enums import AuthorizationStatus
from api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    connection,
    decode_cursor,
    encode_cursor,
    page_size,
)
from projections.id_tags import IdTagRow

CURSOR_KIND = "idTag"


@strawberry.type(description="An id tag as operators registered it.")
class IdTag:
    id_tag: str = strawberry.field(description="As registered; looked up regardless of case.")
    status: AuthorizationStatus = strawberry.field(
        description="As set; a tag past its expiryDate is answered Expired whatever this is."
    )
    expiry_date: datetime | None
    parent_id_tag: str | None

    @classmethod
    def from_row(cls, row: IdTagRow) -> IdTag:
        return cls(
            id_tag=row.id_tag,
            status=AuthorizationStatus(row.status),
            expiry_date=row.expiry_date,
            parent_id_tag=row.parent_id_tag,
        )


async def load_id_tag(context: Context, id_tag: str) -> IdTag | None:
    """The id tag as the read model has it now, whatever the case of `id_tag`."""
    row = await asyncio.to_thread(context.views.id_tags.get_id_tag, id_tag)
    return None if row is None else IdTag.from_row(row)


def _cursor(row: IdTagRow) -> str:
    return encode_cursor(CURSOR_KIND, row.key)


@strawberry.type
class IdTagQuery:
    @strawberry.field(description="The id tag, whatever its case.")
    async def id_tag(self, info: Info[Context, None], id_tag: str) -> IdTag | None:
        return await load_id_tag(info.context, id_tag)

    @strawberry.field(description="Id tags ordered by tag (case-insensitively).")
    async def id_tags(
        self,
        info: Info[Context, None],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[IdTag]:
        size = page_size(first)
        key = decode_cursor(CURSOR_KIND, after)
        rows = await asyncio.to_thread(info.context.views.id_tags.list_id_tags, size + 1, key)
        return connection(rows, size, IdTag.from_row, _cursor)
