"""The typed codec: every event reads back equal to what was written, field types included, and
events written by the earlier tagged encoding still read."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from domain.central_system import CentralSystem
from domain.charge_point import ChargePoint
from domain.event_codec import TypedMapper, field_decoders
from domain.transaction import Transaction
from domain.values import BootInfo, MeterValue, ReportedTime, SampledValue, StatusReport
from domain.vocabulary import (
    AuthorizationStatus,
    ChargePointErrorCode,
    ConnectorStatus,
    Measurand,
    Phase,
    StopReason,
    UnitOfMeasure,
)
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0, at


def _domain_events() -> list[type[Any]]:
    found, todo = [], [DomainEvent]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("domain."):
                found.append(sub)
    return found


def test_every_domain_event_class_has_readable_field_types() -> None:
    classes = _domain_events()
    assert len(classes) > 30
    for cls in classes:
        field_decoders(cls)  # raises on an annotation it cannot resolve


def _session_events() -> list[Any]:
    csms, unit = CentralSystem(), InMemoryAggregates()
    csms.register_charge_point(unit, "CP1", ("pbkdf2$1$salt$hash",), T0)
    csms.set_id_tag(unit, "TAG", AuthorizationStatus.ACCEPTED, at(9999), "FLEET", T0)
    csms.boot(unit, "CP1", BootInfo("Acme", "X", imsi="0042"), at(1))
    stamp = ReportedTime("2026-12-01T13:00:02.5+01:00", at(2))
    report = StatusReport(0, ConnectorStatus.FAULTED, ChargePointErrorCode.OTHER_ERROR, stamp, "x")
    csms.report_status(unit, "CP1", report, at(2))
    started = csms.start_transaction(unit, "CP1", 1, "tag", 10, stamp, None, at(3))
    readings = (
        MeterValue(stamp, (SampledValue("1.5", measurand=Measurand.POWER_ACTIVE_IMPORT),)),
        MeterValue(ReportedTime("garbage", None), (SampledValue("7", phase=Phase.L2),)),
    )
    csms.report_meter_values(unit, "CP1", 1, started.transaction_id, readings, at(4))
    csms.report_meter_values(unit, "CP1", 2, 999, readings, at(4))
    tx = started.transaction_id
    csms.stop_transaction(unit, "CP1", tx, "TAG", 99, stamp, StopReason.REMOTE, readings, at(5))
    return [e for a in unit.items.values() for e in a.collect_events()]


def test_every_event_of_a_session_reads_back_equal_with_its_types() -> None:
    mapper = TypedMapper()
    events = _session_events()
    assert len(events) > 8
    for event in events:
        back = mapper.to_domain_event(mapper.to_stored_event(event))
        assert type(back) is type(event)
        assert vars(back) == vars(event)
        for name, value in vars(event).items():
            assert type(vars(back)[name]) is type(value), (type(event).__qualname__, name)


OLD_FORMAT = [
    (
        "domain.charge_point:ChargePoint.StatusReported",
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-12-01T20:43:52.535958+00:00"},'
        '"report":{"_type_":"StatusReport","_data_":{"connector_id":1,"status":"SuspendedEVSE",'
        '"error_code":"NoError","timestamp":{"raw":"2026-12-01T12:00:02.123456+01:00",'
        '"at":"2026-12-01T12:00:02+00:00"},"info":null,"vendor_id":null,"vendor_error_code":null}},'
        '"received_at":{"_type_":"datetime_iso","_data_":"2026-12-01T12:00:02+00:00"}}',
    ),
    (
        "domain.transaction:Transaction.Started",
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-12-01T20:43:52.536435+00:00"},'
        '"originator_topic":"domain.transaction:Transaction","transaction_id":1,'
        '"charge_point_id":"CP1","connector_id":1,"id_tag":"TAG","meter_start":10,'
        '"reported_time":{"_type_":"ReportedTime","_data_":{"raw":"2026-12-01T12:00:02.123456'
        '+01:00","at":"2026-12-01T12:00:02+00:00"}},"reservation_id":7,'
        '"authorization":{"_type_":"AuthorizationStatus","_data_":"Invalid"},'
        '"received_at":{"_type_":"datetime_iso","_data_":"2026-12-01T12:00:03+00:00"}}',
    ),
    (
        "domain.transaction:Transaction.MeterValuesSampled",
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-12-01T20:43:52.536884+00:00"},'
        '"connector_id":1,"meter_values":[{"_type_":"MeterValue","_data_":{"timestamp":'
        '{"raw":"2026-12-01T12:00:02.123456+01:00","at":"2026-12-01T12:00:02+00:00"},'
        '"sampled_values":[{"value":"230.1","context":null,"format":null,"measurand":"Voltage",'
        '"phase":null,"location":null,"unit":"V"}]}}],"after_stop":false,'
        '"received_at":{"_type_":"datetime_iso","_data_":"2026-12-01T12:00:04+00:00"}}',
    ),
]


def test_events_in_the_earlier_tagged_encoding_still_read() -> None:
    mapper = TypedMapper()
    status, started, sampled = (
        mapper.to_domain_event(StoredEvent(uuid4(), 2, topic, state.encode()))
        for topic, state in OLD_FORMAT
    )
    stamp = ReportedTime("2026-12-01T12:00:02.123456+01:00", at(2))
    assert isinstance(status, ChargePoint.StatusReported)
    assert status.report == StatusReport(
        1, ConnectorStatus.SUSPENDED_EVSE, ChargePointErrorCode.NO_ERROR, stamp
    )
    assert status.received_at == at(2)
    assert isinstance(started, Transaction.Started)
    assert started.authorization is AuthorizationStatus.INVALID
    assert started.reported_time == stamp
    assert isinstance(sampled, Transaction.MeterValuesSampled)
    value = SampledValue("230.1", measurand=Measurand.VOLTAGE, unit=UnitOfMeasure.V)
    assert sampled.meter_values == (MeterValue(stamp, (value,)),)


def test_a_broken_stored_event_names_itself() -> None:
    stored = StoredEvent(uuid4(), 3, "domain.transaction:Transaction.Started", b"{not json")
    with pytest.raises(MapperDeserialisationError, match="originator_version 3"):
        TypedMapper().to_domain_event(stored)
