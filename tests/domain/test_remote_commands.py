"""Commands to charge points are recorded with their outcome; answers that carry state update it."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.central_system import CentralSystem
from domain.charge_point import ChargePoint
from domain.credentials import KeyVerifier, authorization_key_hashes
from domain.errors import UnknownChargePoint
from domain.values import ConfigurationKey
from domain.vocabulary import AvailabilityType, CommandFailure
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import at


def charge_point(aggregates: InMemoryAggregates) -> ChargePoint:
    found = aggregates.get(ChargePoint, ChargePoint.create_id("CP1"))
    assert found is not None
    return found


def test_request_then_answer(csms: CentralSystem, registered: InMemoryAggregates) -> None:
    """Who asked, what was sent, what came back: one stream per command."""
    command_id = uuid4()
    csms.request_command(registered, command_id, "cp1", "Reset", {"type": "Hard"}, "ops", at(1))
    command = csms.record_command_answer(registered, command_id, {"status": "Accepted"}, at(2))
    assert command.charge_point_id == "CP1"
    assert command.response == {"status": "Accepted"}
    # A late second outcome changes nothing.
    csms.record_command_failure(registered, command_id, CommandFailure.TIMED_OUT, None, "", at(3))
    assert command.failure is None
    assert registered.event_names() == ["RemoteCommand.Requested", "RemoteCommand.Answered"]


def test_commands_need_a_registered_charge_point(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Nothing is recorded for an unknown charge point."""
    with pytest.raises(UnknownChargePoint):
        csms.request_command(registered, uuid4(), "NOPE", "Reset", {}, "ops", at(1))


def test_availability(csms: CentralSystem, registered: InMemoryAggregates) -> None:
    """Accepted changes availability now; Scheduled keeps it as scheduled."""
    csms.record_availability(registered, "CP1", 1, AvailabilityType.INOPERATIVE, False, at(1))
    csms.record_availability(registered, "CP1", 2, AvailabilityType.INOPERATIVE, True, at(1))
    cp = charge_point(registered)
    assert cp.availability == {1: AvailabilityType.INOPERATIVE}
    assert cp.scheduled_availability == {2: AvailabilityType.INOPERATIVE}


def test_configuration_reports_and_changes(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """A full report replaces, a partial one updates, a change sets one value; never the key."""
    keys = (
        ConfigurationKey("HeartbeatInterval", False, "300"),
        ConfigurationKey("NumberOfConnectors", True, "2"),
        ConfigurationKey("AuthorizationKey", False, "00ff"),
    )
    csms.record_configuration(registered, "CP1", keys, (), True, at(1))
    csms.record_configuration_change(registered, "CP1", "heartbeatinterval", "60", False, at(2))
    csms.record_configuration_change(registered, "CP1", "AuthorizationKey", "aabb", False, at(2))
    csms.record_configuration(registered, "CP1", (), ("NumberOfConnectors",), False, at(3))
    cp = charge_point(registered)
    assert list(cp.configuration.values()) == [ConfigurationKey("HeartbeatInterval", False, "60")]


def test_authorization_key_rotation_accepts_decoded_and_hex() -> None:
    """After rotation the decoded key and its hex text both verify; the old password not."""
    verifier = KeyVerifier()
    hashes = authorization_key_hashes("6f6e652d74776f2d7468726565", iterations=1000)
    assert verifier.verify(b"one-two-three", hashes)
    assert verifier.verify(b"6f6e652d74776f2d7468726565", hashes)
    assert not verifier.verify(b"old-password", hashes)
