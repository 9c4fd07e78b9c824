"""Which transaction events change the transactions view, and how."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import orjson

from domain.transaction import Transaction
from domain.values import MeterValue, SampledValue
from projections.batch import BatchProjection, event_class
from projections.transactions.view import Sample, TransactionsView, TransactionsWriter

_SAMPLED_VALUE_FIELDS = tuple(f.name for f in dataclasses.fields(SampledValue))


def sampled_values_json(sampled_values: tuple[SampledValue, ...]) -> str:
    """The OCPP shape: absent fields left out, enums as their OCPP spelling."""
    readings = []
    for sampled in sampled_values:
        reading: dict[str, str] = {}
        for name in _SAMPLED_VALUE_FIELDS:
            value = getattr(sampled, name)
            if value is not None:
                reading[name] = value.value if isinstance(value, Enum) else value
        readings.append(reading)
    return orjson.dumps(readings).decode()


def _samples(meter_values: tuple[MeterValue, ...]) -> list[Sample]:
    return [
        Sample(mv.timestamp.at, mv.timestamp.raw, sampled_values_json(mv.sampled_values))
        for mv in meter_values
    ]


def _started(event: Any, writer: TransactionsWriter) -> None:
    writer.start(
        event.originator_id,
        transaction_id=event.transaction_id,
        charge_point_id=event.charge_point_id,
        connector_id=event.connector_id,
        id_tag=event.id_tag,
        meter_start=event.meter_start,
        timestamp=event.reported_time.at,
        timestamp_raw=event.reported_time.raw,
        reservation_id=event.reservation_id,
        authorization_status=event.authorization.value,
        received_at=event.received_at,
    )


def _meter_values_sampled(event: Any, writer: TransactionsWriter) -> None:
    writer.add_meter_values(
        event.originator_id,
        event.originator_version,
        event.connector_id,
        _samples(event.meter_values),
        after_stop=event.after_stop,
        from_stop_transaction=False,
        received_at=event.received_at,
    )


def _stopped(event: Any, writer: TransactionsWriter) -> None:
    writer.stop(
        event.originator_id,
        meter_stop=event.meter_stop,
        timestamp=event.reported_time.at,
        timestamp_raw=event.reported_time.raw,
        reason=None if event.reason is None else event.reason.value,
        id_tag=event.id_tag,
        received_at=event.received_at,
    )
    # transactionData of the StopTransaction: on the transaction's own connector.
    writer.add_meter_values(
        event.originator_id,
        event.originator_version,
        None,
        _samples(event.transaction_data),
        after_stop=False,
        from_stop_transaction=True,
        received_at=event.received_at,
    )


def _abandoned(event: Any, writer: TransactionsWriter) -> None:
    writer.abandon(event.originator_id, event.replaced_by)


class TransactionsProjection(BatchProjection[TransactionsView]):
    # StoppedAgain is a finding about the charge point, not a change of the transaction.
    name = "transactions"
    handlers = {
        event_class(Transaction, "Started"): _started,
        event_class(Transaction, "MeterValuesSampled"): _meter_values_sampled,
        event_class(Transaction, "Stopped"): _stopped,
        event_class(Transaction, "Abandoned"): _abandoned,
    }
