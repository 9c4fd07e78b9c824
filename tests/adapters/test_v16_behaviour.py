"""Behaviour of the OCPP 1.6 wire models on realistic payloads, and the CALLERROR mapping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest
from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from adapters.ocpp import v16
from tests.support.schemas import assert_valid_against_schema

T = "2026-12-01T12:00:00Z"

REALISTIC: list[tuple[str, bool, dict[str, Any]]] = [
    (
        "BootNotification",
        False,
        {
            "chargePointVendor": "Alfen BV",
            "chargePointModel": "NG920-61001",
            "chargePointSerialNumber": "ace0753999",
            "firmwareVersion": "4.13.0-3187",
            "iccid": "",
            "imsi": "",
            "meterType": "Eastron SDM630",
        },
    ),
    ("BootNotification", True, {"status": "Accepted", "currentTime": T, "interval": 300}),
    ("Heartbeat", False, {}),
    ("Authorize", True, {"idTagInfo": {"status": "Accepted", "parentIdTag": "FLEET-1"}}),
    (
        "StartTransaction",
        False,
        {"connectorId": 1, "idTag": "04A2B3C4D5E6F7", "meterStart": 120345, "timestamp": T},
    ),
    (
        "StartTransaction",
        True,
        {"idTagInfo": {"status": "ConcurrentTx"}, "transactionId": 2147483647},
    ),
    (
        "MeterValues",
        False,
        {
            "connectorId": 1,
            "transactionId": 17,
            "meterValue": [
                {
                    "timestamp": "2026-12-01T12:15:00.123+01:00",
                    "sampledValue": [
                        {"value": "123456", "context": "Sample.Periodic", "unit": "Wh"},
                        {"value": "15.9", "measurand": "Current.Import", "phase": "L1"},
                        {"value": "31", "measurand": "Temperature", "unit": "Celsius"},
                        {"value": "32", "measurand": "Temperature", "unit": "Celcius"},
                        {"value": "80", "measurand": "SoC", "location": "EV", "unit": "Percent"},
                    ],
                }
            ],
        },
    ),
    (
        "StopTransaction",
        False,
        {
            "transactionId": -1,
            "meterStop": 130000,
            "timestamp": T,
            "transactionData": [
                {
                    "timestamp": T,
                    "sampledValue": [{"value": "130000", "context": "Transaction.End"}],
                }
            ],
        },
    ),
    ("StopTransaction", True, {}),
    (
        "StatusNotification",
        False,
        {"connectorId": 0, "errorCode": "NoError", "status": "SuspendedEVSE", "timestamp": T},
    ),
    (
        "RemoteStartTransaction",
        False,
        {
            "connectorId": 1,
            "idTag": "04A2B3C4D5E6F7",
            "chargingProfile": {
                "chargingProfileId": 1,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.4}],
                },
            },
        },
    ),
    (
        "SetChargingProfile",
        False,
        {
            "connectorId": 0,
            "csChargingProfiles": {
                "chargingProfileId": 7,
                "stackLevel": 1,
                "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Recurring",
                "recurrencyKind": "Daily",
                "chargingSchedule": {
                    "duration": 86400,
                    "startSchedule": "2026-12-01T00:00:00Z",
                    "chargingRateUnit": "W",
                    "chargingSchedulePeriod": [
                        {"startPeriod": 0, "limit": 11000, "numberPhases": 3},
                        {"startPeriod": 28800, "limit": 7400.5},
                    ],
                    "minChargingRate": 1380.0,
                },
            },
        },
    ),
    (
        "GetConfiguration",
        True,
        {
            "configurationKey": [
                {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
                {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
                {"key": "AuthorizationKey", "readonly": False},
            ],
            "unknownKey": ["FooBar"],
        },
    ),
    (
        "SendLocalList",
        False,
        {
            "listVersion": 3,
            "updateType": "Differential",
            "localAuthorizationList": [
                {"idTag": "A1", "idTagInfo": {"status": "Blocked"}},
                {"idTag": "B2"},
            ],
        },
    ),
    ("ClearChargingProfile", False, {}),
    ("TriggerMessage", False, {"requestedMessage": "StatusNotification", "connectorId": 1}),
    (
        "GetInstalledCertificateIds",
        True,
        {
            "status": "Accepted",
            "certificateHashData": [
                {
                    "hashAlgorithm": "SHA256",
                    "issuerNameHash": "a" * 64,
                    "issuerKeyHash": "b" * 64,
                    "serialNumber": "0123456789abcdef",
                }
            ],
        },
    ),
    (
        "SecurityEventNotification",
        False,
        {"type": "StartupOfTheDevice", "timestamp": T, "techInfo": "cold boot"},
    ),
]


def _model(action: str, response: bool) -> type[v16.WireModel]:
    return (v16.RESPONSE_MODELS if response else v16.REQUEST_MODELS)[v16.Action(action)]


@pytest.mark.parametrize(
    ("action", "response", "payload"),
    REALISTIC,
    ids=[f"{a}{'Response' if r else ''}-{i}" for i, (a, r, _) in enumerate(REALISTIC)],
)
def test_realistic_payload_round_trips(
    action: str, response: bool, payload: dict[str, Any]
) -> None:
    """A payload as chargers and we send it validates and dumps back to the same JSON."""
    assert_valid_against_schema(action, payload, response)
    model = v16.load(_model(action, response), payload)
    assert v16.dump(model) == payload
    assert orjson.loads(orjson.dumps(v16.dump(model))) == payload


def test_integers_are_strict() -> None:
    """A JSON string, float or boolean for an integer field is a TypeConstraintViolation."""
    base = {"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": T}
    for wrong in ("1", 1.0, 1.5, True, None):
        with pytest.raises(ValidationError) as caught:
            v16.load(v16.StartTransactionRequest, {**base, "meterStart": wrong})
        assert v16.error_code_for(caught.value) == "TypeConstraintViolation", wrong


def test_integers_are_unbounded_python_ints() -> None:
    """Out-of-int32 ids (Alfen's 2**63-1, T2) are read, so the CSMS can answer and flag them."""
    payload = {"connectorId": 1, "transactionId": 2**63 - 1, "meterValue": []}
    payload["meterValue"] = [{"timestamp": T, "sampledValue": [{"value": "1"}]}]
    assert v16.load(v16.MeterValuesRequest, payload).transaction_id == 2**63 - 1


def test_optional_fields_are_omitted_not_null() -> None:
    """Optional fields left unset, or set to None, do not appear in the dump (T19)."""
    response = v16.StartTransactionResponse(
        transaction_id=5,
        id_tag_info=v16.IdTagInfo(status=v16.AuthorizationStatus.ACCEPTED, expiry_date=None),
    )
    assert v16.dump(response) == {"idTagInfo": {"status": "Accepted"}, "transactionId": 5}
    assert v16.dump(v16.ClearChargingProfileRequest(id=None, connector_id=1)) == {"connectorId": 1}
    assert v16.dump(v16.StopTransactionResponse()) == {}


def test_null_for_an_optional_field_reads_as_absent() -> None:
    """A documented tolerance: `"reason": null` is read as no reason (we never send null)."""
    payload = {"transactionId": 1, "meterStop": 10, "timestamp": T, "reason": None}
    assert v16.load(v16.StopTransactionRequest, payload).reason is None


def test_celsius_and_celcius_are_both_accepted() -> None:
    """The schema's "Celcius" and the text's "Celsius" are both units (S4 §2.1)."""
    for unit in ("Celsius", "Celcius"):
        value = v16.load(v16.SampledValue, {"value": "21", "unit": unit})
        assert value.unit == unit
        assert v16.dump(value) == {"value": "21", "unit": unit}


def test_enums_match_exact_values_only() -> None:
    """Enum values are exact and case-sensitive; members compare equal to their wire strings."""
    assert [str(v16.ChargePointStatus.SUSPENDED_EVSE), str(v16.Measurand.SOC)] == [
        "SuspendedEVSE",
        "SoC",
    ]
    assert isinstance(v16.Phase.L1_N, str)
    assert v16.Phase("L1-N") is v16.Phase.L1_N
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.ResetRequest, {"type": "hard"})
    assert v16.error_code_for(caught.value) == "PropertyConstraintViolation"


def test_charging_rates_are_exact_decimals_dumped_as_json_numbers() -> None:
    """limit/minChargingRate read floats exactly as Decimal and dump without float noise (T9)."""
    period = v16.load(v16.ChargingSchedulePeriod, {"startPeriod": 0, "limit": 21.4})
    assert period.limit == Decimal("21.4")
    assert orjson.dumps(v16.dump(period)) == b'{"startPeriod":0,"limit":21.4}'
    built = v16.ChargingSchedulePeriod(start_period=0, limit=Decimal("7.30"))
    assert orjson.dumps(v16.dump(built)) == b'{"startPeriod":0,"limit":7.3}'
    whole = v16.ChargingSchedulePeriod(start_period=0, limit=Decimal("16.0"))
    assert orjson.dumps(v16.dump(whole)) == b'{"startPeriod":0,"limit":16}'
    assert_valid_against_schema(
        "SetChargingProfile",
        {
            "connectorId": 1,
            "csChargingProfiles": {
                "chargingProfileId": 1,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [v16.dump(period), v16.dump(built)],
                    "minChargingRate": v16.dump(built)["limit"],
                },
            },
        },
        False,
    )


def test_charging_rates_reject_strings_and_extra_precision() -> None:
    """ "21.4" is the wrong JSON type; 21.45 is no multiple of 0.1; NaN is no number."""
    codes = {}
    for wrong in ("21.4", 21.45, True, float("nan")):
        with pytest.raises(ValidationError) as caught:
            v16.load(v16.ChargingSchedulePeriod, {"startPeriod": 0, "limit": wrong})
        codes[repr(wrong)] = v16.error_code_for(caught.value)
    assert codes == {
        "'21.4'": "TypeConstraintViolation",
        "21.45": "PropertyConstraintViolation",
        "True": "TypeConstraintViolation",
        "nan": "PropertyConstraintViolation",
    }


def test_snake_case_keys_are_unknown_properties_on_the_wire() -> None:
    """`load` reads only OCPP names; Python code still builds models by attribute name."""
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.AuthorizeRequest, {"id_tag": "ABC"})
    assert v16.error_code_for(caught.value) == "FormationViolation"
    assert v16.AuthorizeRequest(id_tag="ABC") == v16.load(v16.AuthorizeRequest, {"idTag": "ABC"})


def test_models_are_frozen() -> None:
    """A parsed payload cannot be changed afterwards."""
    model = v16.load(v16.AuthorizeRequest, {"idTag": "ABC"})
    with pytest.raises(ValidationError):
        model.id_tag = "XYZ"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": T, "x": 1}, "Formation"),
        ({"idTag": "A", "meterStart": "0", "timestamp": T}, "ProtocolError"),
        ({"connectorId": "1", "idTag": "A" * 21, "meterStart": 0, "timestamp": T}, "Type"),
        ({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": 5}, "Type"),
    ],
)
def test_the_most_severe_error_decides_the_code(payload: dict[str, Any], code: str) -> None:
    """Formation > ProtocolError > Type > Occurence > Property when errors are mixed."""
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.StartTransactionRequest, payload)
    assert v16.error_code_for(caught.value).startswith(code)


def test_occurrence_beats_property_violation() -> None:
    """An empty sampledValue array outranks a bad enum value elsewhere in the payload."""
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.MeterValuesRequest, {"connectorId": 1, "meterValue": []})
    assert v16.error_code_for(caught.value) == "OccurenceConstraintViolation"
    assert v16.describe(caught.value) == "meterValue: needs at least 1 item(s)"
    payload = {
        "connectorId": 1,
        "meterValue": [
            {"timestamp": T, "sampledValue": [{"value": "1", "unit": "Hz"}]},
            {"timestamp": T, "sampledValue": []},
        ],
    }
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.MeterValuesRequest, payload)
    assert v16.error_code_for(caught.value) == "OccurenceConstraintViolation"
    assert v16.describe(caught.value) == (
        "meterValue[1].sampledValue: needs at least 1 item(s); "
        "meterValue[0].sampledValue[0].unit: 'Hz' is not an allowed value"
    )


def test_description_names_field_paths_and_stays_short() -> None:
    """errorDescription names the paths, most severe first, and stays under 200 characters."""
    sampled = [{"value": 1, "unit": "C", "extra": i} for i in range(20)]
    payload = {"connectorId": "1", "meterValue": [{"timestamp": T, "sampledValue": sampled}]}
    with pytest.raises(ValidationError) as caught:
        v16.load(v16.MeterValuesRequest, payload)
    text = v16.describe(caught.value)
    assert text.startswith("meterValue[0].sampledValue[0].extra: unknown property")
    assert "more)" in text
    assert len(text) < 200


def test_unknown_pydantic_error_types_map_to_property_constraint_violation() -> None:
    """Error kinds pydantic may add later fall back to the least severe code."""
    details: list[InitErrorDetails] = [
        {"type": PydanticCustomError("brand_new", "something new"), "loc": ("x",), "input": 1}
    ]
    error = ValidationError.from_exception_data("X", details)
    assert v16.error_code_for(error) == "PropertyConstraintViolation"
    assert v16.describe(error) == "x: something new"


def test_precedence_is_documented_and_complete() -> None:
    """PRECEDENCE lists the five payload codes, most severe first."""
    assert v16.PRECEDENCE == (
        "FormationViolation",
        "ProtocolError",
        "TypeConstraintViolation",
        "OccurenceConstraintViolation",
        "PropertyConstraintViolation",
    )


@pytest.mark.parametrize(
    "response",
    [
        v16.BootNotificationResponse(
            status=v16.RegistrationStatus.PENDING, current_time=T, interval=0
        ),
        v16.HeartbeatResponse(current_time=T),
        v16.AuthorizeResponse(id_tag_info=v16.IdTagInfo(status=v16.AuthorizationStatus.INVALID)),
        v16.StartTransactionResponse(
            transaction_id=1,
            id_tag_info=v16.IdTagInfo(
                status=v16.AuthorizationStatus.ACCEPTED, expiry_date=T, parent_id_tag="P"
            ),
        ),
        v16.StopTransactionResponse(
            id_tag_info=v16.IdTagInfo(status=v16.AuthorizationStatus.BLOCKED)
        ),
        v16.StatusNotificationResponse(),
        v16.MeterValuesResponse(),
        v16.DataTransferResponse(status=v16.DataTransferStatus.UNKNOWN_VENDOR_ID),
        v16.DiagnosticsStatusNotificationResponse(),
        v16.FirmwareStatusNotificationResponse(),
        v16.SignCertificateResponse(status=v16.GenericStatus.ACCEPTED),
        v16.SecurityEventNotificationResponse(),
        v16.LogStatusNotificationResponse(),
        v16.SignedFirmwareStatusNotificationResponse(),
    ],
    ids=lambda model: type(model).__name__,
)
def test_responses_we_send_are_valid_for_the_official_schema(response: v16.WireModel) -> None:
    """Every CALLRESULT we build for a CP->CSMS action passes the official schema (T24)."""
    action = type(response).__name__.removesuffix("Response")
    assert v16.Action(action) in v16.CHARGE_POINT_ACTIONS
    assert_valid_against_schema(action, v16.dump(response), True)
    assert_valid_against_schema(action, response, True)


def test_schema_helper_reports_what_is_wrong() -> None:
    """The test helper fails loudly on an invalid response (e.g. CitrineOS's T24 shape)."""
    with pytest.raises(AssertionError, match="StartTransaction response breaks"):
        assert_valid_against_schema("StartTransaction", {"status": "Accepted"}, True)
