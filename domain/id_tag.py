"""IdTag: one entry of the id-tag registry, keyed case-insensitively (OCPP16.md T6)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.values import Authorization
from domain.vocabulary import AuthorizationStatus


class IdTag(Aggregate):
    @staticmethod
    @lru_cache(maxsize=100_000)
    def create_id(id_tag: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/id-tags/{id_tag.casefold()}")

    @event("Registered")
    def __init__(
        self,
        id_tag: str,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        concurrent_transactions: bool,
        registered_at: datetime,
    ) -> None:
        self.id_tag = id_tag  # the spelling the operator gave, echoed back as is
        self.status = status
        self.expiry_date = expiry_date
        self.parent_id_tag = parent_id_tag
        self.concurrent_transactions = concurrent_transactions
        self.open_transactions: list[int] = []

    def update(
        self,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        concurrent_transactions: bool,
        updated_at: datetime,
    ) -> None:
        if (status, expiry_date, parent_id_tag, concurrent_transactions) != (
            self.status,
            self.expiry_date,
            self.parent_id_tag,
            self.concurrent_transactions,
        ):
            self._update(status, expiry_date, parent_id_tag, concurrent_transactions, updated_at)

    @event("Updated")
    def _update(
        self,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        concurrent_transactions: bool,
        updated_at: datetime,
    ) -> None:
        self.status = status
        self.expiry_date = expiry_date
        self.parent_id_tag = parent_id_tag
        self.concurrent_transactions = concurrent_transactions

    def authorization(self, now: datetime) -> Authorization:
        """The answer for this tag now; a passed expiry date wins over the stored status."""
        status = self.status
        if self.expiry_date is not None and self.expiry_date <= now:
            status = AuthorizationStatus.EXPIRED
        return Authorization(status, self.expiry_date, self.parent_id_tag)

    def authorization_to_start(self, now: datetime) -> Authorization:
        answer = self.authorization(now)
        if (
            answer.status is AuthorizationStatus.ACCEPTED
            and not self.concurrent_transactions
            and self.open_transactions
        ):
            return Authorization(
                AuthorizationStatus.CONCURRENT_TX, answer.expiry_date, answer.parent_id_tag
            )
        return answer

    @property
    def tracks_transactions(self) -> bool:
        # Only a tag that forbids concurrent transactions needs to know which are open.
        return not self.concurrent_transactions

    def use_for(self, transaction_id: int) -> None:
        if self.tracks_transactions and transaction_id not in self.open_transactions:
            self._use_for(transaction_id)

    @event("TransactionOpened")
    def _use_for(self, transaction_id: int) -> None:
        self.open_transactions.append(transaction_id)

    def release(self, transaction_id: int) -> None:
        if transaction_id in self.open_transactions:
            self._release(transaction_id)

    @event("TransactionClosed")
    def _release(self, transaction_id: int) -> None:
        self.open_transactions.remove(transaction_id)


def unknown_tag() -> Authorization:
    return Authorization(AuthorizationStatus.INVALID)
