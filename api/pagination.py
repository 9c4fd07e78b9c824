"""Relay cursor connections: `Connection[T]` with edges and page info, page sizes and opaque
cursors.

A cursor is the base64 of `<kind>:<key>`, where the key is what the list is ordered by (a
casefolded id, a transaction id, a log position); the kind keeps one list's cursor out of
another. Pages are forward only: fetch `first + 1` rows to learn whether there is a next page.
"""

from __future__ import annotations

import binascii
from base64 import b64decode, b64encode
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

import strawberry

from api.errors import bad_input

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

T = TypeVar("T")
R = TypeVar("R")

First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many to return: 0 to {MAX_PAGE_SIZE}, {DEFAULT_PAGE_SIZE} when null."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Start after this cursor (the endCursor of a page)."),
]


@strawberry.type(description="Where a page is in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="Pagination goes forward only: always false."
    )
    start_cursor: str | None
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last edge; pass it as `after` for the next page."
    )


@strawberry.type(description="One node of a page and its cursor.")
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list (Relay cursor connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


def page_size(first: int | None) -> int:
    """`first` checked: 50 when not given, at most 500.

    Raises:
        GraphQLError: BAD_USER_INPUT naming `first`.
    """
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise bad_input("first", f"must be between 0 and {MAX_PAGE_SIZE}, got {first}")
    return first


def encode_cursor(kind: str, key: str | int) -> str:
    return b64encode(f"{kind}:{key}".encode()).decode("ascii")


def decode_cursor(kind: str, cursor: str | None) -> str | None:
    """The key in a cursor of `kind`, None for no cursor.

    Raises:
        GraphQLError: BAD_USER_INPUT naming `after` (not base64, or another list's cursor).
    """
    if cursor is None:
        return None
    try:
        text = b64decode(cursor.encode("ascii"), validate=True).decode("utf-8")
    except (UnicodeError, binascii.Error):
        raise bad_input("after", "is not a cursor of this list") from None
    found, separator, key = text.partition(":")
    if found != kind or not separator:
        raise bad_input("after", "is not a cursor of this list")
    return key


def decode_int_cursor(kind: str, cursor: str | None) -> int | None:
    """The integer key in a cursor of `kind` (a transaction id, a log position)."""
    key = decode_cursor(kind, cursor)
    if key is None:
        return None
    # At most 18 digits: every store takes it as a 64-bit integer.
    if not key.isascii() or not key.isdigit() or len(key) > 18:
        raise bad_input("after", "is not a cursor of this list")
    return int(key)


def connection(
    rows: Sequence[R], first: int, node: Callable[[R], T], cursor: Callable[[R], str]
) -> Connection[T]:
    """The page of `rows`, fetched as `first + 1` so that the extra one tells of a next page."""
    page = rows[:first]
    edges = [Edge(node=node(row), cursor=cursor(row)) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
