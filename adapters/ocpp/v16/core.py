"""Core profile, charge point → CSMS: boot, heartbeat, authorization, transactions, status.

Times stay raw `str` here (the schema's `format: date-time` is not enforced by the official
validator); read them with `parse_timestamp`, send them with `format_timestamp`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .common import (
    CiString20,
    CiString25,
    CiString50,
    CiString255,
    IdTagInfo,
    IdToken,
    MeterValue,
    TransactionData,
    WireEnum,
    WireModel,
)

__all__ = [
    "AuthorizeRequest",
    "AuthorizeResponse",
    "BootNotificationRequest",
    "BootNotificationResponse",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "DataTransferRequest",
    "DataTransferResponse",
    "DataTransferStatus",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "MeterValuesRequest",
    "MeterValuesResponse",
    "Reason",
    "RegistrationStatus",
    "StartTransactionRequest",
    "StartTransactionResponse",
    "StatusNotificationRequest",
    "StatusNotificationResponse",
    "StopTransactionRequest",
    "StopTransactionResponse",
]


class RegistrationStatus(WireEnum):
    ACCEPTED = "Accepted"
    PENDING = "Pending"
    REJECTED = "Rejected"


class ChargePointErrorCode(WireEnum):
    CONNECTOR_LOCK_FAILURE = "ConnectorLockFailure"
    EV_COMMUNICATION_ERROR = "EVCommunicationError"
    GROUND_FAILURE = "GroundFailure"
    HIGH_TEMPERATURE = "HighTemperature"
    INTERNAL_ERROR = "InternalError"
    LOCAL_LIST_CONFLICT = "LocalListConflict"
    NO_ERROR = "NoError"
    OTHER_ERROR = "OtherError"
    OVER_CURRENT_FAILURE = "OverCurrentFailure"
    POWER_METER_FAILURE = "PowerMeterFailure"
    POWER_SWITCH_FAILURE = "PowerSwitchFailure"
    READER_FAILURE = "ReaderFailure"
    RESET_FAILURE = "ResetFailure"
    UNDER_VOLTAGE = "UnderVoltage"
    OVER_VOLTAGE = "OverVoltage"
    WEAK_SIGNAL = "WeakSignal"


class ChargePointStatus(WireEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class Reason(WireEnum):
    """Why a transaction stopped; absent means Local (S4 §2.5 made it optional)."""

    EMERGENCY_STOP = "EmergencyStop"
    EV_DISCONNECTED = "EVDisconnected"
    HARD_RESET = "HardReset"
    LOCAL = "Local"
    OTHER = "Other"
    POWER_LOSS = "PowerLoss"
    REBOOT = "Reboot"
    REMOTE = "Remote"
    SOFT_RESET = "SoftReset"
    UNLOCK_COMMAND = "UnlockCommand"
    DE_AUTHORIZED = "DeAuthorized"


class DataTransferStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    UNKNOWN_MESSAGE_ID = "UnknownMessageId"
    UNKNOWN_VENDOR_ID = "UnknownVendorId"


class AuthorizeRequest(WireModel):
    """CP → CSMS: may this idTag charge?"""

    id_tag: IdToken


class AuthorizeResponse(WireModel):
    id_tag_info: IdTagInfo


class BootNotificationRequest(WireModel):
    """CP → CSMS: the charge point (re)booted and introduces itself."""

    charge_point_vendor: CiString20
    charge_point_model: CiString20
    charge_point_serial_number: CiString25 | None = None
    charge_box_serial_number: CiString25 | None = None
    firmware_version: CiString50 | None = None
    iccid: CiString20 | None = None
    imsi: CiString20 | None = None
    meter_type: CiString25 | None = None
    meter_serial_number: CiString25 | None = None


class BootNotificationResponse(WireModel):
    """`interval` is an integer number of seconds (S4 §2.3; the first schema said number)."""

    status: RegistrationStatus
    current_time: str
    interval: int


class DataTransferRequest(WireModel):
    """Either direction: vendor-specific data."""

    vendor_id: CiString255
    message_id: CiString50 | None = None
    data: str | None = None


class DataTransferResponse(WireModel):
    status: DataTransferStatus
    data: str | None = None


class HeartbeatRequest(WireModel):
    """CP → CSMS: still here; what time is it?"""


class HeartbeatResponse(WireModel):
    current_time: str


class MeterValuesRequest(WireModel):
    """CP → CSMS: sampled or clock-aligned readings, a transaction-related message (S1 §3.7)."""

    connector_id: int
    transaction_id: int | None = None
    meter_value: Annotated[list[MeterValue], Field(min_length=1)]


class MeterValuesResponse(WireModel):
    """Empty acknowledgement."""


class StartTransactionRequest(WireModel):
    """CP → CSMS: a transaction started (maybe long ago, queued while offline)."""

    connector_id: int
    id_tag: IdToken
    meter_start: int
    reservation_id: int | None = None
    timestamp: str


class StartTransactionResponse(WireModel):
    id_tag_info: IdTagInfo
    transaction_id: int


class StatusNotificationRequest(WireModel):
    """CP → CSMS: a connector (or the whole charge point, connectorId 0) changed status."""

    connector_id: int
    error_code: ChargePointErrorCode
    info: CiString50 | None = None
    status: ChargePointStatus
    timestamp: str | None = None
    vendor_id: CiString255 | None = None
    vendor_error_code: CiString50 | None = None


class StatusNotificationResponse(WireModel):
    """Empty acknowledgement."""


class StopTransactionRequest(WireModel):
    """CP → CSMS: a transaction stopped; always acknowledged (S2 §3.18)."""

    id_tag: IdToken | None = None
    meter_stop: int
    timestamp: str
    transaction_id: int
    reason: Reason | None = None
    transaction_data: list[TransactionData] | None = None


class StopTransactionResponse(WireModel):
    """`idTagInfo` is returned when the request carried an idTag."""

    id_tag_info: IdTagInfo | None = None
