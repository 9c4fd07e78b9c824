"""Every OCPP 1.6 action name (with the security whitepaper's) and who may send it."""

from __future__ import annotations

import enum

__all__ = ["CENTRAL_SYSTEM_ACTIONS", "CHARGE_POINT_ACTIONS", "Action"]


class Action(enum.StrEnum):
    """The action of a CALL, exactly as on the wire (case-sensitive)."""

    # Core
    AUTHORIZE = "Authorize"
    BOOT_NOTIFICATION = "BootNotification"
    CHANGE_AVAILABILITY = "ChangeAvailability"
    CHANGE_CONFIGURATION = "ChangeConfiguration"
    CLEAR_CACHE = "ClearCache"
    DATA_TRANSFER = "DataTransfer"
    GET_CONFIGURATION = "GetConfiguration"
    HEARTBEAT = "Heartbeat"
    METER_VALUES = "MeterValues"
    REMOTE_START_TRANSACTION = "RemoteStartTransaction"
    REMOTE_STOP_TRANSACTION = "RemoteStopTransaction"
    RESET = "Reset"
    START_TRANSACTION = "StartTransaction"
    STATUS_NOTIFICATION = "StatusNotification"
    STOP_TRANSACTION = "StopTransaction"
    UNLOCK_CONNECTOR = "UnlockConnector"
    # Firmware Management
    DIAGNOSTICS_STATUS_NOTIFICATION = "DiagnosticsStatusNotification"
    FIRMWARE_STATUS_NOTIFICATION = "FirmwareStatusNotification"
    GET_DIAGNOSTICS = "GetDiagnostics"
    UPDATE_FIRMWARE = "UpdateFirmware"
    # Local Authorization List Management
    GET_LOCAL_LIST_VERSION = "GetLocalListVersion"
    SEND_LOCAL_LIST = "SendLocalList"
    # Reservation
    CANCEL_RESERVATION = "CancelReservation"
    RESERVE_NOW = "ReserveNow"
    # Smart Charging
    CLEAR_CHARGING_PROFILE = "ClearChargingProfile"
    GET_COMPOSITE_SCHEDULE = "GetCompositeSchedule"
    SET_CHARGING_PROFILE = "SetChargingProfile"
    # Remote Trigger
    TRIGGER_MESSAGE = "TriggerMessage"
    # Security whitepaper, edition 2
    CERTIFICATE_SIGNED = "CertificateSigned"
    DELETE_CERTIFICATE = "DeleteCertificate"
    EXTENDED_TRIGGER_MESSAGE = "ExtendedTriggerMessage"
    GET_INSTALLED_CERTIFICATE_IDS = "GetInstalledCertificateIds"
    GET_LOG = "GetLog"
    INSTALL_CERTIFICATE = "InstallCertificate"
    LOG_STATUS_NOTIFICATION = "LogStatusNotification"
    SECURITY_EVENT_NOTIFICATION = "SecurityEventNotification"
    SIGN_CERTIFICATE = "SignCertificate"
    SIGNED_FIRMWARE_STATUS_NOTIFICATION = "SignedFirmwareStatusNotification"
    SIGNED_UPDATE_FIRMWARE = "SignedUpdateFirmware"


CHARGE_POINT_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.AUTHORIZE,
        Action.BOOT_NOTIFICATION,
        Action.DATA_TRANSFER,
        Action.HEARTBEAT,
        Action.METER_VALUES,
        Action.START_TRANSACTION,
        Action.STATUS_NOTIFICATION,
        Action.STOP_TRANSACTION,
        Action.DIAGNOSTICS_STATUS_NOTIFICATION,
        Action.FIRMWARE_STATUS_NOTIFICATION,
        Action.LOG_STATUS_NOTIFICATION,
        Action.SECURITY_EVENT_NOTIFICATION,
        Action.SIGN_CERTIFICATE,
        Action.SIGNED_FIRMWARE_STATUS_NOTIFICATION,
    }
)
"""Actions a charge point sends to us (CP → CSMS)."""

CENTRAL_SYSTEM_ACTIONS: frozenset[Action] = frozenset(
    {Action.DATA_TRANSFER} | (set(Action) - CHARGE_POINT_ACTIONS)
)
"""Actions we send to a charge point (CSMS → CP). DataTransfer is in both sets."""
