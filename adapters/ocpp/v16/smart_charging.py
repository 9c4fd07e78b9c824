"""Smart Charging profile: install, clear and read charging profiles (types in `common`)."""

from __future__ import annotations

from .common import (
    ChargingProfile,
    ChargingProfilePurposeType,
    ChargingRateUnitType,
    ChargingSchedule,
    WireEnum,
    WireModel,
)

__all__ = [
    "ChargingProfileStatus",
    "ClearChargingProfileRequest",
    "ClearChargingProfileResponse",
    "ClearChargingProfileStatus",
    "GetCompositeScheduleRequest",
    "GetCompositeScheduleResponse",
    "GetCompositeScheduleStatus",
    "SetChargingProfileRequest",
    "SetChargingProfileResponse",
]


class ChargingProfileStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    NOT_SUPPORTED = "NotSupported"


class ClearChargingProfileStatus(WireEnum):
    ACCEPTED = "Accepted"
    UNKNOWN = "Unknown"


class GetCompositeScheduleStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class SetChargingProfileRequest(WireModel):
    """CSMS → CP: install a profile on a connector (0 = the charge point / all connectors)."""

    connector_id: int
    cs_charging_profiles: ChargingProfile


class SetChargingProfileResponse(WireModel):
    status: ChargingProfileStatus


class ClearChargingProfileRequest(WireModel):
    """CSMS → CP: clear by id, or by all of the given criteria (AND); none = clear all."""

    id: int | None = None
    connector_id: int | None = None
    charging_profile_purpose: ChargingProfilePurposeType | None = None
    stack_level: int | None = None


class ClearChargingProfileResponse(WireModel):
    status: ClearChargingProfileStatus


class GetCompositeScheduleRequest(WireModel):
    """CSMS → CP: the schedule the charge point will follow for the next `duration` seconds."""

    connector_id: int
    duration: int
    charging_rate_unit: ChargingRateUnitType | None = None


class GetCompositeScheduleResponse(WireModel):
    """`scheduleStart` / `chargingSchedule` may be absent when Rejected."""

    status: GetCompositeScheduleStatus
    connector_id: int | None = None
    schedule_start: str | None = None
    charging_schedule: ChargingSchedule | None = None
