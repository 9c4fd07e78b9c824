"""The charge points read model: rows, the view (PostgreSQL and SQLite) and its projection."""

from projections.charge_points.postgres import PostgresChargePointsView
from projections.charge_points.projection import ChargePointsProjection
from projections.charge_points.rows import ChargePointRow, ConfigurationRow, ConnectorRow
from projections.charge_points.sqlite import SQLiteChargePointsView
from projections.charge_points.view import ChargePointsView, ChargePointsWriter

__all__ = [
    "ChargePointRow",
    "ChargePointsProjection",
    "ChargePointsView",
    "ChargePointsWriter",
    "ConfigurationRow",
    "ConnectorRow",
    "PostgresChargePointsView",
    "SQLiteChargePointsView",
]
