"""ChargePoint: registration, boot, status, acceptance remembered per identity."""

from __future__ import annotations

import pytest

from domain.central_system import CentralSystem
from domain.charge_point import ChargePoint
from domain.errors import ChargePointNotAccepted, UnknownChargePoint
from domain.values import BootInfo, ReportedTime, StatusReport
from domain.vocabulary import ChargePointErrorCode, ConnectorStatus, RegistrationStatus
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0, at

BOOT = BootInfo(vendor="Acme", model="Fast-22", charge_point_serial_number="SN1")


def status(connector_id: int, value: ConnectorStatus, **extra: object) -> StatusReport:
    return StatusReport(
        connector_id=connector_id,
        status=value,
        error_code=extra.pop("error_code", ChargePointErrorCode.NO_ERROR),  # type: ignore[arg-type]
        timestamp=ReportedTime("2026-12-01T12:00:00Z", T0),
        **extra,  # type: ignore[arg-type]
    )


def test_identity_is_case_insensitive() -> None:
    """CP1 and cp1 are the same charge point."""
    assert ChargePoint.create_id("CP1") == ChargePoint.create_id("cp1")


def test_registering_twice_updates_the_key(
    csms: CentralSystem, aggregates: InMemoryAggregates
) -> None:
    """Registering a known identity changes its key and creates nothing new."""
    first = csms.register_charge_point(aggregates, "CP1", ("hash-1",), T0)
    again = csms.register_charge_point(aggregates, "cp1", ("hash-2",), at(1))
    assert again is first
    assert first.key_hashes == ("hash-2",)
    assert first.charge_point_id == "CP1"
    assert aggregates.event_names() == [
        "ChargePoint.Registered",
        "ChargePoint.AuthorizationKeyChanged",
    ]


def test_boot_is_accepted_by_default_and_keeps_the_boot_data(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """A registered charge point is Accepted and its BootNotification data is kept."""
    decision = csms.boot(registered, "CP1", BOOT, at(1))
    assert decision.status is RegistrationStatus.ACCEPTED
    assert decision.interval == 120
    charge_point = registered.get(ChargePoint, ChargePoint.create_id("CP1"))
    assert charge_point is not None
    assert charge_point.boot == BOOT
    assert registered.event_names() == ["ChargePoint.Booted"]


def test_pending_charge_point_may_boot_but_not_report(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Pending answers Boot with Pending and refuses any other request (OCPP-J errata §3.8)."""
    csms.set_registration_status(registered, "CP1", RegistrationStatus.PENDING, at(1))
    assert csms.boot(registered, "CP1", BOOT, at(2)).status is RegistrationStatus.PENDING
    with pytest.raises(ChargePointNotAccepted):
        csms.report_status(registered, "CP1", status(1, ConnectorStatus.AVAILABLE), at(3))


def test_unknown_charge_point_is_refused(
    csms: CentralSystem, aggregates: InMemoryAggregates
) -> None:
    """Nothing is recorded for an identity that was never registered."""
    with pytest.raises(UnknownChargePoint):
        csms.boot(aggregates, "NOPE", BOOT, T0)
    assert aggregates.items == {}


def test_status_of_every_connector_including_zero(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Connector 0 and the others are tracked with error code, info and vendor codes."""
    csms.report_status(registered, "CP1", status(0, ConnectorStatus.AVAILABLE), at(1))
    csms.report_status(
        registered,
        "CP1",
        status(
            1,
            ConnectorStatus.FAULTED,
            error_code=ChargePointErrorCode.CONNECTOR_LOCK_FAILURE,
            info="lock",
            vendor_id="com.acme",
            vendor_error_code="E42",
        ),
        at(2),
    )
    charge_point = registered.get(ChargePoint, ChargePoint.create_id("CP1"))
    assert charge_point is not None
    assert sorted(charge_point.connectors) == [0, 1]
    one = charge_point.connectors[1]
    assert one.status is ConnectorStatus.FAULTED
    assert one.error_code is ChargePointErrorCode.CONNECTOR_LOCK_FAILURE
    assert (one.info, one.vendor_id, one.vendor_error_code) == ("lock", "com.acme", "E42")
    assert one.updated_at == at(2)


def test_acceptance_survives_reconnects(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Acceptance belongs to the identity: a new connection needs no new boot."""
    csms.connect(registered, "CP1", "c1", at(1), "127.0.0.1")
    csms.disconnect(registered, "CP1", "c1", at(2), "closed")
    csms.connect(registered, "CP1", "c2", at(3), "127.0.0.1")
    csms.report_status(registered, "CP1", status(1, ConnectorStatus.AVAILABLE), at(4))
    assert registered.event_names() == [
        "ChargePoint.Connected",
        "ChargePoint.Disconnected",
        "ChargePoint.Connected",
        "ChargePoint.StatusReported",
    ]


def test_a_replaced_connection_closing_late_leaves_the_new_one_connected(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """The newest connection wins; the old one's close is not a disconnect."""
    csms.connect(registered, "CP1", "old", at(1), None)
    csms.connect(registered, "CP1", "new", at(2), None)
    csms.disconnect(registered, "CP1", "old", at(3), "replaced")
    charge_point = registered.get(ChargePoint, ChargePoint.create_id("CP1"))
    assert charge_point is not None
    assert charge_point.connected
    events = charge_point.collect_events()
    assert [type(e).__qualname__ for e in events] == ["ChargePoint.Connected"] * 2
    assert events[1].replaced_connection_id == "old"  # type: ignore[attr-defined]
