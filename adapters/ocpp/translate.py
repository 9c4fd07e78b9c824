"""Wire models to domain values and back; the only place that knows both."""

from __future__ import annotations

from datetime import datetime

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

_UNITS = {u.value: u for u in vocab.UnitOfMeasure} | {"Celcius": vocab.UnitOfMeasure.CELSIUS}


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
        value=wire.value,
        context=vocab.ReadingContext(wire.context.value) if wire.context else None,
        format=vocab.ValueFormat(wire.format.value) if wire.format else None,
        measurand=vocab.Measurand(wire.measurand.value) if wire.measurand else None,
        phase=vocab.Phase(wire.phase.value) if wire.phase else None,
        location=vocab.Location(wire.location.value) if wire.location else None,
        unit=_UNITS[wire.unit.value] if wire.unit else None,
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
