"""Immutable values carried by events and returned by use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.vocabulary import (
    AuthorizationStatus,
    ChargePointErrorCode,
    ConnectorStatus,
    Location,
    Measurand,
    Phase,
    ReadingContext,
    RegistrationStatus,
    UnitOfMeasure,
    ValueFormat,
)


@dataclass(frozen=True)
class ReportedTime:
    """A time as a charge point reported it: the raw text and what we could read of it."""

    raw: str | None
    at: datetime | None


@dataclass(frozen=True)
class SampledValue:
    """One reading; `None` fields were absent and mean the OCPP default."""

    value: str
    context: ReadingContext | None = None
    format: ValueFormat | None = None
    measurand: Measurand | None = None
    phase: Phase | None = None
    location: Location | None = None
    unit: UnitOfMeasure | None = None


@dataclass(frozen=True)
class MeterValue:
    timestamp: ReportedTime
    sampled_values: tuple[SampledValue, ...]


@dataclass(frozen=True)
class BootInfo:
    """What a BootNotification says about the charge point."""

    vendor: str
    model: str
    charge_point_serial_number: str | None = None
    charge_box_serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None


@dataclass(frozen=True)
class StatusReport:
    """One StatusNotification."""

    connector_id: int
    status: ConnectorStatus
    error_code: ChargePointErrorCode
    timestamp: ReportedTime
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None


@dataclass(frozen=True)
class ConfigurationKey:
    """One configuration key as the charge point reported it (GetConfiguration)."""

    key: str
    readonly: bool
    value: str | None = None


@dataclass(frozen=True)
class Authorization:
    """The answer to "may this id tag charge?" (OCPP's IdTagInfo)."""

    status: AuthorizationStatus
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None


@dataclass(frozen=True)
class BootDecision:
    status: RegistrationStatus
    interval: int


@dataclass(frozen=True)
class StartDecision:
    transaction_id: int
    authorization: Authorization
    duplicate: bool = False


@dataclass(frozen=True)
class StopDecision:
    authorization: Authorization | None
    known_transaction: bool = True
