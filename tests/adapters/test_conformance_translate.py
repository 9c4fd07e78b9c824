"""What the JSON schemas cannot say, checked while translating: connectorId ranges, the
statuses of connector 0 and times ahead of our clock (OCPP16.md §1.1, T1, T5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.ocpp import v16
from adapters.ocpp.errors import PropertyConstraintViolation
from adapters.ocpp.translate import (
    Findings,
    connector_id,
    meter_values,
    reported_time,
    status_report,
)
from domain.values import ReportedTime
from domain.vocabulary import ConnectorStatus

RECEIVED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
Action = v16.Action


def wire(moment: datetime) -> str:
    return v16.format_timestamp(moment)


def status(connector: int, state: str, **extra: Any) -> v16.StatusNotificationRequest:
    payload = {"connectorId": connector, "errorCode": "NoError", "status": state} | extra
    return v16.load(v16.StatusNotificationRequest, payload)


# -- times ahead of our clock (T5) -----------------------------------------------------------


@pytest.mark.parametrize(
    "ahead",
    [timedelta(hours=-3), timedelta(0), timedelta(minutes=4), timedelta(minutes=5)],
)
def test_a_time_up_to_five_minutes_ahead_is_no_finding(ahead: timedelta) -> None:
    """Past times (queued offline) and clocks a little fast are normal."""
    findings = Findings()
    raw = wire(RECEIVED + ahead)
    assert reported_time(raw, "timestamp", findings, RECEIVED) == ReportedTime(
        raw, RECEIVED + ahead
    )
    assert findings == []


def test_a_time_more_than_five_minutes_ahead_is_kept_with_a_finding() -> None:
    """A soft error: the value is kept as sent and read, and the finding says by how much."""
    findings = Findings()
    raw = "2026-12-01T12:05:01Z"
    assert reported_time(raw, "timestamp", findings, RECEIVED) == ReportedTime(
        raw, RECEIVED + timedelta(minutes=5, seconds=1)
    )
    assert findings == [
        "timestamp: '2026-12-01T12:05:01Z' is 0:05:01 ahead of the Central System's clock"
    ]


def test_the_future_is_judged_in_utc() -> None:
    """An offset moves the moment: 14:00+02:00 is noon UTC, not two hours ahead."""
    findings = Findings()
    reported_time("2026-12-01T14:00:00+02:00", "timestamp", findings, RECEIVED)
    assert findings == []
    reported_time("2026-12-01T14:00:00+00:00", "timestamp", findings, RECEIVED)
    assert findings == [
        "timestamp: '2026-12-01T14:00:00+00:00' is 2:00:00 ahead of the Central System's clock"
    ]


def test_an_unreadable_or_absent_time_is_not_judged() -> None:
    """Only the parse finding for an unreadable time; nothing at all for an absent one."""
    findings = Findings()
    assert reported_time("soon", "timestamp", findings, RECEIVED) == ReportedTime("soon", None)
    assert reported_time(None, "timestamp", findings, RECEIVED) == ReportedTime(None, None)
    assert findings == ["timestamp: 'soon' is not an ISO 8601 date-time"]


def test_each_meter_value_in_the_future_is_named_by_its_place() -> None:
    """MeterValues and transactionData name the sample whose time is ahead."""
    samples = [
        v16.MeterValue(timestamp=wire(RECEIVED), sampled_value=[v16.SampledValue(value="1")]),
        v16.MeterValue(
            timestamp=wire(RECEIVED + timedelta(days=1)),
            sampled_value=[v16.SampledValue(value="2")],
        ),
    ]
    findings = Findings()
    values = meter_values(samples, "meterValue", findings, RECEIVED)
    assert values[1].timestamp.at == RECEIVED + timedelta(days=1)
    assert findings == [
        "meterValue[1].timestamp: '2026-12-02T12:00:00Z' is 1 day, 0:00:00 ahead of the"
        " Central System's clock"
    ]


def test_a_status_time_in_the_future_is_a_finding() -> None:
    """StatusNotification's optional timestamp is judged like the transaction times."""
    findings = Findings()
    report = status_report(
        status(1, "Available", timestamp="2026-12-01T13:00:00Z"), findings, RECEIVED
    )
    assert report.timestamp.raw == "2026-12-01T13:00:00Z"
    assert findings == [
        "timestamp: '2026-12-01T13:00:00Z' is 1:00:00 ahead of the Central System's clock"
    ]


# -- connectorId ranges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "value", "finding"),
    [
        (Action.START_TRANSACTION, 1, None),
        (Action.START_TRANSACTION, 0, "connectorId: 0 is out of range for StartTransaction"),
        (Action.START_TRANSACTION, -2, "connectorId: -2 is out of range for StartTransaction"),
        (Action.METER_VALUES, 0, None),
        (Action.METER_VALUES, 3, None),
        (Action.METER_VALUES, -1, "connectorId: -1 is out of range for MeterValues"),
    ],
)
def test_a_transaction_message_keeps_an_out_of_range_connector_id(
    action: Action, value: int, finding: str | None
) -> None:
    """StartTransaction needs connectorId > 0, MeterValues >= 0; out of range is a finding,
    never a refusal (T1), and the value is kept."""
    findings = Findings()
    assert connector_id(action, value, findings) == value
    lowest = 1 if action is Action.START_TRANSACTION else 0
    assert findings == ([] if finding is None else [f"{finding} (at least {lowest})"])


@pytest.mark.parametrize("connector", [-1, -100])
def test_a_status_of_a_negative_connector_is_refused(connector: int) -> None:
    """No connector has a negative id, so there is no status to record: the §2.2 example of
    a PropertyConstraintViolation."""
    with pytest.raises(PropertyConstraintViolation) as caught:
        status_report(status(connector, "Available"), Findings(), RECEIVED)
    assert caught.value.code == "PropertyConstraintViolation"
    assert caught.value.description == f"connectorId: {connector} is out of range (at least 0)"


@pytest.mark.parametrize("state", ["Available", "Unavailable", "Faulted"])
def test_connector_zero_in_a_charge_point_status_is_no_finding(state: str) -> None:
    """Connector 0 is the charge point as a whole: these three statuses are its own."""
    findings = Findings()
    report = status_report(status(0, state), findings, RECEIVED)
    assert (report.connector_id, report.status) == (0, ConnectorStatus(state))
    assert findings == []


@pytest.mark.parametrize(
    "state",
    ["Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved"],
)
def test_connector_zero_in_a_connector_status_is_recorded_with_a_finding(state: str) -> None:
    """Charging and the like only apply to real connectors: kept, and flagged."""
    findings = Findings()
    report = status_report(status(0, state), findings, RECEIVED)
    assert (report.connector_id, report.status) == (0, ConnectorStatus(state))
    assert findings == [
        f"status: {state!r} is not a status of connector 0 (Available, Unavailable or Faulted)"
    ]


def test_a_real_connector_may_have_any_status() -> None:
    """The connector-0 rule does not touch connectors 1 and up."""
    findings = Findings()
    for state in v16.ChargePointStatus:
        status_report(status(1, state.value), findings, RECEIVED)
    assert findings == []
