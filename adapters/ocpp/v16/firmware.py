"""Firmware Management profile: firmware updates and diagnostics uploads with their status."""

from __future__ import annotations

from .common import CiString255, WireEnum, WireModel

__all__ = [
    "DiagnosticsStatus",
    "DiagnosticsStatusNotificationRequest",
    "DiagnosticsStatusNotificationResponse",
    "FirmwareStatus",
    "FirmwareStatusNotificationRequest",
    "FirmwareStatusNotificationResponse",
    "GetDiagnosticsRequest",
    "GetDiagnosticsResponse",
    "UpdateFirmwareRequest",
    "UpdateFirmwareResponse",
]


class DiagnosticsStatus(WireEnum):
    """`Idle` only in answer to a TriggerMessage when no upload is going on."""

    IDLE = "Idle"
    UPLOADED = "Uploaded"
    UPLOAD_FAILED = "UploadFailed"
    UPLOADING = "Uploading"


class FirmwareStatus(WireEnum):
    """`Idle` only in answer to a TriggerMessage when no update is going on."""

    DOWNLOADED = "Downloaded"
    DOWNLOAD_FAILED = "DownloadFailed"
    DOWNLOADING = "Downloading"
    IDLE = "Idle"
    INSTALLATION_FAILED = "InstallationFailed"
    INSTALLING = "Installing"
    INSTALLED = "Installed"


class DiagnosticsStatusNotificationRequest(WireModel):
    """CP → CSMS: progress of a diagnostics upload."""

    status: DiagnosticsStatus


class DiagnosticsStatusNotificationResponse(WireModel):
    """Empty acknowledgement."""


class FirmwareStatusNotificationRequest(WireModel):
    """CP → CSMS: progress of a firmware update (the only signal there is, T23)."""

    status: FirmwareStatus


class FirmwareStatusNotificationResponse(WireModel):
    """Empty acknowledgement."""


class GetDiagnosticsRequest(WireModel):
    """CSMS → CP: upload diagnostics to `location` (an URI; the schema's format is not checked)."""

    location: str
    retries: int | None = None
    retry_interval: int | None = None
    start_time: str | None = None
    stop_time: str | None = None


class GetDiagnosticsResponse(WireModel):
    """`fileName` is absent when no diagnostics are available."""

    file_name: CiString255 | None = None


class UpdateFirmwareRequest(WireModel):
    """CSMS → CP: fetch firmware from `location` after `retrieveDate`; integers per S4 §2.4."""

    location: str
    retries: int | None = None
    retrieve_date: str
    retry_interval: int | None = None


class UpdateFirmwareResponse(WireModel):
    """Empty: progress arrives as FirmwareStatusNotification."""
