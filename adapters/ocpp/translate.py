"""Wire models to domain values and back; the only place that knows both."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

from adapters.ocpp import v16
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


class Findings(list[str]):
    """Conformance findings collected while reading one message."""


def reported_time(raw: str | None, field: str, findings: Findings) -> ReportedTime:
    if raw is None:
        return ReportedTime(None, None)
    parsed = v16.parse_timestamp(raw)
    findings.extend(f"{field}: {finding}" for finding in parsed.findings)
    return ReportedTime(raw, parsed.at)


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


def status_report(request: v16.StatusNotificationRequest, findings: Findings) -> StatusReport:
    return StatusReport(
        connector_id=request.connector_id,
        status=vocab.ConnectorStatus(request.status.value),
        error_code=vocab.ChargePointErrorCode(request.error_code.value),
        timestamp=reported_time(request.timestamp, "timestamp", findings),
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
    wire: list[v16.MeterValue] | list[v16.TransactionData], field: str, findings: Findings
) -> tuple[MeterValue, ...]:
    return tuple(
        MeterValue(
            reported_time(value.timestamp, f"{field}[{n}].timestamp", findings),
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
