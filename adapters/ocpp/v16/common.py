"""Shared OCPP 1.6 wire types: the model base, CiStrings, Decimal rates, enums and nested types.

Every model validates in pydantic-core only (no Python validators): this runs on every frame.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, StringConstraints
from pydantic.alias_generators import to_camel
from pydantic_core import core_schema

__all__ = [
    "AuthorizationStatus",
    "ChargingProfile",
    "ChargingProfileKindType",
    "ChargingProfilePurposeType",
    "ChargingRate",
    "ChargingRateUnitType",
    "ChargingSchedule",
    "ChargingSchedulePeriod",
    "CiString20",
    "CiString25",
    "CiString50",
    "CiString255",
    "CiString500",
    "IdTagInfo",
    "IdToken",
    "JsonDecimal",
    "Location",
    "Measurand",
    "MeterValue",
    "Phase",
    "ReadingContext",
    "RecurrencyKindType",
    "SampledValue",
    "TransactionData",
    "UnitOfMeasure",
    "ValueFormat",
    "WireEnum",
    "WireModel",
    "dump",
]


class WireModel(BaseModel):
    """Base of every OCPP 1.6 payload: snake_case in Python, the exact camelCase on the wire.

    `strict=True` makes a JSON string `"1"` fail for an integer; `extra="forbid"` mirrors the
    2019-12 schemas' `additionalProperties: false`. Parse wire payloads with
    `model_validate(payload, by_name=False)` (see `registry.load`) so that snake_case keys sent
    by a charge point count as unknown properties.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


def dump(model: WireModel) -> dict[str, Any]:
    """Return the JSON-ready payload of a model: wire names, optional fields omitted (T19).

    Args:
        model: any request or response model.

    Returns:
        A dict of JSON types (str, int, float, bool, list, dict) ready for orjson.
    """
    if not type(model).model_fields:  # the many empty answers, e.g. MeterValues'
        return {}
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


class WireEnum(enum.StrEnum):
    """A StrEnum that pydantic matches by value even though the models are strict.

    In strict mode pydantic accepts only enum *instances* from Python input; a payload parsed
    from JSON holds plain strings, so the enum schema itself is made lax (still exact values).
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] == "enum":
            cast("core_schema.EnumSchema", schema)["strict"] = False
        return schema


def _decimal_to_json(value: Decimal) -> int | float:
    # orjson cannot write Decimal; float(Decimal("21.4")) prints as 21.4 (shortest repr).
    return int(value) if value == value.to_integral_value() else float(value)


class JsonDecimal:
    """Annotation for a JSON number read as an exact Decimal (T9: `multipleOf 0.1` and floats).

    Accepts int, float and Decimal (never str or bool), checks `multiple_of` exactly on the
    Decimal, and dumps as a JSON number (int when integral, else the shortest float).
    """

    __slots__ = ("multiple_of",)

    def __init__(self, multiple_of: Decimal) -> None:
        self.multiple_of = multiple_of

    def __repr__(self) -> str:
        return f"JsonDecimal(multiple_of={self.multiple_of!r})"

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        json_number = core_schema.union_schema(
            [
                core_schema.int_schema(strict=True),
                core_schema.float_schema(strict=True),
                core_schema.is_instance_schema(Decimal),
            ],
            custom_error_type="json_number_type",
            custom_error_message="Input should be a JSON number",
        )
        return core_schema.chain_schema(
            [
                json_number,
                core_schema.decimal_schema(
                    strict=False, allow_inf_nan=False, multiple_of=self.multiple_of
                ),
            ],
            serialization=core_schema.plain_serializer_function_ser_schema(
                _decimal_to_json, when_used="json"
            ),
        )


CiString20 = Annotated[str, StringConstraints(max_length=20)]
CiString25 = Annotated[str, StringConstraints(max_length=25)]
CiString50 = Annotated[str, StringConstraints(max_length=50)]
CiString255 = Annotated[str, StringConstraints(max_length=255)]
CiString500 = Annotated[str, StringConstraints(max_length=500)]
# IdToken is CiString20 and case-insensitive (S2 §3.73): comparing is the domain's job.
IdToken = CiString20
# Charging rate limits: "decimal with at most one fraction digit" (schema multipleOf 0.1).
ChargingRate = Annotated[Decimal, JsonDecimal(multiple_of=Decimal("0.1"))]


class AuthorizationStatus(WireEnum):
    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"
    CONCURRENT_TX = "ConcurrentTx"


class ReadingContext(WireEnum):
    INTERRUPTION_BEGIN = "Interruption.Begin"
    INTERRUPTION_END = "Interruption.End"
    SAMPLE_CLOCK = "Sample.Clock"
    SAMPLE_PERIODIC = "Sample.Periodic"
    TRANSACTION_BEGIN = "Transaction.Begin"
    TRANSACTION_END = "Transaction.End"
    TRIGGER = "Trigger"
    OTHER = "Other"


class ValueFormat(WireEnum):
    RAW = "Raw"
    SIGNED_DATA = "SignedData"


class Measurand(WireEnum):
    ENERGY_ACTIVE_EXPORT_REGISTER = "Energy.Active.Export.Register"
    ENERGY_ACTIVE_IMPORT_REGISTER = "Energy.Active.Import.Register"
    ENERGY_REACTIVE_EXPORT_REGISTER = "Energy.Reactive.Export.Register"
    ENERGY_REACTIVE_IMPORT_REGISTER = "Energy.Reactive.Import.Register"
    ENERGY_ACTIVE_EXPORT_INTERVAL = "Energy.Active.Export.Interval"
    ENERGY_ACTIVE_IMPORT_INTERVAL = "Energy.Active.Import.Interval"
    ENERGY_REACTIVE_EXPORT_INTERVAL = "Energy.Reactive.Export.Interval"
    ENERGY_REACTIVE_IMPORT_INTERVAL = "Energy.Reactive.Import.Interval"
    POWER_ACTIVE_EXPORT = "Power.Active.Export"
    POWER_ACTIVE_IMPORT = "Power.Active.Import"
    POWER_OFFERED = "Power.Offered"
    POWER_REACTIVE_EXPORT = "Power.Reactive.Export"
    POWER_REACTIVE_IMPORT = "Power.Reactive.Import"
    POWER_FACTOR = "Power.Factor"
    CURRENT_IMPORT = "Current.Import"
    CURRENT_EXPORT = "Current.Export"
    CURRENT_OFFERED = "Current.Offered"
    VOLTAGE = "Voltage"
    FREQUENCY = "Frequency"
    TEMPERATURE = "Temperature"
    SOC = "SoC"
    RPM = "RPM"


class Phase(WireEnum):
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    N = "N"
    L1_N = "L1-N"
    L2_N = "L2-N"
    L3_N = "L3-N"
    L1_L2 = "L1-L2"
    L2_L3 = "L2-L3"
    L3_L1 = "L3-L1"


class Location(WireEnum):
    CABLE = "Cable"
    EV = "EV"
    INLET = "Inlet"
    OUTLET = "Outlet"
    BODY = "Body"


class UnitOfMeasure(WireEnum):
    """The 1.6 units. The published schema spells Celsius "Celcius"; S4 §2.1 says accept both."""

    WH = "Wh"
    KWH = "kWh"
    VARH = "varh"
    KVARH = "kvarh"
    W = "W"
    KW = "kW"
    VA = "VA"
    KVA = "kVA"
    VAR = "var"
    KVAR = "kvar"
    A = "A"
    V = "V"
    K = "K"
    CELCIUS = "Celcius"  # sic: the 1.6 JSON schema's spelling (S4 §2.1)
    CELSIUS = "Celsius"  # the spelling of the specification text, also accepted
    FAHRENHEIT = "Fahrenheit"
    PERCENT = "Percent"


class ChargingProfilePurposeType(WireEnum):
    CHARGE_POINT_MAX_PROFILE = "ChargePointMaxProfile"
    TX_DEFAULT_PROFILE = "TxDefaultProfile"
    TX_PROFILE = "TxProfile"


class ChargingProfileKindType(WireEnum):
    ABSOLUTE = "Absolute"
    RECURRING = "Recurring"
    RELATIVE = "Relative"


class RecurrencyKindType(WireEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"


class ChargingRateUnitType(WireEnum):
    A = "A"
    W = "W"


class IdTagInfo(WireModel):
    """Authorization answer for an idTag (Authorize, StartTransaction, StopTransaction, lists)."""

    status: AuthorizationStatus
    expiry_date: str | None = None
    parent_id_tag: IdToken | None = None


class SampledValue(WireModel):
    """One reading. Absent fields default (S1 §7.45) to an active import energy register in Wh."""

    value: str
    context: ReadingContext | None = None
    format: ValueFormat | None = None
    measurand: Measurand | None = None
    phase: Phase | None = None
    location: Location | None = None
    unit: UnitOfMeasure | None = None


class MeterValue(WireModel):
    """MeterValues.meterValue[]: readings taken at one moment (at least one)."""

    timestamp: str
    sampled_value: Annotated[list[SampledValue], Field(min_length=1)]


class TransactionData(WireModel):
    """StopTransaction.transactionData[]: a MeterValue whose schema sets no minItems."""

    timestamp: str
    sampled_value: list[SampledValue]


class ChargingSchedulePeriod(WireModel):
    start_period: int
    limit: ChargingRate
    number_phases: int | None = None


class ChargingSchedule(WireModel):
    # The schema sets no minItems on chargingSchedulePeriod although S1 §7.13 says 1..*.
    duration: int | None = None
    start_schedule: str | None = None
    charging_rate_unit: ChargingRateUnitType
    charging_schedule_period: list[ChargingSchedulePeriod]
    min_charging_rate: ChargingRate | None = None


class ChargingProfile(WireModel):
    """SetChargingProfile.csChargingProfiles and RemoteStartTransaction.chargingProfile."""

    charging_profile_id: int
    transaction_id: int | None = None
    stack_level: int
    charging_profile_purpose: ChargingProfilePurposeType
    charging_profile_kind: ChargingProfileKindType
    recurrency_kind: RecurrencyKindType | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    charging_schedule: ChargingSchedule
