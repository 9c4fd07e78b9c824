"""Security whitepaper (edition 2) messages for 1.6-J: certificates, security events, signed
firmware and logs. Its schemas are draft-06 with `definitions`; the shapes are the same rules."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .common import CiString50, CiString255, WireEnum, WireModel
from .remote_trigger import TriggerMessageStatus

__all__ = [
    "CertificateHashData",
    "CertificateSignedRequest",
    "CertificateSignedResponse",
    "CertificateSignedStatus",
    "CertificateUse",
    "DeleteCertificateRequest",
    "DeleteCertificateResponse",
    "DeleteCertificateStatus",
    "ExtendedMessageTrigger",
    "ExtendedTriggerMessageRequest",
    "ExtendedTriggerMessageResponse",
    "Firmware",
    "GenericStatus",
    "GetInstalledCertificateIdsRequest",
    "GetInstalledCertificateIdsResponse",
    "GetInstalledCertificateStatus",
    "GetLogRequest",
    "GetLogResponse",
    "HashAlgorithm",
    "InstallCertificateRequest",
    "InstallCertificateResponse",
    "InstallCertificateStatus",
    "LogParameters",
    "LogStatus",
    "LogStatusNotificationRequest",
    "LogStatusNotificationResponse",
    "LogType",
    "SecurityEventNotificationRequest",
    "SecurityEventNotificationResponse",
    "SignCertificateRequest",
    "SignCertificateResponse",
    "SignedFirmwareStatus",
    "SignedFirmwareStatusNotificationRequest",
    "SignedFirmwareStatusNotificationResponse",
    "SignedUpdateFirmwareRequest",
    "SignedUpdateFirmwareResponse",
    "SignedUpdateFirmwareStatus",
    "UploadLogStatus",
]

# The whitepaper's plain (case-sensitive) string[n] types.
String40 = Annotated[str, StringConstraints(max_length=40)]
String128 = Annotated[str, StringConstraints(max_length=128)]
String512 = Annotated[str, StringConstraints(max_length=512)]
String800 = Annotated[str, StringConstraints(max_length=800)]
String5500 = Annotated[str, StringConstraints(max_length=5500)]
String10000 = Annotated[str, StringConstraints(max_length=10000)]


class GenericStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class CertificateSignedStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class HashAlgorithm(WireEnum):
    SHA256 = "SHA256"
    SHA384 = "SHA384"
    SHA512 = "SHA512"


class DeleteCertificateStatus(WireEnum):
    ACCEPTED = "Accepted"
    FAILED = "Failed"
    NOT_FOUND = "NotFound"


class ExtendedMessageTrigger(WireEnum):
    BOOT_NOTIFICATION = "BootNotification"
    LOG_STATUS_NOTIFICATION = "LogStatusNotification"
    FIRMWARE_STATUS_NOTIFICATION = "FirmwareStatusNotification"
    HEARTBEAT = "Heartbeat"
    METER_VALUES = "MeterValues"
    SIGN_CHARGE_POINT_CERTIFICATE = "SignChargePointCertificate"
    STATUS_NOTIFICATION = "StatusNotification"


class CertificateUse(WireEnum):
    CENTRAL_SYSTEM_ROOT_CERTIFICATE = "CentralSystemRootCertificate"
    MANUFACTURER_ROOT_CERTIFICATE = "ManufacturerRootCertificate"


class GetInstalledCertificateStatus(WireEnum):
    ACCEPTED = "Accepted"
    NOT_FOUND = "NotFound"


class InstallCertificateStatus(WireEnum):
    ACCEPTED = "Accepted"
    FAILED = "Failed"
    REJECTED = "Rejected"


class LogType(WireEnum):
    DIAGNOSTICS_LOG = "DiagnosticsLog"
    SECURITY_LOG = "SecurityLog"


class LogStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    ACCEPTED_CANCELED = "AcceptedCanceled"


class UploadLogStatus(WireEnum):
    BAD_MESSAGE = "BadMessage"
    IDLE = "Idle"
    NOT_SUPPORTED_OPERATION = "NotSupportedOperation"
    PERMISSION_DENIED = "PermissionDenied"
    UPLOADED = "Uploaded"
    UPLOAD_FAILURE = "UploadFailure"
    UPLOADING = "Uploading"


class SignedFirmwareStatus(WireEnum):
    DOWNLOADED = "Downloaded"
    DOWNLOAD_FAILED = "DownloadFailed"
    DOWNLOADING = "Downloading"
    DOWNLOAD_SCHEDULED = "DownloadScheduled"
    DOWNLOAD_PAUSED = "DownloadPaused"
    IDLE = "Idle"
    INSTALLATION_FAILED = "InstallationFailed"
    INSTALLING = "Installing"
    INSTALLED = "Installed"
    INSTALL_REBOOTING = "InstallRebooting"
    INSTALL_SCHEDULED = "InstallScheduled"
    INSTALL_VERIFICATION_FAILED = "InstallVerificationFailed"
    INVALID_SIGNATURE = "InvalidSignature"
    SIGNATURE_VERIFIED = "SignatureVerified"


class SignedUpdateFirmwareStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    ACCEPTED_CANCELED = "AcceptedCanceled"
    INVALID_CERTIFICATE = "InvalidCertificate"
    REVOKED_CERTIFICATE = "RevokedCertificate"


class CertificateHashData(WireModel):
    """RFC 6960 CertID: hashes of the issuer's DER name and public key, and the serial."""

    hash_algorithm: HashAlgorithm
    issuer_name_hash: String128
    issuer_key_hash: String128
    serial_number: String40


class LogParameters(WireModel):
    remote_location: String512
    oldest_timestamp: str | None = None
    latest_timestamp: str | None = None


class Firmware(WireModel):
    location: String512
    retrieve_date_time: str
    install_date_time: str | None = None
    signing_certificate: String5500
    signature: String800


class CertificateSignedRequest(WireModel):
    """CSMS → CP: the signed certificate (chain, PEM) answering a SignCertificate."""

    certificate_chain: String10000


class CertificateSignedResponse(WireModel):
    status: CertificateSignedStatus


class DeleteCertificateRequest(WireModel):
    """CSMS → CP: delete an installed root certificate."""

    certificate_hash_data: CertificateHashData


class DeleteCertificateResponse(WireModel):
    status: DeleteCertificateStatus


class ExtendedTriggerMessageRequest(WireModel):
    """CSMS → CP: TriggerMessage with the security messages added."""

    requested_message: ExtendedMessageTrigger
    connector_id: int | None = None


class ExtendedTriggerMessageResponse(WireModel):
    status: TriggerMessageStatus


class GetInstalledCertificateIdsRequest(WireModel):
    """CSMS → CP: list the installed root certificates of one kind."""

    certificate_type: CertificateUse


class GetInstalledCertificateIdsResponse(WireModel):
    certificate_hash_data: Annotated[list[CertificateHashData], Field(min_length=1)] | None = None
    status: GetInstalledCertificateStatus


class GetLogRequest(WireModel):
    """CSMS → CP: upload a diagnostics or security log."""

    log: LogParameters
    log_type: LogType
    request_id: int
    retries: int | None = None
    retry_interval: int | None = None


class GetLogResponse(WireModel):
    status: LogStatus
    filename: CiString255 | None = None


class InstallCertificateRequest(WireModel):
    """CSMS → CP: install a root certificate (PEM)."""

    certificate_type: CertificateUse
    certificate: String5500


class InstallCertificateResponse(WireModel):
    status: InstallCertificateStatus


class LogStatusNotificationRequest(WireModel):
    """CP → CSMS: progress of a GetLog upload."""

    status: UploadLogStatus
    request_id: int | None = None


class LogStatusNotificationResponse(WireModel):
    """Empty acknowledgement."""


class SecurityEventNotificationRequest(WireModel):
    """CP → CSMS: a security event; `type` is an open list, store any string."""

    type: CiString50
    timestamp: str
    tech_info: CiString255 | None = None


class SecurityEventNotificationResponse(WireModel):
    """Empty acknowledgement (the CSMS SHALL confirm, A04.FR.03)."""


class SignCertificateRequest(WireModel):
    """CP → CSMS: please have this CSR (PEM PKCS#10) signed."""

    csr: String5500


class SignCertificateResponse(WireModel):
    status: GenericStatus


class SignedFirmwareStatusNotificationRequest(WireModel):
    """CP → CSMS: progress of a SignedUpdateFirmware."""

    status: SignedFirmwareStatus
    request_id: int | None = None


class SignedFirmwareStatusNotificationResponse(WireModel):
    """Empty acknowledgement."""


class SignedUpdateFirmwareRequest(WireModel):
    """CSMS → CP: install signed firmware; include the signing certificate (L01.FR.11)."""

    retries: int | None = None
    retry_interval: int | None = None
    request_id: int
    firmware: Firmware


class SignedUpdateFirmwareResponse(WireModel):
    status: SignedUpdateFirmwareStatus
