"""Core profile, CSMS → charge point: availability, configuration, cache, remote start/stop,
reset and unlock. (DataTransfer, which goes both ways, lives in `core`.)"""

from __future__ import annotations

from .common import ChargingProfile, CiString50, CiString500, IdToken, WireEnum, WireModel

__all__ = [
    "AvailabilityStatus",
    "AvailabilityType",
    "ChangeAvailabilityRequest",
    "ChangeAvailabilityResponse",
    "ChangeConfigurationRequest",
    "ChangeConfigurationResponse",
    "ClearCacheRequest",
    "ClearCacheResponse",
    "ClearCacheStatus",
    "ConfigurationStatus",
    "GetConfigurationRequest",
    "GetConfigurationResponse",
    "KeyValue",
    "RemoteStartStopStatus",
    "RemoteStartTransactionRequest",
    "RemoteStartTransactionResponse",
    "RemoteStopTransactionRequest",
    "RemoteStopTransactionResponse",
    "ResetRequest",
    "ResetResponse",
    "ResetStatus",
    "ResetType",
    "UnlockConnectorRequest",
    "UnlockConnectorResponse",
    "UnlockStatus",
]


class AvailabilityType(WireEnum):
    INOPERATIVE = "Inoperative"
    OPERATIVE = "Operative"


class AvailabilityStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    SCHEDULED = "Scheduled"


class ConfigurationStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    REBOOT_REQUIRED = "RebootRequired"
    NOT_SUPPORTED = "NotSupported"


class ClearCacheStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class RemoteStartStopStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class ResetType(WireEnum):
    HARD = "Hard"
    SOFT = "Soft"


class ResetStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class UnlockStatus(WireEnum):
    UNLOCKED = "Unlocked"
    UNLOCK_FAILED = "UnlockFailed"
    NOT_SUPPORTED = "NotSupported"


class ChangeAvailabilityRequest(WireModel):
    """CSMS → CP: make a connector (0 = the whole charge point) operative or inoperative."""

    connector_id: int
    type: AvailabilityType


class ChangeAvailabilityResponse(WireModel):
    status: AvailabilityStatus


class ChangeConfigurationRequest(WireModel):
    """CSMS → CP: set one configuration key; the value is always a string."""

    key: CiString50
    value: CiString500


class ChangeConfigurationResponse(WireModel):
    status: ConfigurationStatus


class ClearCacheRequest(WireModel):
    """CSMS → CP: empty the authorization cache."""


class ClearCacheResponse(WireModel):
    status: ClearCacheStatus


class GetConfigurationRequest(WireModel):
    """CSMS → CP: read configuration keys; no (or an empty) list means all keys."""

    key: list[CiString50] | None = None


class KeyValue(WireModel):
    """GetConfiguration.conf configurationKey[]; `value` may be absent."""

    key: CiString50
    readonly: bool
    value: CiString500 | None = None


class GetConfigurationResponse(WireModel):
    configuration_key: list[KeyValue] | None = None
    unknown_key: list[CiString50] | None = None


class RemoteStartTransactionRequest(WireModel):
    """CSMS → CP: start a transaction for idTag; a profile must be a TxProfile without txId."""

    connector_id: int | None = None
    id_tag: IdToken
    charging_profile: ChargingProfile | None = None


class RemoteStartTransactionResponse(WireModel):
    status: RemoteStartStopStatus


class RemoteStopTransactionRequest(WireModel):
    """CSMS → CP: stop a running transaction."""

    transaction_id: int


class RemoteStopTransactionResponse(WireModel):
    status: RemoteStartStopStatus


class ResetRequest(WireModel):
    """CSMS → CP: reboot, gracefully (Soft) or not (Hard)."""

    type: ResetType


class ResetResponse(WireModel):
    status: ResetStatus


class UnlockConnectorRequest(WireModel):
    """CSMS → CP: unlock a connector (> 0)."""

    connector_id: int


class UnlockConnectorResponse(WireModel):
    status: UnlockStatus
