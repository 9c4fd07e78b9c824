"""The runner on both backends: domain events saved by the real use cases reach every view,
once each, across restarts and failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.eventstore import Database
from domain.csms import Csms
from domain.transaction import Transaction
from domain.vocabulary import ConnectorStatus, RegistrationStatus, StopReason
from projections.batch import event_class
from projections.runner import ProjectionRunner, Projections, run_projections, runners_for
from projections.transactions import TransactionsProjection, TransactionsWriter
from projections.views import Views, open_views
from tests.projections.history import History, energy
from tests.support.moments import at

TIMEOUT = 10.0


@pytest.fixture
def projections(reader: Csms, views: Views) -> Iterator[Projections]:
    runners = runners_for(reader, views)
    for runner in runners:
        runner.start()
    yield Projections(views, runners)
    for runner in runners:
        runner.stop()


def transactions_runner(reader: Csms, views: Views, **options: Any) -> ProjectionRunner:
    return ProjectionRunner(reader, TransactionsProjection(views.transactions), **options)


def charging_session(history: History, charge_point_id: str = "CP-One") -> int:
    """Boot, statuses, a transaction with meter values, the stop; the transaction id."""
    history.tag("Tag-1", at(0))
    history.register(charge_point_id, at(0))
    history.connect(charge_point_id, at(1))
    history.boot(charge_point_id, at(2))
    history.status(charge_point_id, 0, ConnectorStatus.AVAILABLE, at(3))
    history.status(charge_point_id, 1, ConnectorStatus.PREPARING, at(4))
    transaction_id = history.start(charge_point_id, 1, "TAG-1", 1000, at(5))
    history.status(charge_point_id, 1, ConnectorStatus.CHARGING, at(6))
    history.meter(charge_point_id, 1, transaction_id, energy(at(7), 1200), at=at(7))
    history.stop(charge_point_id, transaction_id, 1500, at(8), energy(at(8), 1500))
    history.status(charge_point_id, 1, ConnectorStatus.FINISHING, at(9))
    return transaction_id


def test_the_views_follow_a_charging_session(
    history: History, projections: Projections, views: Views
) -> None:
    """Charge point, connectors, transaction, meter values and id tag after one session."""
    transaction_id = charging_session(history)
    history.disconnect("CP-One", at(10))
    assert projections.wait(history.commit(), TIMEOUT)

    charge_point = views.charge_points.get_charge_point("cp-one")
    assert charge_point is not None
    assert (charge_point.charge_point_id, charge_point.vendor, charge_point.model) == (
        "CP-One",
        "Vendor",
        "Model",
    )
    assert (charge_point.charge_point_serial_number, charge_point.firmware_version) == (
        "SN-1",
        "1.0",
    )
    assert (charge_point.connected, charge_point.last_connected_at) == (False, at(1))
    assert (charge_point.last_disconnected_at, charge_point.booted_at) == (at(10), at(2))
    assert (charge_point.registered_at, charge_point.updated_at) == (at(0), at(10))
    assert not hasattr(charge_point, "authorization_key_hash")

    idle, connector = views.charge_points.connectors_of(["CP-ONE"])["CP-ONE"]
    assert (idle.connector_id, idle.status, idle.transaction_id) == (0, "Available", None)
    assert (connector.connector_id, connector.status, connector.error_code) == (
        1,
        "Finishing",
        "NoError",
    )
    assert (connector.timestamp, connector.updated_at) == (at(9), at(9))
    assert connector.timestamp_raw == "2026-12-01T12:00:09Z"
    assert connector.transaction_id is None

    transaction = views.transactions.get_transaction(transaction_id)
    assert transaction is not None
    assert (transaction.charge_point_id, transaction.connector_id, transaction.id_tag) == (
        "CP-One",
        1,
        "TAG-1",
    )
    assert (transaction.authorization_status, transaction.stop_reason) == ("Accepted", "Local")
    assert (transaction.meter_start, transaction.meter_stop, transaction.energy_wh) == (
        1000,
        1500,
        500,
    )
    assert (transaction.start_timestamp, transaction.stop_timestamp) == (at(5), at(8))
    assert (transaction.started_received_at, transaction.stopped_received_at) == (at(5), at(8))

    sampled, from_stop = views.transactions.meter_values_of([transaction_id])[transaction_id]
    assert (sampled.seq, sampled.timestamp, sampled.from_stop_transaction) == (1, at(7), False)
    assert sampled.sampled() == [
        {"value": "1200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
    ]
    assert (from_stop.seq, from_stop.connector_id, from_stop.from_stop_transaction) == (
        2,
        1,
        True,
    )

    tag = views.id_tags.get_id_tag("tag-1")
    assert tag is not None
    assert (tag.id_tag, tag.status, tag.concurrent_transactions) == ("Tag-1", "Accepted", True)


def test_meter_values_after_the_stop_still_belong_to_the_transaction(
    history: History, projections: Projections, views: Views
) -> None:
    """Late meter values are kept with the stopped transaction, marked after_stop."""
    transaction_id = charging_session(history)
    history.meter("CP-One", 1, transaction_id, energy(at(20), 1500), at=at(21))
    history.meter("CP-One", 1, 999, energy(at(22), 1), at=at(22))  # no such transaction
    assert projections.wait(history.commit(), TIMEOUT)

    found = views.transactions.meter_values_of([transaction_id, 999])
    assert [(v.seq, v.after_stop) for v in found[transaction_id]] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert found[transaction_id][-1].received_at == at(21)
    assert found[999] == []


def test_a_newer_start_on_the_connector_abandons_the_open_transaction(
    history: History, projections: Projections, views: Views
) -> None:
    """The older transaction names its successor; the connector shows the newer one."""
    history.register("CP", at(0))
    older = history.start("CP", 1, "T", 0, at(1))
    newer = history.start("CP", 1, "T", 10, at(2))
    history.set_registration_status("CP", RegistrationStatus.PENDING, at(3))
    assert projections.wait(history.commit(), TIMEOUT)

    abandoned = views.transactions.get_transaction(older)
    assert abandoned is not None
    assert (abandoned.abandoned_for, abandoned.is_stopped) == (newer, False)
    (connector,) = views.charge_points.connectors_of(["cp"])["cp"]
    assert (connector.status, connector.transaction_id) == ("Charging", newer)
    charge_point = views.charge_points.get_charge_point("cp")
    assert charge_point is not None
    assert (charge_point.registration_status, charge_point.updated_at) == ("Pending", at(3))


def test_wait_returns_once_the_view_has_the_event(
    history: History, projections: Projections, views: Views
) -> None:
    """wait() is read-your-writes: True once processed, False for an id never written."""
    history.register("CP", at(0))
    position = history.commit()
    projections.notify()

    assert projections.wait(position, TIMEOUT)
    assert views.charge_points.get_charge_point("CP") is not None
    assert not projections.wait(position + 1, timeout=0.05)
    assert projections.catch_up(TIMEOUT)


def test_events_no_view_shows_still_move_every_position(
    history: History, projections: Projections, views: Views
) -> None:
    """An event nobody projects (DataTransfer) advances all views, so wait() returns."""
    history.register("CP", at(0))
    history.commit()
    history.data_transfer("CP", at(1))
    position = history.commit()

    assert projections.wait(position, TIMEOUT)
    for view in (views.charge_points, views.transactions, views.id_tags):
        assert view.max_tracking_id("csms") == position


def test_a_new_runner_continues_where_the_last_stopped(
    history: History, reader: Csms, views: Views
) -> None:
    """After a restart the runner reads on from the recorded position: no event twice."""
    history.register("CP", at(0))
    transaction_id = history.start("CP", 1, "T", 0, at(1))
    history.meter("CP", 1, transaction_id, energy(at(2), 5), at=at(2))
    first = history.commit()
    with transactions_runner(reader, views) as runner:
        assert runner.wait(first, TIMEOUT)

    history.meter("CP", 1, transaction_id, energy(at(3), 8), at=at(3))
    history.stop("CP", transaction_id, 9, at(4), reason=None)
    second = history.commit()
    with transactions_runner(reader, views) as runner:
        assert runner.wait(second, TIMEOUT)
        assert runner.events_processed == second - first

    values = views.transactions.meter_values_of([transaction_id])[transaction_id]
    assert [v.seq for v in values] == [1, 2]
    transaction = views.transactions.get_transaction(transaction_id)
    assert transaction is not None
    assert (transaction.energy_wh, transaction.stop_reason) == (9, None)


def test_a_failing_batch_is_retried_from_the_recorded_position(
    history: History, reader: Csms, views: Views, caplog: pytest.LogCaptureFixture
) -> None:
    """A view failure is logged and retried; the batch is applied once, nothing is skipped."""
    stopped = event_class(Transaction, "Stopped")
    calls: list[object] = []

    def fail_the_first_time(event: object, writer: TransactionsWriter) -> None:
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("the disk is full (injected)")
        TransactionsProjection.handlers[stopped](event, writer)

    class FlakyTransactionsProjection(TransactionsProjection):
        name = "transactions"
        handlers = {**TransactionsProjection.handlers, stopped: fail_the_first_time}

    transaction_id = charging_session(history)
    position = history.commit()
    runner = ProjectionRunner(
        reader, FlakyTransactionsProjection(views.transactions), min_backoff=0.01
    )
    with caplog.at_level(logging.ERROR, logger="projections.runner"), runner:
        assert runner.wait(position, TIMEOUT)

    assert len(calls) == 2
    assert runner.failures == 0
    assert "projection transactions failed (1 in a row)" in caplog.text
    assert "the disk is full" in caplog.text
    assert len(views.transactions.meter_values_of([transaction_id])[transaction_id]) == 2
    assert views.transactions.max_tracking_id("csms") == position


def test_a_long_history_is_caught_up_in_batches(
    history: History, reader: Csms, views: Views
) -> None:
    """Many batches: every event exactly once, the position at the last one."""
    history.register("CP", at(0))
    transaction_id = history.start("CP", 1, "T", 0, at(1))
    for second in range(60):
        history.meter("CP", 1, transaction_id, energy(at(second), second), at=at(second))
    position = history.commit()

    with transactions_runner(reader, views, batch_size=7) as runner:
        assert runner.wait(position, TIMEOUT)

    assert runner.events_processed == position
    values = views.transactions.meter_values_of([transaction_id])[transaction_id]
    assert [v.seq for v in values] == list(range(1, 61))
    assert [v.sampled()[0]["value"] for v in values] == [str(s) for s in range(60)]


def test_a_second_runner_on_the_same_view_changes_no_result(
    history: History, reader: Csms, views: Views, database: Database
) -> None:
    """Two runners on one view (a mistake): they race on the position, the rows stay right.

    Batches that lose the race raise IntegrityError and resume at the recorded position; a
    batch that overlaps a committed one re-applies a suffix of the log, which the view's
    upserts absorb.
    """
    history.register("CP", at(0))
    transaction_id = history.start("CP", 1, "T", 0, at(1))
    for second in range(40):
        history.meter("CP", 1, transaction_id, energy(at(second), second), at=at(second))
    history.stop("CP", transaction_id, 40, at(50))
    position = history.commit()

    with (
        open_views(database) as other_views,
        transactions_runner(reader, views, batch_size=3) as first,
        transactions_runner(reader, other_views, batch_size=3) as second,
    ):
        assert first.wait(position, TIMEOUT)
        assert second.wait(position, TIMEOUT)

    values = views.transactions.meter_values_of([transaction_id])[transaction_id]
    assert [v.seq for v in values] == list(range(1, 41))
    transaction = views.transactions.get_transaction(transaction_id)
    assert transaction is not None
    assert transaction.energy_wh == 40
    assert views.transactions.max_tracking_id("csms") == position


def test_run_projections_fills_every_view_and_closes_everything(
    history: History, database: Database
) -> None:
    """The process-level context manager: all views caught up, runners stopped on exit."""
    transaction_id = charging_session(history, "CP-Two")
    history.stop("CP-Two", transaction_id, 1500, at(30), reason=StopReason.REMOTE)  # a repeat
    position = history.commit()

    with run_projections(database) as projections:
        assert projections.wait(position, TIMEOUT)
        views = projections.views
        assert views.charge_points.get_charge_point("cp-two") is not None
        transaction = views.transactions.get_transaction(transaction_id)
        assert transaction is not None
        assert transaction.stop_reason == "Local"  # StoppedAgain is only a finding
        assert views.id_tags.get_id_tag("TAG-1") is not None
        runners = projections.runners

    assert [r.name for r in runners] == ["charge_points", "transactions", "id_tags"]
    assert not any(r.running for r in runners)
