"""Remote Trigger profile: ask the charge point to send one of its messages now."""

from __future__ import annotations

from .common import WireEnum, WireModel

__all__ = [
    "MessageTrigger",
    "TriggerMessageRequest",
    "TriggerMessageResponse",
    "TriggerMessageStatus",
]


class MessageTrigger(WireEnum):
    """Not Start/StopTransaction: they are transitions, not state."""

    BOOT_NOTIFICATION = "BootNotification"
    DIAGNOSTICS_STATUS_NOTIFICATION = "DiagnosticsStatusNotification"
    FIRMWARE_STATUS_NOTIFICATION = "FirmwareStatusNotification"
    HEARTBEAT = "Heartbeat"
    METER_VALUES = "MeterValues"
    STATUS_NOTIFICATION = "StatusNotification"


class TriggerMessageStatus(WireEnum):
    """Also the status of ExtendedTriggerMessage (security whitepaper)."""

    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    NOT_IMPLEMENTED = "NotImplemented"


class TriggerMessageRequest(WireModel):
    """CSMS → CP: send `requestedMessage` (for connectorId, when it matters)."""

    requested_message: MessageTrigger
    connector_id: int | None = None


class TriggerMessageResponse(WireModel):
    status: TriggerMessageStatus
