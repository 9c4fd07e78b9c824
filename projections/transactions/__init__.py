"""The transactions read model: rows, the view (PostgreSQL and SQLite) and its projection."""

from projections.transactions.postgres import PostgresTransactionsView
from projections.transactions.projection import TransactionsProjection
from projections.transactions.sqlite import SQLiteTransactionsView
from projections.transactions.view import (
    MeterValueRow,
    Sample,
    TransactionRow,
    TransactionsView,
    TransactionsWriter,
)

__all__ = [
    "MeterValueRow",
    "PostgresTransactionsView",
    "SQLiteTransactionsView",
    "Sample",
    "TransactionRow",
    "TransactionsProjection",
    "TransactionsView",
    "TransactionsWriter",
]
