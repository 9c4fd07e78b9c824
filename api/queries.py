"""The root Query: every area's fields, by inheritance."""

from __future__ import annotations

import strawberry

from api.charge_points import ChargePointQuery
from api.events import EventQuery
from api.id_tags import IdTagQuery
from api.transactions import TransactionQuery


@strawberry.type(description="Reads of the read models (and of the event log, for auditors).")
class Query(ChargePointQuery, TransactionQuery, IdTagQuery, EventQuery):
    pass
