"""One mutation per CSMS-initiated Core action, named as the action, taking `chargePointId`
plus the OCPP request fields and returning the OCPP response fields.

Permissive by design (OCPP16.md T18): arguments are checked against the OCPP schema only, so an
operator can send an unknown connector or an invalid configuration value; optional fields left
out are omitted from the CALL, never sent as null (T19).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from pydantic import ValidationError
from strawberry.types import Info

from adapters.ocpp import v16
from adapters.ocpp.outbound import GatewayError
from api.context import Context
from api.enums import AvailabilityType
from api.errors import bad_input, to_graphql_error
from domain.errors import DomainError

ResetType = strawberry.enum(v16.ResetType, name="ResetType")
RemoteStartStopStatus = strawberry.enum(v16.RemoteStartStopStatus, name="RemoteStartStopStatus")
ResetStatus = strawberry.enum(v16.ResetStatus, name="ResetStatus")
UnlockStatus = strawberry.enum(v16.UnlockStatus, name="UnlockStatus")
AvailabilityStatus = strawberry.enum(v16.AvailabilityStatus, name="AvailabilityStatus")
ConfigurationStatus = strawberry.enum(v16.ConfigurationStatus, name="ConfigurationStatus")
ClearCacheStatus = strawberry.enum(v16.ClearCacheStatus, name="ClearCacheStatus")
DataTransferStatus = strawberry.enum(v16.DataTransferStatus, name="DataTransferStatus")
ChargingProfilePurposeType = strawberry.enum(
    v16.ChargingProfilePurposeType, name="ChargingProfilePurposeType"
)
ChargingProfileKindType = strawberry.enum(
    v16.ChargingProfileKindType, name="ChargingProfileKindType"
)
RecurrencyKindType = strawberry.enum(v16.RecurrencyKindType, name="RecurrencyKindType")
ChargingRateUnitType = strawberry.enum(v16.ChargingRateUnitType, name="ChargingRateUnitType")

# Actions whose answers change what queries show: wait for the read models before returning.
CHANGES_READ_MODELS = frozenset(
    {v16.Action.CHANGE_AVAILABILITY, v16.Action.GET_CONFIGURATION, v16.Action.CHANGE_CONFIGURATION}
)


@strawberry.input
class ChargingSchedulePeriodInput:
    start_period: int
    limit: float
    number_phases: int | None = None


@strawberry.input
class ChargingScheduleInput:
    charging_rate_unit: ChargingRateUnitType  # type: ignore[valid-type]
    charging_schedule_period: list[ChargingSchedulePeriodInput]
    duration: int | None = None
    start_schedule: datetime | None = None
    min_charging_rate: float | None = None


@strawberry.input
class ChargingProfileInput:
    charging_profile_id: int
    stack_level: int
    charging_profile_purpose: ChargingProfilePurposeType  # type: ignore[valid-type]
    charging_profile_kind: ChargingProfileKindType  # type: ignore[valid-type]
    charging_schedule: ChargingScheduleInput
    transaction_id: int | None = None
    recurrency_kind: RecurrencyKindType | None = None  # type: ignore[valid-type]
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@strawberry.type
class RemoteStartTransactionResponse:
    status: RemoteStartStopStatus  # type: ignore[valid-type]


@strawberry.type
class RemoteStopTransactionResponse:
    status: RemoteStartStopStatus  # type: ignore[valid-type]


@strawberry.type
class ResetResponse:
    status: ResetStatus  # type: ignore[valid-type]


@strawberry.type
class UnlockConnectorResponse:
    status: UnlockStatus  # type: ignore[valid-type]


@strawberry.type
class ChangeAvailabilityResponse:
    status: AvailabilityStatus  # type: ignore[valid-type]


@strawberry.type
class ChangeConfigurationResponse:
    status: ConfigurationStatus  # type: ignore[valid-type]


@strawberry.type
class ReportedConfigurationKey:
    key: str
    readonly: bool
    value: str | None


@strawberry.type
class GetConfigurationResponse:
    configuration_key: list[ReportedConfigurationKey] | None
    unknown_key: list[str] | None


@strawberry.type
class ClearCacheResponse:
    status: ClearCacheStatus  # type: ignore[valid-type]


@strawberry.type
class DataTransferResponse:
    status: DataTransferStatus  # type: ignore[valid-type]
    data: str | None


def _omit_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else v16.format_timestamp(moment)


def _rate(value: float | None) -> Decimal | None:
    # Through str, so that 21.4 stays 21.4 and passes multipleOf 0.1 (T9).
    return None if value is None else Decimal(str(value))


def profile_wire(profile: ChargingProfileInput) -> dict[str, Any]:
    schedule = profile.charging_schedule
    return _omit_none(
        {
            "chargingProfileId": profile.charging_profile_id,
            "transactionId": profile.transaction_id,
            "stackLevel": profile.stack_level,
            "chargingProfilePurpose": profile.charging_profile_purpose,
            "chargingProfileKind": profile.charging_profile_kind,
            "recurrencyKind": profile.recurrency_kind,
            "validFrom": _time(profile.valid_from),
            "validTo": _time(profile.valid_to),
            "chargingSchedule": _omit_none(
                {
                    "duration": schedule.duration,
                    "startSchedule": _time(schedule.start_schedule),
                    "chargingRateUnit": schedule.charging_rate_unit,
                    "chargingSchedulePeriod": [
                        _omit_none(
                            {
                                "startPeriod": period.start_period,
                                "limit": _rate(period.limit),
                                "numberPhases": period.number_phases,
                            }
                        )
                        for period in schedule.charging_schedule_period
                    ],
                    "minChargingRate": _rate(schedule.min_charging_rate),
                }
            ),
        }
    )


async def send(
    info: Info[Context, None], charge_point_id: str, action: v16.Action, fields: dict[str, Any]
) -> dict[str, Any]:
    """Send one call through the write side and map every failure to a GraphQL error once."""
    context = info.context
    operations = context.operations
    if operations is None:
        msg = "this API process is read-only"
        raise to_graphql_error(GatewayError(charge_point_id, action.value, msg))
    try:
        response, position = await operations.command(
            charge_point_id, action.value, _omit_none(fields), context.requested_by
        )
    except ValidationError as error:
        location = error.errors()[0]["loc"] if error.errors() else ()
        field = ".".join(str(part) for part in location) or "input"
        raise bad_input(field, v16.describe(error)) from None
    except (GatewayError, DomainError) as error:
        raise to_graphql_error(error) from None
    if action in CHANGES_READ_MODELS:
        await operations.wait_until_projected(position)
    return response


@strawberry.type
class CommandMutations:
    @strawberry.mutation(description="RemoteStartTransaction: ask the charge point to start.")
    async def remote_start_transaction(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        id_tag: str,
        connector_id: int | None = None,
        charging_profile: ChargingProfileInput | None = None,
    ) -> RemoteStartTransactionResponse:
        fields = {
            "idTag": id_tag,
            "connectorId": connector_id,
            "chargingProfile": None if charging_profile is None else profile_wire(charging_profile),
        }
        answer = await send(info, charge_point_id, v16.Action.REMOTE_START_TRANSACTION, fields)
        return RemoteStartTransactionResponse(status=v16.RemoteStartStopStatus(answer["status"]))

    @strawberry.mutation(description="RemoteStopTransaction: ask the charge point to stop.")
    async def remote_stop_transaction(
        self, info: Info[Context, None], charge_point_id: strawberry.ID, transaction_id: int
    ) -> RemoteStopTransactionResponse:
        fields = {"transactionId": transaction_id}
        answer = await send(info, charge_point_id, v16.Action.REMOTE_STOP_TRANSACTION, fields)
        return RemoteStopTransactionResponse(status=v16.RemoteStartStopStatus(answer["status"]))

    @strawberry.mutation(description="Reset: a Soft or Hard reboot of the charge point.")
    async def reset(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        type: ResetType,  # type: ignore[valid-type]
    ) -> ResetResponse:
        answer = await send(info, charge_point_id, v16.Action.RESET, {"type": type})
        return ResetResponse(status=v16.ResetStatus(answer["status"]))

    @strawberry.mutation(description="UnlockConnector: any connectorId may be sent (TC_031).")
    async def unlock_connector(
        self, info: Info[Context, None], charge_point_id: strawberry.ID, connector_id: int
    ) -> UnlockConnectorResponse:
        fields = {"connectorId": connector_id}
        answer = await send(info, charge_point_id, v16.Action.UNLOCK_CONNECTOR, fields)
        return UnlockConnectorResponse(status=v16.UnlockStatus(answer["status"]))

    @strawberry.mutation(
        description="ChangeAvailability: connector 0 means the whole charge point."
    )
    async def change_availability(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        connector_id: int,
        type: AvailabilityType,  # type: ignore[valid-type]
    ) -> ChangeAvailabilityResponse:
        fields = {"connectorId": connector_id, "type": type.value}
        answer = await send(info, charge_point_id, v16.Action.CHANGE_AVAILABILITY, fields)
        return ChangeAvailabilityResponse(status=v16.AvailabilityStatus(answer["status"]))

    @strawberry.mutation(
        description="ChangeConfiguration: any key and value; AuthorizationKey (hex) rotates "
        "the Basic-auth password once the charge point answers Accepted."
    )
    async def change_configuration(
        self, info: Info[Context, None], charge_point_id: strawberry.ID, key: str, value: str
    ) -> ChangeConfigurationResponse:
        fields = {"key": key, "value": value}
        answer = await send(info, charge_point_id, v16.Action.CHANGE_CONFIGURATION, fields)
        return ChangeConfigurationResponse(status=v16.ConfigurationStatus(answer["status"]))

    @strawberry.mutation(description="GetConfiguration: no key (or an empty list) asks for all.")
    async def get_configuration(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        key: list[str] | None = None,
    ) -> GetConfigurationResponse:
        answer = await send(info, charge_point_id, v16.Action.GET_CONFIGURATION, {"key": key})
        keys = answer.get("configurationKey")
        return GetConfigurationResponse(
            configuration_key=None
            if keys is None
            else [
                ReportedConfigurationKey(key=k["key"], readonly=k["readonly"], value=k.get("value"))
                for k in keys
            ],
            unknown_key=answer.get("unknownKey"),
        )

    @strawberry.mutation(description="ClearCache: clear the charge point's authorization cache.")
    async def clear_cache(
        self, info: Info[Context, None], charge_point_id: strawberry.ID
    ) -> ClearCacheResponse:
        answer = await send(info, charge_point_id, v16.Action.CLEAR_CACHE, {})
        return ClearCacheResponse(status=v16.ClearCacheStatus(answer["status"]))

    @strawberry.mutation(description="DataTransfer: vendor-specific data to the charge point.")
    async def data_transfer(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        vendor_id: str,
        message_id: str | None = None,
        data: str | None = None,
    ) -> DataTransferResponse:
        fields = {"vendorId": vendor_id, "messageId": message_id, "data": data}
        answer = await send(info, charge_point_id, v16.Action.DATA_TRANSFER, fields)
        return DataTransferResponse(
            status=v16.DataTransferStatus(answer["status"]), data=answer.get("data")
        )
