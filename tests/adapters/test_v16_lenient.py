"""The lenient second reading of transaction and status messages (T1, T8)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from adapters.ocpp import v16
from adapters.ocpp.v16 import Action, parse_lenient

T = "2026-12-01T12:00:00Z"


def _meter_values(*sampled: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"connectorId": 1, "meterValue": [{"timestamp": T, "sampledValue": list(sampled)}]} | (
        extra
    )


def test_a_valid_payload_is_read_strictly_without_findings() -> None:
    """When strict validation passes, the result is the strict model and no findings."""
    payload = _meter_values({"value": " 0.0", "unit": "Wh"})
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    assert findings == []
    assert model == v16.load(v16.MeterValuesRequest, payload)
    assert model.meter_value[0].sampled_value[0].value == " 0.0"  # strictly fine: a string


def test_numbers_sent_as_strings_are_read_as_integers() -> None:
    """ "1" and "12" for integers become 1 and 12, and each repair is a finding."""
    payload = {"connectorId": "1", "idTag": "ABC", "meterStart": " 12 ", "timestamp": T}
    model, findings = parse_lenient(Action.START_TRANSACTION, payload)
    assert (model.connector_id, model.meter_start) == (1, 12)
    assert findings == ["connectorId: '1' read as 1", "meterStart: ' 12 ' read as 12"]


def test_whole_floats_are_integers_and_fractional_watt_hours_are_rounded() -> None:
    """12.0 reads as 12; a meterStop of 1234.5 Wh rounds to 1235 (a transactionId never)."""
    payload = {"transactionId": 7.0, "meterStop": 1234.5, "timestamp": T}
    model, findings = parse_lenient(Action.STOP_TRANSACTION, payload)
    assert (model.transaction_id, model.meter_stop) == (7, 1235)
    assert findings == ["transactionId: 7.0 read as 7", "meterStop: 1234.5 rounded to 1235"]
    with pytest.raises(ValidationError):
        parse_lenient(Action.STOP_TRANSACTION, {**payload, "transactionId": 7.5})


def test_unit_c_is_read_as_celsius_and_values_are_trimmed() -> None:
    """ "C" means Celsius; a sampled value " 0.0" is trimmed once the lenient reading runs."""
    payload = _meter_values(
        {"value": "1234", "measurand": "Energy.Active.Import.Register"},
        {"value": " 0.0", "measurand": "Temperature", "unit": "C"},
    )
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    reading = model.meter_value[0].sampled_value[1]
    assert (reading.value, reading.unit) == ("0.0", v16.UnitOfMeasure.CELSIUS)
    assert findings == [
        "meterValue[0].sampledValue[1].value: ' 0.0' trimmed to '0.0'",
        "meterValue[0].sampledValue[1].unit: 'C' read as 'Celsius'",
    ]


def test_enum_values_match_ignoring_case_and_punctuation() -> None:
    """ "celsius", "l1-n", "sample_periodic" and "KWH" find their OCPP values."""
    payload = _meter_values(
        {"value": "1", "unit": "celsius", "phase": "l1-n", "context": "sample_periodic"},
        {"value": "2", "unit": "KWH"},
    )
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    first, second = model.meter_value[0].sampled_value
    assert (first.unit, first.phase, first.context) == ("Celsius", "L1-N", "Sample.Periodic")
    assert second.unit == v16.UnitOfMeasure.KWH
    assert len(findings) == 4


def test_extra_properties_are_dropped_and_wrongly_cased_names_fixed() -> None:
    """Unknown properties go (with a finding); `transactionID` is read as `transactionId`."""
    payload = _meter_values({"value": "1", "vendorSpecific": {"a": 1}}, transactionID=5, foo=1)
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    assert model.transaction_id == 5
    assert findings == [
        "meterValue[0].sampledValue[0].vendorSpecific: unknown property dropped",
        "transactionID: read as 'transactionId'",
        "foo: unknown property dropped",
    ]


def test_a_property_repeated_in_another_case_keeps_the_first() -> None:
    """`transactionId` and `transactionID` both present: the first wins, the second is noted."""
    payload = _meter_values({"value": "1"}, transactionId=5, transactionID=6, x=1)
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    assert model.transaction_id == 5
    assert findings == [
        "transactionID: repeats 'transactionId'; dropped",
        "x: unknown property dropped",
    ]


def test_numbers_for_strings_and_single_objects_for_arrays_are_repaired() -> None:
    """A sampled value sent as a number, and sampledValue sent as one object, still read."""
    payload = {"connectorId": 1, "meterValue": [{"timestamp": T, "sampledValue": {"value": 7.5}}]}
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    assert model.meter_value[0].sampled_value[0].value == "7.5"
    assert findings == [
        "meterValue[0].sampledValue: a single object read as a list of one",
        "meterValue[0].sampledValue[0].value: number 7.5 read as '7.5'",
    ]


def test_unknown_optional_enum_is_dropped_with_a_finding() -> None:
    """An unknown reason / location is dropped; the rest of the message is kept."""
    payload = {"transactionId": 3, "meterStop": 10, "timestamp": T, "reason": "Unplugged"}
    model, findings = parse_lenient(Action.STOP_TRANSACTION, payload)
    assert model.reason is None
    assert findings == ["reason: 'Unplugged' is not a Reason; dropped"]


def test_missing_optional_reason_is_fine() -> None:
    """StopTransaction without reason is valid already (S4 §2.5): no findings."""
    payload = {"transactionId": 3, "meterStop": 10, "timestamp": T}
    assert parse_lenient(Action.STOP_TRANSACTION, payload)[1] == []


def test_a_reading_without_readable_measurand_or_unit_is_dropped_whole() -> None:
    """Dropping only the measurand would turn the value into an energy register in Wh."""
    payload = _meter_values(
        {"value": "7400", "measurand": "Request.Energy"},
        {"value": "5", "unit": "furlongs"},
        {"value": "50", "measurand": "Frequency", "unit": "Hertz"},
        {"value": "1234"},
    )
    model, findings = parse_lenient(Action.METER_VALUES, payload)
    assert [s.value for s in model.meter_value[0].sampled_value] == ["50", "1234"]
    assert model.meter_value[0].sampled_value[0].unit is None  # Frequency is in Hertz anyway
    assert findings == [
        "meterValue[0].sampledValue[0]: dropped, measurand: 'Request.Energy' is not a Measurand",
        "meterValue[0].sampledValue[1]: dropped, unit: 'furlongs' is not a UnitOfMeasure",
        "meterValue[0].sampledValue[2].unit: 'Hertz' is not a UnitOfMeasure; dropped",
    ]


def test_transaction_data_of_stop_transaction_is_repaired_too() -> None:
    """StopTransaction.transactionData gets the same repairs as MeterValues."""
    payload = {
        "transactionId": 3,
        "meterStop": 10,
        "timestamp": T,
        "transactionData": [{"timestamp": T, "sampledValue": [{"value": "1", "unit": "°C"}]}],
    }
    model, findings = parse_lenient(Action.STOP_TRANSACTION, payload)
    assert model.transaction_data is not None
    assert model.transaction_data[0].sampled_value[0].unit == v16.UnitOfMeasure.CELSIUS
    assert findings == ["transactionData[0].sampledValue[0].unit: '°C' read as 'Celsius'"]


def test_status_notification_repairs() -> None:
    """Unknown errorCode reads as OtherError, status matches case-insensitively, info is cut."""
    payload = {"connectorId": "2", "errorCode": "Overheat", "status": "charging", "info": "i" * 60}
    model, findings = parse_lenient(Action.STATUS_NOTIFICATION, payload)
    assert model.error_code == v16.ChargePointErrorCode.OTHER_ERROR
    assert model.status == v16.ChargePointStatus.CHARGING
    assert model.info == "i" * 50
    assert findings == [
        "connectorId: '2' read as 2",
        "errorCode: 'Overheat' is not a ChargePointErrorCode; read as 'OtherError'",
        "status: 'charging' read as 'Charging'",
        "info: 60 characters truncated to 50",
    ]


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        (
            Action.START_TRANSACTION,
            {"connectorId": 1, "idTag": "X" * 25, "meterStart": 0, "timestamp": T},
        ),
        (
            Action.STOP_TRANSACTION,
            {"transactionId": 3, "meterStop": 10, "timestamp": T, "idTag": "X" * 25},
        ),
    ],
)
def test_a_too_long_id_tag_is_kept_as_sent(action: Action, payload: dict[str, Any]) -> None:
    """A shortened idTag is another idTag, and a transaction message is never refused (T1):
    the idTag is kept whole, in both messages, with a finding."""
    model, findings = parse_lenient(action, payload)
    assert model.id_tag == "X" * 25
    assert isinstance(model, v16.REQUEST_MODELS[action])
    assert findings == ["idTag: 25 characters, longer than 20; kept as sent"]


def test_a_too_long_id_tag_is_kept_alongside_other_repairs() -> None:
    """Only the idTag escapes strict validation: the rest is repaired, or else refused."""
    payload = {"connectorId": "2", "idTag": "Y" * 21, "meterStart": 1.0, "timestamp": T, "x": 1}
    model, findings = parse_lenient(Action.START_TRANSACTION, payload)
    assert (model.connector_id, model.id_tag, model.meter_start) == (2, "Y" * 21, 1)
    assert findings == [
        "connectorId: '2' read as 2",
        "idTag: 21 characters, longer than 20; kept as sent",
        "meterStart: 1.0 read as 1",
        "x: unknown property dropped",
    ]
    with pytest.raises(ValidationError) as caught:
        parse_lenient(Action.START_TRANSACTION, {**payload, "meterStart": "lots"})
    assert v16.error_code_for(caught.value) == "FormationViolation"  # the strict error


def test_an_id_tag_of_twenty_characters_is_read_strictly() -> None:
    """20 characters is an IdToken: no lenient reading, no finding."""
    payload = {"connectorId": 1, "idTag": "X" * 20, "meterStart": 0, "timestamp": T}
    model, findings = parse_lenient(Action.START_TRANSACTION, payload)
    assert findings == []
    assert model == v16.load(v16.StartTransactionRequest, payload)


@pytest.mark.parametrize(
    ("action", "payload", "code"),
    [
        (Action.STOP_TRANSACTION, {"meterStop": 10, "timestamp": T}, "ProtocolError"),
        (
            Action.STOP_TRANSACTION,
            {"transactionId": 1, "meterStop": "ten", "timestamp": T},
            "TypeConstraintViolation",
        ),
        (Action.START_TRANSACTION, {"connectorId": 1, "idTag": "A", "timestamp": T}, "Protocol"),
        (
            Action.METER_VALUES,
            {"connectorId": 1, "meterValue": [{"timestamp": T, "sampledValue": [{"unit": "W"}]}]},
            "ProtocolError",
        ),
        (
            Action.STATUS_NOTIFICATION,
            {"connectorId": 1, "errorCode": "NoError", "status": "Occupied"},
            "PropertyConstraintViolation",
        ),
        (Action.METER_VALUES, [], "FormationViolation"),
    ],
)
def test_unusable_payload_raises_the_strict_error(
    action: Action, payload: object, code: str
) -> None:
    """Without a usable required field there is no model: the strict error is raised."""
    with pytest.raises(ValidationError) as caught:
        parse_lenient(action, payload)
    assert v16.error_code_for(caught.value).startswith(code)


def test_only_transaction_and_status_messages_have_a_lenient_reading() -> None:
    """Other actions are read strictly with `load`; asking for leniency is a bug."""
    assert {
        Action.START_TRANSACTION,
        Action.STOP_TRANSACTION,
        Action.METER_VALUES,
        Action.STATUS_NOTIFICATION,
    } == v16.LENIENT_ACTIONS
    with pytest.raises(ValueError, match="no lenient reading"):
        parse_lenient(Action.AUTHORIZE, {"idTag": "A"})


def test_lenient_models_dump_to_schema_valid_payloads() -> None:
    """Whatever the lenient reading produces is a valid, strict model."""
    payload = _meter_values({"value": 1, "unit": "c", "measurand": "temperature", "x": 1})
    model, _ = parse_lenient(Action.METER_VALUES, payload)
    assert v16.load(v16.MeterValuesRequest, v16.dump(model)) == model
