"""Wire models to domain values and back; the only place that knows both.

Reading a request also checks what its JSON schema cannot express (connectorId ranges, the
statuses of connector 0, times ahead of our clock) and adds what is off-spec to the findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Final, TypeVar

from adapters.ocpp import v16
from adapters.ocpp.errors import PropertyConstraintViolation
from domain import vocabulary as vocab
from domain.values import (
    Authorization,
    BootInfo,
    MeterValue,
    ReportedTime,
    SampledValue,
    StatusReport,
)

E = TypeVar("E", bound=Enum)


def _by_wire(wire: type[Enum], domain: type[E], **aliases: E) -> dict[object, E]:
    """Wire member -> domain member: a dict lookup per field instead of an Enum call, which
    is most of the cost of reading a sampled value."""
    return {w: aliases.get(w.value) or domain(w.value) for w in wire}


_CONTEXTS = _by_wire(v16.ReadingContext, vocab.ReadingContext)
_FORMATS = _by_wire(v16.ValueFormat, vocab.ValueFormat)
_MEASURANDS = _by_wire(v16.Measurand, vocab.Measurand)
_PHASES = _by_wire(v16.Phase, vocab.Phase)
_LOCATIONS = _by_wire(v16.Location, vocab.Location)
_UNITS = _by_wire(v16.UnitOfMeasure, vocab.UnitOfMeasure, Celcius=vocab.UnitOfMeasure.CELSIUS)


CLOCK_TOLERANCE: Final = timedelta(minutes=5)
"""How far a charge point's time may be ahead of ours before it is a finding (T5)."""

LOWEST_CONNECTOR_ID: Final[Mapping[v16.Action, int]] = MappingProxyType(
    {
        v16.Action.START_TRANSACTION: 1,
        v16.Action.METER_VALUES: 0,  # 0 is the main meter
        v16.Action.STATUS_NOTIFICATION: 0,  # 0 is the charge point as a whole
    }
)
"""The lowest connectorId each message may carry (S1 §6.31, §6.45, §6.47); the JSON schemas
only say "integer"."""

# What connector 0, the charge point as a whole, can be (S1 §7.7).
_CHARGE_POINT_STATUSES: Final = frozenset(
    {
        v16.ChargePointStatus.AVAILABLE,
        v16.ChargePointStatus.UNAVAILABLE,
        v16.ChargePointStatus.FAULTED,
    }
)


class Findings(list[str]):
    """Conformance findings collected while reading one message."""


def reported_time(
    raw: str | None, field: str, findings: Findings, received_at: datetime
) -> ReportedTime:
    """A charge point's time, as sent and as read; unreadable or future times are findings.

    A time ahead of `received_at` by more than `CLOCK_TOLERANCE` is a soft error (T5): the
    charge point's clock is off, or the message is wrong. It is kept all the same: the time
    of receipt is recorded next to it, and that is what orders events.
    """
    if raw is None:
        return ReportedTime(None, None)
    parsed = v16.parse_timestamp(raw)
    findings.extend(f"{field}: {finding}" for finding in parsed.findings)
    if parsed.at is not None and parsed.at - received_at > CLOCK_TOLERANCE:
        ahead = timedelta(seconds=int((parsed.at - received_at).total_seconds()))
        findings.append(f"{field}: {raw!r} is {ahead} ahead of the Central System's clock")
    return ReportedTime(raw, parsed.at)


def connector_id(action: v16.Action, value: int, findings: Findings) -> int:
    """The connectorId of a transaction message, kept even when out of range.

    A transaction message is never refused (T1): an out-of-range connectorId is a finding.
    """
    lowest = LOWEST_CONNECTOR_ID[action]
    if value < lowest:
        findings.append(f"connectorId: {value} is out of range for {action} (at least {lowest})")
    return value


def boot_info(request: v16.BootNotificationRequest) -> BootInfo:
    return BootInfo(
        vendor=request.charge_point_vendor,
        model=request.charge_point_model,
        charge_point_serial_number=request.charge_point_serial_number,
        charge_box_serial_number=request.charge_box_serial_number,
        firmware_version=request.firmware_version,
        iccid=request.iccid,
        imsi=request.imsi,
        meter_type=request.meter_type,
        meter_serial_number=request.meter_serial_number,
    )


def status_report(
    request: v16.StatusNotificationRequest, findings: Findings, received_at: datetime
) -> StatusReport:
    """The status report of a StatusNotification.

    Connector 0 in a status only a real connector can have (say Charging) is recorded, with a
    finding. A negative connectorId is refused: there is no such connector whose status could
    be recorded, and a status message is not a transaction message (no data is lost).

    Raises:
        PropertyConstraintViolation: the connectorId is negative.
    """
    lowest = LOWEST_CONNECTOR_ID[v16.Action.STATUS_NOTIFICATION]
    if request.connector_id < lowest:
        msg = f"connectorId: {request.connector_id} is out of range (at least {lowest})"
        raise PropertyConstraintViolation(msg)
    if request.connector_id == 0 and request.status not in _CHARGE_POINT_STATUSES:
        findings.append(
            f"status: {request.status.value!r} is not a status of connector 0"
            " (Available, Unavailable or Faulted)"
        )
    return StatusReport(
        connector_id=request.connector_id,
        status=vocab.ConnectorStatus(request.status.value),
        error_code=vocab.ChargePointErrorCode(request.error_code.value),
        timestamp=reported_time(request.timestamp, "timestamp", findings, received_at),
        info=request.info,
        vendor_id=request.vendor_id,
        vendor_error_code=request.vendor_error_code,
    )


def _sampled_value(wire: v16.SampledValue) -> SampledValue:
    return SampledValue(
        wire.value,
        _CONTEXTS.get(wire.context),
        _FORMATS.get(wire.format),
        _MEASURANDS.get(wire.measurand),
        _PHASES.get(wire.phase),
        _LOCATIONS.get(wire.location),
        _UNITS.get(wire.unit),
    )


def meter_values(
    wire: list[v16.MeterValue] | list[v16.TransactionData],
    field: str,
    findings: Findings,
    received_at: datetime,
) -> tuple[MeterValue, ...]:
    return tuple(
        MeterValue(
            reported_time(value.timestamp, f"{field}[{n}].timestamp", findings, received_at),
            tuple(_sampled_value(s) for s in value.sampled_value),
        )
        for n, value in enumerate(wire)
    )


def stop_reason(reason: v16.Reason | None) -> vocab.StopReason | None:
    return vocab.StopReason(reason.value) if reason else None


def id_tag_info(authorization: Authorization) -> v16.IdTagInfo:
    return v16.IdTagInfo(
        status=v16.AuthorizationStatus(authorization.status.value),
        expiry_date=_time(authorization.expiry_date),
        parent_id_tag=authorization.parent_id_tag,
    )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else v16.format_timestamp(moment)
