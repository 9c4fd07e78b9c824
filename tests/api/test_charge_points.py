"""chargePoint and chargePoints: what the read model shows of charge points, their connectors
(connector 0 too), availability and configuration, found whatever the case of the id."""

from __future__ import annotations

from typing import Any

import pytest

from domain.values import BootInfo, ConfigurationKey
from domain.vocabulary import (
    AvailabilityType,
    ChargePointErrorCode,
    ConnectorStatus,
    RegistrationStatus,
)
from tests.api.support import Api
from tests.support.moments import at

CHARGE_POINT = """
query ($id: ID!) {
  chargePoint(id: $id) {
    id vendor model serialNumber firmwareVersion registrationStatus connected lastSeen
    connectors { connectorId status errorCode info updatedAt availability }
    configuration { key readonly value }
  }
}
"""
PAGE = """
query ($first: Int, $after: String) {
  chargePoints(first: $first, after: $after) {
    edges { node { id connectors { connectorId } } cursor }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def booted(api: Api, charge_point_id: str = "CP-One") -> None:
    api.history.register(charge_point_id, at(0))
    api.history.connect(charge_point_id, at(1))
    api.history.boot(charge_point_id, at(2), firmware="2.1")


async def charge_point(api: Api, charge_point_id: str) -> Any:
    return (await api.query(CHARGE_POINT, id=charge_point_id))["chargePoint"]


async def test_a_charge_point_as_it_reported_itself(api: Api) -> None:
    """Boot data, registration, connection and connectors (0 included) with their times."""
    booted(api)
    api.history.status("CP-One", 0, ConnectorStatus.AVAILABLE, at(3))
    api.history.status(
        "CP-One",
        1,
        ConnectorStatus.SUSPENDED_EVSE,
        at(4),
        ChargePointErrorCode.GROUND_FAILURE,
        info="earth",
    )
    api.project()

    assert await charge_point(api, "CP-One") == {
        "id": "CP-One",
        "vendor": "Vendor",
        "model": "Model",
        "serialNumber": "SN-1",
        "firmwareVersion": "2.1",
        "registrationStatus": "ACCEPTED",
        "connected": True,
        "lastSeen": "2026-12-01T12:00:04+00:00",
        "connectors": [
            {
                "connectorId": 0,
                "status": "AVAILABLE",
                "errorCode": "NO_ERROR",
                "info": None,
                "updatedAt": "2026-12-01T12:00:03+00:00",
                "availability": None,
            },
            {
                "connectorId": 1,
                "status": "SUSPENDED_EVSE",
                "errorCode": "GROUND_FAILURE",
                "info": "earth",
                "updatedAt": "2026-12-01T12:00:04+00:00",
                "availability": None,
            },
        ],
        "configuration": [],
    }


@pytest.mark.parametrize("spelling", ["cp-one", "CP-ONE", "Cp-One"])
async def test_a_charge_point_is_found_whatever_the_case(api: Api, spelling: str) -> None:
    """Any spelling of the id finds it; it answers with the spelling it was registered with."""
    booted(api)
    api.project()

    assert (await charge_point(api, spelling))["id"] == "CP-One"


async def test_an_unknown_charge_point_is_null(api: Api) -> None:
    """No charge point of that id: null, not an error."""
    assert await charge_point(api, "nobody") is None


async def test_the_serial_number_falls_back_to_the_charge_box(api: Api) -> None:
    """Without a chargePointSerialNumber, serialNumber is the chargeBoxSerialNumber."""
    api.history.register("CP-1", at(0))
    boot = BootInfo("V", "M", charge_box_serial_number="BOX-7")
    api.history.system.boot(api.history.aggregates, "CP-1", boot, at(1))
    api.project()

    assert (await charge_point(api, "CP-1"))["serialNumber"] == "BOX-7"


async def test_last_seen_is_the_later_of_liveness_and_the_read_model(api: Api) -> None:
    """Null before anything was heard; then the read model's activity, unless the gateway of
    this process heard the charge point more recently."""
    api.history.register("CP-1", at(0))
    api.project()
    assert (await charge_point(api, "CP-1"))["lastSeen"] is None

    api.history.connect("CP-1", at(5))
    api.history.disconnect("CP-1", at(9))
    api.project()
    api.liveness.seen["cp-1"] = at(7)
    assert (await charge_point(api, "CP-1"))["lastSeen"] == "2026-12-01T12:00:09+00:00"

    api.liveness.seen["cp-1"] = at(30)
    assert (await charge_point(api, "cp-1"))["lastSeen"] == "2026-12-01T12:00:30+00:00"


async def test_configuration_after_reports_and_changes(api: Api) -> None:
    """What GetConfiguration reported, as ChangeConfiguration changed it; a complete report
    replaces everything; AuthorizationKey is never shown."""
    booted(api, "CP-1")
    system, unit = api.history.system, api.history.aggregates
    reported = (
        ConfigurationKey("HeartbeatInterval", False, "60"),
        ConfigurationKey("AuthorizationKey", False, "0123"),
        ConfigurationKey("NumberOfConnectors", True, "2"),
        ConfigurationKey("Old", False, None),
    )
    system.record_configuration(unit, "CP-1", reported, (), True, at(3))
    system.record_configuration_change(unit, "CP-1", "heartbeatinterval", "300", False, at(4))
    system.record_configuration(unit, "CP-1", (), ("OLD",), False, at(5))
    api.project()

    assert (await charge_point(api, "CP-1"))["configuration"] == [
        {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
        {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
    ]

    replaced = (ConfigurationKey("MeterValueSampleInterval", False, "10"),)
    system.record_configuration(unit, "CP-1", replaced, (), True, at(6))
    api.project()
    assert (await charge_point(api, "CP-1"))["configuration"] == [
        {"key": "MeterValueSampleInterval", "readonly": False, "value": "10"}
    ]


async def test_availability_shows_on_the_connectors(api: Api) -> None:
    """ChangeAvailability's effect per connector; a scheduled change is not in effect yet."""
    booted(api, "CP-1")
    api.history.status("CP-1", 1, ConnectorStatus.CHARGING, at(3))
    api.history.status("CP-1", 2, ConnectorStatus.AVAILABLE, at(3))
    system, unit = api.history.system, api.history.aggregates
    system.record_availability(unit, "CP-1", 0, AvailabilityType.OPERATIVE, False, at(4))
    system.record_availability(unit, "CP-1", 1, AvailabilityType.INOPERATIVE, True, at(4))
    system.record_availability(unit, "CP-1", 2, AvailabilityType.INOPERATIVE, False, at(5))
    api.project()

    connectors = (await charge_point(api, "CP-1"))["connectors"]

    assert [(c["connectorId"], c["availability"]) for c in connectors] == [
        (0, "OPERATIVE"),
        (1, None),
        (2, "INOPERATIVE"),
    ]


async def test_charge_points_come_in_pages_ordered_by_id(api: Api) -> None:
    """first/after walk the list by id regardless of case; the last page has no next one."""
    for charge_point_id in ("b", "A", "c", "D", "e"):
        api.history.register(charge_point_id, at(0))
    api.history.status("A", 0, ConnectorStatus.AVAILABLE, at(1))
    api.project()

    ids: list[list[str]] = []
    after = None
    while True:
        page = (await api.query(PAGE, first=2, after=after))["chargePoints"]
        ids.append([edge["node"]["id"] for edge in page["edges"]])
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert ids == [["A", "b"], ["c", "D"], ["e"]]
    everything = (await api.query(PAGE))["chargePoints"]
    assert [e["node"]["connectors"] for e in everything["edges"]][:2] == [[{"connectorId": 0}], []]
    assert everything["pageInfo"]["hasNextPage"] is False


async def test_an_empty_page(api: Api) -> None:
    """first: 0 answers no edges, no end cursor, and whether there is anything at all."""
    api.history.register("CP-1", at(0))
    api.project()

    page = (await api.query(PAGE, first=0))["chargePoints"]

    assert page == {"edges": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}


async def test_connectors_of_a_whole_page_are_read_at_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DataLoader asks the view once per request, for every charge point of the page."""
    for charge_point_id in ("CP-1", "CP-2", "CP-3"):
        api.history.register(charge_point_id, at(0))
        api.history.status(charge_point_id, 1, ConnectorStatus.AVAILABLE, at(1))
    api.project()
    view = api.views.charge_points
    calls: list[list[str]] = []
    connectors_of = view.connectors_of

    def counted(keys: list[str]) -> Any:
        calls.append(list(keys))
        return connectors_of(keys)

    monkeypatch.setattr(view, "connectors_of", counted)

    page = await api.query(
        "{ chargePoints { edges { node { lastSeen connectors { connectorId } } } } }"
    )

    assert len(page["chargePoints"]["edges"]) == 3
    assert calls == [["cp-1", "cp-2", "cp-3"]]


async def test_registration_status_as_operators_set_it(api: Api) -> None:
    """A charge point set to Pending shows PENDING."""
    api.history.register("CP-1", at(0))
    api.history.set_registration_status("CP-1", RegistrationStatus.PENDING, at(1))
    api.project()

    assert (await charge_point(api, "CP-1"))["registrationStatus"] == "PENDING"
