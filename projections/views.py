"""Every read model of the CSMS, opened on one database: `open_views(database)`.

On PostgreSQL the views share the event store's database and schema, each with its own tables
(`<view>_...`) and pool; on SQLite each view has a file of its own next to the event store's.
Any eventsourcing key can be given per view with its prefix, e.g.
`TRANSACTIONS_POSTGRES_POOL_SIZE`, or `CREATE_TABLE=n` for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from adapters.eventstore import Database, environment, schema_ready
from projections.charge_points import (
    ChargePointsView,
    PostgresChargePointsView,
    SQLiteChargePointsView,
)
from projections.id_tags import IdTagsView, PostgresIdTagsView, SQLiteIdTagsView
from projections.transactions import (
    PostgresTransactionsView,
    SQLiteTransactionsView,
    TransactionsView,
)


@dataclass
class Views:
    charge_points: ChargePointsView
    transactions: TransactionsView
    id_tags: IdTagsView
    _factories: list[InfrastructureFactory[Any]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Close every view's connections."""
        while self._factories:
            self._factories.pop().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.close()


def open_views(database: Database, env: Mapping[str, str] | None = None) -> Views:
    """Open (and, unless CREATE_TABLE=n, create) the views of `database`.

    Args:
        database: where the event store is; the views live with it.
        env: extra eventsourcing settings, e.g. `{"CHARGE_POINTS_POSTGRES_POOL_SIZE": "2"}`.
    """
    with schema_ready(database):
        return _open_views(database, env)


def _open_views(database: Database, env: Mapping[str, str] | None) -> Views:
    factories: list[InfrastructureFactory[Any]] = []

    def open_view(name: str, postgres_class: type[Any], sqlite_class: type[Any]) -> Any:
        settings = Environment(name, {**environment(database, view=name), **(env or {})})
        factory = InfrastructureFactory.construct(settings)
        factories.append(factory)
        return factory.tracking_recorder(postgres_class if database.is_postgres else sqlite_class)

    try:
        return Views(
            charge_points=open_view(
                "charge_points", PostgresChargePointsView, SQLiteChargePointsView
            ),
            transactions=open_view(
                "transactions", PostgresTransactionsView, SQLiteTransactionsView
            ),
            id_tags=open_view("id_tags", PostgresIdTagsView, SQLiteIdTagsView),
            _factories=factories,
        )
    except BaseException:
        for factory in factories:
            factory.close()
        raise
