"""Page arguments of every list: `first` between 0 and 500 (50 by default), `after` a cursor
of that list; anything else is BAD_USER_INPUT naming the argument."""

from __future__ import annotations

import pytest

from api.pagination import encode_cursor
from tests.api.support import Api, bad_input_field
from tests.support.moments import at

LISTS = {
    "chargePoints": "chargePoints(first: $first, after: $after)",
    "transactions": "transactions(first: $first, after: $after)",
    "idTags": "idTags(first: $first, after: $after)",
    "events": "events(first: $first, after: $after)",
}


def document(name: str) -> str:
    return (
        "query ($first: Int, $after: String) {"
        f" {LISTS[name]} {{ edges {{ cursor }} pageInfo {{ hasNextPage }} }} }}"
    )


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("first", [-1, 501])
async def test_first_out_of_range_is_bad_input(api: Api, name: str, first: int) -> None:
    """A negative page size or one above 500 is refused, naming `first`."""
    assert bad_input_field(await api.errors(document(name), first=first)) == "first"


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize(
    "after",
    [
        "not base64!",
        "////",  # base64 of bytes that are no UTF-8 text
        encode_cursor("elsewhere", 1),
        encode_cursor("transaction", "x"),  # a transactions cursor must hold a number
        encode_cursor("event", "9" * 30),  # too large for any store
    ],
)
async def test_a_malformed_cursor_is_bad_input(api: Api, name: str, after: str) -> None:
    """Not base64, not text, another list's cursor, or a bad key: refused, naming `after`."""
    assert bad_input_field(await api.errors(document(name), after=after)) == "after"


@pytest.mark.parametrize("name", list(LISTS))
async def test_the_page_size_is_50_by_default_and_500_at_most(api: Api, name: str) -> None:
    """Without `first` a page has 50 edges; `first: 500` is allowed."""
    for n in range(51):
        api.history.register(f"CP-{n:02}", at(0))
        api.history.tag(f"TAG-{n:02}", at(0))
        api.history.start(f"CP-{n:02}", 1, f"TAG-{n:02}", 0, at(1))
    api.project()

    default = (await api.query(document(name)))[name]
    largest = (await api.query(document(name), first=500))[name]

    assert (len(default["edges"]), default["pageInfo"]["hasNextPage"]) == (50, True)
    assert len(largest["edges"]) >= 51
    assert largest["pageInfo"]["hasNextPage"] is False
