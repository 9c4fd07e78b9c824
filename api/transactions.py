"""Transactions, their meter values and the energy they delivered, as the read model has them."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types import Info

from api import loaders
from api.context import Context
from api.enums import (
    Location,
    Measurand,
    Phase,
    ReadingContext,
    StopReason,
    UnitOfMeasure,
    ValueFormat,
)
from api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    connection,
    decode_int_cursor,
    encode_cursor,
    page_size,
)
from projections.transactions import MeterValueRow, TransactionRow

CURSOR_KIND = "transaction"
E = TypeVar("E", bound=Enum)


def _enum(kind: type[E], reading: Mapping[str, str], name: str) -> E | None:
    value = reading.get(name)
    return None if value is None else kind(value)


@strawberry.type(description="One reading; a null field was absent and means the OCPP default.")
class SampledValue:
    value: str
    measurand: Measurand | None
    unit: UnitOfMeasure | None
    phase: Phase | None
    context: ReadingContext | None
    location: Location | None
    format: ValueFormat | None

    @classmethod
    def from_reading(cls, reading: Mapping[str, str]) -> SampledValue:
        return cls(
            value=reading["value"],
            measurand=_enum(Measurand, reading, "measurand"),
            unit=_enum(UnitOfMeasure, reading, "unit"),
            phase=_enum(Phase, reading, "phase"),
            context=_enum(ReadingContext, reading, "context"),
            location=_enum(Location, reading, "location"),
            format=_enum(ValueFormat, reading, "format"),
        )


@strawberry.type(description="The readings of one moment.")
class MeterValue:
    timestamp: datetime | None = strawberry.field(
        description="The charge point's clock; null when it sent a time that cannot be read."
    )
    sampled_value: list[SampledValue]

    @classmethod
    def from_row(cls, row: MeterValueRow) -> MeterValue:
        return cls(
            timestamp=row.timestamp,
            sampled_value=[SampledValue.from_reading(r) for r in row.sampled()],
        )


def register_wh(reading: Mapping[str, str]) -> float | None:
    """The reading in Wh if it is the whole meter's Energy.Active.Import.Register, else None.

    An absent measurand means that register and an absent unit Wh (the OCPP defaults);
    per-phase readings and signed data are not the total.
    """
    measurand = reading.get("measurand", Measurand.ENERGY_ACTIVE_IMPORT_REGISTER.value)
    if measurand != Measurand.ENERGY_ACTIVE_IMPORT_REGISTER.value or "phase" in reading:
        return None
    if reading.get("format") == ValueFormat.SIGNED_DATA.value:
        return None
    scale = {UnitOfMeasure.WH.value: 1.0, UnitOfMeasure.KWH.value: 1000.0}
    factor = scale.get(reading.get("unit", UnitOfMeasure.WH.value))
    if factor is None:
        return None
    try:
        return float(reading["value"]) * factor
    except ValueError:
        return None


def latest_register_wh(meter_values: Sequence[MeterValueRow]) -> float | None:
    """The latest register reading in Wh: by the charge point's time, else arrival order."""
    latest: tuple[datetime, int, float] | None = None
    for row in meter_values:
        moment = row.timestamp or row.received_at
        for reading in row.sampled():
            wh = register_wh(reading)
            if wh is not None and (latest is None or (moment, row.seq) >= latest[:2]):
                latest = (moment, row.seq, wh)
    return None if latest is None else latest[2]


@strawberry.type(description="A transaction from StartTransaction to StopTransaction.")
class Transaction:
    id: int = strawberry.field(description="The transactionId the CSMS gave it.")
    charge_point_id: strawberry.ID
    connector_id: int
    id_tag: str
    meter_start: int = strawberry.field(description="The meter at the start, in Wh.")
    meter_stop: int | None = strawberry.field(
        description="The meter at the stop, in Wh; null while running."
    )
    start_timestamp: datetime | None = strawberry.field(
        description="The charge point's time of the start; null if it could not be read."
    )
    stop_timestamp: datetime | None
    stop_reason: StopReason | None = strawberry.field(
        description="Null while running, or when the charge point gave none (OCPP: Local)."
    )
    reservation_id: int | None
    row: strawberry.Private[TransactionRow]

    @classmethod
    def from_row(cls, row: TransactionRow) -> Transaction:
        return cls(
            id=row.transaction_id,
            charge_point_id=strawberry.ID(row.charge_point_id),
            connector_id=row.connector_id,
            id_tag=row.id_tag,
            meter_start=row.meter_start,
            meter_stop=row.meter_stop,
            start_timestamp=row.start_timestamp,
            stop_timestamp=row.stop_timestamp,
            stop_reason=None if row.stop_reason is None else StopReason(row.stop_reason),
            reservation_id=row.reservation_id,
            row=row,
        )

    @strawberry.field(
        description="Energy delivered in Wh. Once stopped: meterStop - meterStart. While "
        "running: the latest Energy.Active.Import.Register reading of the whole meter (kWh "
        "converted to Wh; latest by the charge point's timestamp) minus meterStart, or null "
        "if it has sent none."
    )
    async def energy_wh(self, info: Info[Context, None]) -> float | None:
        if self.row.meter_stop is not None:
            return float(self.row.meter_stop - self.row.meter_start)
        latest = latest_register_wh(await loaders.meter_values(info.context, self.id))
        return None if latest is None else latest - self.row.meter_start

    @strawberry.field(
        description="Its meter values in the order received, those sent after the stop and "
        "the StopTransaction's transactionData included."
    )
    async def meter_values(self, info: Info[Context, None]) -> list[MeterValue]:
        rows = await loaders.meter_values(info.context, self.id)
        return [MeterValue.from_row(row) for row in rows]


async def load_transaction(context: Context, transaction_id: int) -> Transaction | None:
    row = await asyncio.to_thread(context.views.transactions.get_transaction, transaction_id)
    return None if row is None else Transaction.from_row(row)


def _cursor(row: TransactionRow) -> str:
    return encode_cursor(CURSOR_KIND, row.transaction_id)


@strawberry.type
class TransactionQuery:
    @strawberry.field(description="The transaction with this transactionId.")
    async def transaction(self, info: Info[Context, None], id: int) -> Transaction | None:
        return await load_transaction(info.context, id)

    @strawberry.field(
        description="Transactions, newest first; filtered by charge point and id tag "
        "(case-insensitively) when given."
    )
    async def transactions(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID | None = None,
        id_tag: str | None = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[Transaction]:
        size = page_size(first)
        older_than = decode_int_cursor(CURSOR_KIND, after)
        rows = await asyncio.to_thread(
            info.context.views.transactions.list_transactions,
            None if charge_point_id is None else str(charge_point_id),
            id_tag,
            size + 1,
            older_than,
        )
        return connection(rows, size, Transaction.from_row, _cursor)
