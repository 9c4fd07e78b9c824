"""TransactionIds: hands out OCPP transaction ids, positive int32, unique and increasing.

Ids are reserved in blocks by events, so restarts and other processes never reuse one; the
cursor inside the current block is deliberately not state: an instance rebuilt from events has
no cursor and reserves a fresh block before it hands out anything (a rebuilt instance cannot know
how much of the old block was used).
"""

from __future__ import annotations

from functools import cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import TransactionIdsExhausted

INT32_MAX = 2**31 - 1
BLOCK_SIZE = 100


class TransactionIds(Aggregate):
    @staticmethod
    @cache
    def create_id() -> UUID:
        return uuid5(NAMESPACE_URL, "/transaction-ids")

    @event("Created")
    def __init__(self) -> None:
        self.reserved_up_to = 0

    def allocate(self) -> int:
        cursor: int | None = self.__dict__.get("_cursor")
        if cursor is None or cursor > self.reserved_up_to:
            first = self.reserved_up_to + 1
            last = min(first + BLOCK_SIZE - 1, INT32_MAX)
            if first > INT32_MAX:
                raise TransactionIdsExhausted
            self._reserve(first, last)
            cursor = first
        self._cursor = cursor + 1
        return cursor

    @event("BlockReserved")
    def _reserve(self, first: int, last: int) -> None:
        self.reserved_up_to = last
