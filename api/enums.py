"""The domain's OCPP enumerations as GraphQL enums: UPPER_SNAKE_CASE names of the OCPP values
(`SuspendedEVSE` is `SUSPENDED_EVSE`, `L1-N` is `L1_N`).

Each name here is the domain enum itself (a type alias, so usable in annotations), registered
with strawberry: resolvers return domain members and arguments arrive as domain members.
"""

from __future__ import annotations

import strawberry

from domain import vocabulary

AvailabilityType = vocabulary.AvailabilityType
AuthorizationStatus = vocabulary.AuthorizationStatus
ChargePointErrorCode = vocabulary.ChargePointErrorCode
ChargePointStatus = vocabulary.ConnectorStatus
Location = vocabulary.Location
Measurand = vocabulary.Measurand
Phase = vocabulary.Phase
ReadingContext = vocabulary.ReadingContext
RegistrationStatus = vocabulary.RegistrationStatus
StopReason = vocabulary.StopReason
UnitOfMeasure = vocabulary.UnitOfMeasure
ValueFormat = vocabulary.ValueFormat

strawberry.enum(AvailabilityType, description="What ChangeAvailability set a connector to.")
strawberry.enum(AuthorizationStatus, description="The status of an id tag (OCPP IdTagInfo).")
strawberry.enum(ChargePointErrorCode, description="The errorCode of a StatusNotification.")
strawberry.enum(
    ChargePointStatus, name="ChargePointStatus", description="The status of a StatusNotification."
)
strawberry.enum(Location, description="Where a value was measured.")
strawberry.enum(Measurand, description="What a sampled value measures.")
strawberry.enum(Phase, description="The phase a sampled value is about.")
strawberry.enum(ReadingContext, description="Why a sampled value was taken.")
strawberry.enum(RegistrationStatus, description="What BootNotification answers the charge point.")
strawberry.enum(StopReason, description="The reason of a StopTransaction.")
strawberry.enum(UnitOfMeasure, description="The unit of a sampled value.")
strawberry.enum(ValueFormat, description="Raw, or SignedData (the value is then not a number).")

__all__ = [
    "AuthorizationStatus",
    "AvailabilityType",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "Location",
    "Measurand",
    "Phase",
    "ReadingContext",
    "RegistrationStatus",
    "StopReason",
    "UnitOfMeasure",
    "ValueFormat",
]
