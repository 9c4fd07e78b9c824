"""The contract of every view, on both backends: rows and their position commit together,
a position is never recorded twice, lookups ignore case, pages follow their keys."""

from __future__ import annotations

import json
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from domain.values import BootInfo
from projections.transactions import Sample, TransactionsWriter
from projections.views import Views
from tests.support.moments import at

APP = "csms"


def register(views: Views, position: int, *charge_point_ids: str) -> list[UUID]:
    ids = [uuid4() for _ in charge_point_ids]
    with views.charge_points.transaction(Tracking(APP, position)) as writer:
        for aggregate_id, charge_point_id in zip(ids, charge_point_ids, strict=True):
            writer.register(aggregate_id, charge_point_id, "Accepted", at(0))
    return ids


def test_rows_and_position_are_recorded_together(views: Views) -> None:
    """A batch's rows are visible once its transaction ends, with its position."""
    register(views, 3, "CP-1")

    assert views.charge_points.max_tracking_id(APP) == 3
    row = views.charge_points.get_charge_point("CP-1")
    assert row is not None
    assert (row.key, row.charge_point_id, row.registration_status) == ("cp-1", "CP-1", "Accepted")
    assert row.connected is False
    assert row.registered_at == row.updated_at == at(0)


@pytest.mark.parametrize("position", [5, 4])
def test_a_position_already_recorded_raises_and_applies_nothing(
    views: Views, position: int
) -> None:
    """The same or an older tracking id raises IntegrityError; none of its rows are written."""
    (cp,) = register(views, 5, "CP-1")

    def record_again() -> None:
        with views.charge_points.transaction(Tracking(APP, position)) as writer:
            writer.connect(cp, at(1))
            writer.register(uuid4(), "CP-2", "Accepted", at(1))

    with pytest.raises(IntegrityError):
        record_again()

    assert views.charge_points.max_tracking_id(APP) == 5
    row = views.charge_points.get_charge_point("cp-1")
    assert row is not None
    assert row.connected is False
    assert views.charge_points.get_charge_point("CP-2") is None


def test_a_batch_that_fails_leaves_no_trace(views: Views) -> None:
    """An error inside the batch rolls back its rows and its position."""

    def fail_halfway() -> None:
        with views.id_tags.transaction(Tracking(APP, 1)) as writer:
            writer.register(uuid4(), "TAG", "Accepted", None, None, True, at(0))
            raise RuntimeError("injected")

    with pytest.raises(RuntimeError, match="injected"):
        fail_halfway()

    assert views.id_tags.max_tracking_id(APP) is None
    assert views.id_tags.get_id_tag("TAG") is None


def test_each_view_keeps_its_own_position(views: Views) -> None:
    """Positions are per view: one view's progress says nothing about another's."""
    register(views, 7, "CP-1")

    assert views.charge_points.max_tracking_id(APP) == 7
    assert views.transactions.max_tracking_id(APP) is None
    assert views.id_tags.max_tracking_id(APP) is None


def test_charge_points_are_found_whatever_the_case(views: Views) -> None:
    """A charge point registered as "Cp-ÄB" is found as "cp-äb" and "CP-ÄB"."""
    register(views, 1, "Cp-ÄB")

    for spelling in ("cp-äb", "CP-ÄB", "Cp-ÄB"):
        row = views.charge_points.get_charge_point(spelling)
        assert row is not None
        assert row.charge_point_id == "Cp-ÄB"
    assert views.charge_points.get_charge_point("CP-AB") is None


def test_charge_points_come_in_pages_by_key(views: Views) -> None:
    """Keyset pages: ordered by casefolded id, each after the last key of the one before."""
    register(views, 1, "b", "A", "c", "D", "e")

    first = views.charge_points.list_charge_points(2, None)
    second = views.charge_points.list_charge_points(2, first[-1].key)
    third = views.charge_points.list_charge_points(2, second[-1].key)

    assert [r.charge_point_id for r in first] == ["A", "b"]
    assert [r.charge_point_id for r in second] == ["c", "D"]
    assert [r.charge_point_id for r in third] == ["e"]
    assert views.charge_points.list_charge_points(2, "E") == []
    assert views.charge_points.list_charge_points(0) == []
    with pytest.raises(ValueError, match="negative"):
        views.charge_points.list_charge_points(-1)


def test_boot_and_connection_are_shown(views: Views) -> None:
    """Boot data, connection state and their times; the newest change sets updated_at."""
    (cp,) = register(views, 1, "CP-1")
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.connect(cp, at(1))
        writer.boot(cp, BootInfo("V", "M", iccid="89", meter_type="DC"), at(2))
        writer.disconnect(cp, at(3))
        writer.set_registration_status(cp, "Rejected", at(4))

    row = views.charge_points.get_charge_point("CP-1")
    assert row is not None
    assert (row.vendor, row.model, row.iccid, row.meter_type, row.imsi) == (
        "V",
        "M",
        "89",
        "DC",
        None,
    )
    assert (row.connected, row.last_connected_at, row.last_disconnected_at) == (False, at(1), at(3))
    assert (row.booted_at, row.registration_status, row.updated_at) == (at(2), "Rejected", at(4))


def test_connectors_of_many_charge_points_at_once(views: Views) -> None:
    """One query answers for every key asked, connector 0 first, unknown keys with none."""
    cp1, cp2 = register(views, 1, "CP-1", "CP-2")
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        for connector_id in (2, 0, 1):
            writer.report_connector(
                cp1,
                connector_id,
                "Available",
                "NoError",
                None,
                None,
                None,
                at(1),
                "raw",
                at(2),
            )
        writer.report_connector(
            cp2,
            1,
            "Faulted",
            "GroundFailure",
            "x",
            "acme",
            "E7",
            None,
            "garbage",
            at(3),
        )
        writer.begin_transaction(cp2, 2, 42, at(4))

    found = views.charge_points.connectors_of(["CP-1", "cp-2", "nobody"])

    assert list(found) == ["CP-1", "cp-2", "nobody"]
    assert [c.connector_id for c in found["CP-1"]] == [0, 1, 2]
    assert found["CP-1"][0].timestamp == at(1)
    assert found["CP-1"][0].updated_at == at(2)
    faulted, started = found["cp-2"]
    assert (faulted.status, faulted.error_code, faulted.info) == ("Faulted", "GroundFailure", "x")
    assert (faulted.vendor_id, faulted.vendor_error_code) == ("acme", "E7")
    assert (faulted.timestamp, faulted.timestamp_raw) == (None, "garbage")
    assert (started.status, started.transaction_id, started.updated_at) == ("Charging", 42, at(4))
    assert found["nobody"] == []
    assert views.charge_points.connectors_of([]) == {}


def test_a_status_report_keeps_the_connectors_transaction(views: Views) -> None:
    """A status report leaves the open transaction; ending it clears only that one."""
    (cp,) = register(views, 1, "CP-1")
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.begin_transaction(cp, 1, 7, at(1))
        writer.report_connector(
            cp, 1, "SuspendedEVSE", "NoError", None, None, None, None, None, at(2)
        )
        writer.end_transaction(cp, 8)
    (connector,) = views.charge_points.connectors_of(["cp-1"])["cp-1"]
    assert (connector.status, connector.transaction_id) == ("SuspendedEVSE", 7)

    with views.charge_points.transaction(Tracking(APP, 3)) as writer:
        writer.end_transaction(cp, 7)
    (connector,) = views.charge_points.connectors_of(["cp-1"])["cp-1"]
    assert connector.transaction_id is None


def test_transactions_on_connectors_end_as_the_events_order_says(views: Views) -> None:
    """Begins and ends of one batch are written together; the result is the events' order."""
    (cp, other) = register(views, 1, "CP-1", "CP-2")
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.begin_transaction(cp, 1, 1, at(1))
        writer.end_transaction(cp, 1)
        writer.begin_transaction(cp, 1, 2, at(2))  # connector 1 ends with 2 open
        writer.begin_transaction(cp, 2, 3, at(2))
        writer.begin_transaction(cp, 2, 4, at(3))  # 3 abandoned: 4 open
        writer.begin_transaction(cp, 3, 5, at(3))
        writer.report_connector(cp, 3, "Finishing", "NoError", None, None, None, None, None, at(4))
        writer.end_transaction(cp, 5)  # connector 3: Finishing, nothing open
        writer.begin_transaction(other, 1, 6, at(4))
        writer.end_transaction(cp, 6)  # another charge point's id: no effect
    found = views.charge_points.connectors_of(["cp-1", "cp-2"])
    mine = {c.connector_id: (c.status, c.transaction_id) for c in found["cp-1"]}
    assert mine == {1: ("Charging", 2), 2: ("Charging", 4), 3: ("Finishing", None)}
    assert [(c.connector_id, c.transaction_id) for c in found["cp-2"]] == [(1, 6)]


def test_id_tags_by_key_and_in_pages(views: Views) -> None:
    """Id tags are found whatever the case and listed in pages by key."""
    tag = uuid4()
    with views.id_tags.transaction(Tracking(APP, 1)) as writer:
        writer.register(tag, "Tag-B", "Accepted", None, None, True, at(0))
        writer.register(uuid4(), "tag-a", "Blocked", at(99), "PARENT", False, at(0))
        writer.update(tag, "Expired", at(5), "P", False, at(6))

    row = views.id_tags.get_id_tag("TAG-B")
    assert row is not None
    assert (row.key, row.id_tag, row.status, row.expiry_date) == (
        "tag-b",
        "Tag-B",
        "Expired",
        at(5),
    )
    assert (row.parent_id_tag, row.concurrent_transactions, row.updated_at) == ("P", False, at(6))
    first = views.id_tags.list_id_tags(1)
    assert [r.id_tag for r in first] == ["tag-a"]
    assert [r.id_tag for r in views.id_tags.list_id_tags(5, first[-1].key)] == ["Tag-B"]


def start(
    writer: TransactionsWriter, transaction_id: int, charge_point_id: str, id_tag: str
) -> UUID:
    aggregate_id = uuid4()
    writer.start(
        aggregate_id,
        transaction_id,
        charge_point_id,
        1,
        id_tag,
        100,
        at(1),
        "raw",
        None,
        "Accepted",
        at(2),
    )
    return aggregate_id


def test_transactions_newest_first_filtered_and_paged(views: Views) -> None:
    """Filters ignore case; pages go from the newest to older transaction ids."""
    with views.transactions.transaction(Tracking(APP, 1)) as writer:
        for transaction_id, cp, tag in [
            (1, "CP-A", "T1"),
            (2, "cp-b", "t1"),
            (3, "CP-A", "T2"),
            (4, "CP-A", "t1"),
        ]:
            start(writer, transaction_id, cp, tag)

    listed = views.transactions.list_transactions
    assert [t.transaction_id for t in listed(first=10)] == [4, 3, 2, 1]
    assert [t.transaction_id for t in listed("cp-a", first=10)] == [4, 3, 1]
    assert [t.transaction_id for t in listed(id_tag="T1", first=10)] == [4, 2, 1]
    assert [t.transaction_id for t in listed("CP-a", "t1", first=10)] == [4, 1]
    page = listed("CP-A", first=2)
    assert [t.transaction_id for t in page] == [4, 3]
    assert [t.transaction_id for t in listed("CP-A", first=2, after=page[-1].transaction_id)] == [1]
    assert listed("nobody", first=10) == []


def test_a_stopped_transaction_has_its_energy(views: Views) -> None:
    """meter_stop - meter_start once stopped; None while running."""
    with views.transactions.transaction(Tracking(APP, 1)) as writer:
        running = start(writer, 1, "CP", "T")
        stopped = start(writer, 2, "CP", "T")
        writer.stop(stopped, 1600, None, "bad clock", None, "T", at(9))
        writer.abandon(running, 2)

    first, second = views.transactions.get_transaction(1), views.transactions.get_transaction(2)
    assert first is not None
    assert second is not None
    assert (first.is_stopped, first.energy_wh, first.abandoned_for) == (False, None, 2)
    assert (second.meter_stop, second.energy_wh, second.stop_reason) == (1600, 1500, None)
    assert (second.stop_timestamp, second.stop_timestamp_raw) == (None, "bad clock")
    assert (second.stopped_received_at, second.start_timestamp) == (at(9), at(1))
    assert views.transactions.get_transaction(3) is None


def test_meter_values_of_many_transactions_at_once(views: Views) -> None:
    """Values come back per transaction in arrival order; unknown ids get none."""
    readings = json.dumps([{"value": "1", "unit": "Wh"}])
    with views.transactions.transaction(Tracking(APP, 1)) as writer:
        first = start(writer, 1, "CP", "T")
        start(writer, 2, "CP", "T")
        writer.add_meter_values(
            first,
            3,
            2,
            [Sample(at(3), "r3", readings), Sample(None, "r4", readings)],
            after_stop=False,
            from_stop_transaction=False,
            received_at=at(4),
        )
        writer.add_meter_values(
            first,
            2,
            None,
            [Sample(at(1), "r1", readings)],
            after_stop=True,
            from_stop_transaction=True,
            received_at=at(5),
        )

    found = views.transactions.meter_values_of([1, 2, 3])

    assert list(found) == [1, 2, 3]
    assert [(v.seq, v.timestamp_raw) for v in found[1]] == [(1, "r1"), (2, "r3"), (3, "r4")]
    oldest = found[1][0]
    assert (oldest.connector_id, oldest.after_stop, oldest.from_stop_transaction) == (1, True, True)
    assert (oldest.timestamp, oldest.received_at) == (at(1), at(5))
    assert found[1][1].connector_id == 2
    assert found[1][1].sampled() == [{"value": "1", "unit": "Wh"}]
    assert found[2] == found[3] == []
