"""Transactions: ids, start answers, repeats, abandoned, stops and late meter values."""

from __future__ import annotations

from domain.central_system import CentralSystem
from domain.charge_point import ChargePoint
from domain.transaction import Transaction
from domain.transaction_ids import BLOCK_SIZE, TransactionIds
from domain.values import MeterValue, ReportedTime, SampledValue, StartDecision
from domain.vocabulary import AuthorizationStatus, Measurand, StopReason
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0, at

ACCEPTED = AuthorizationStatus.ACCEPTED
START = ReportedTime("2026-12-01T12:00:00Z", T0)


def start(
    csms: CentralSystem,
    aggregates: InMemoryAggregates,
    id_tag: str = "TAG",
    connector_id: int = 1,
    meter_start: int = 1000,
    timestamp: ReportedTime = START,
) -> StartDecision:
    return csms.start_transaction(
        aggregates, "CP1", connector_id, id_tag, meter_start, timestamp, None, at(1)
    )


def energy(wh: int) -> tuple[MeterValue, ...]:
    return (
        MeterValue(
            ReportedTime(None, at(5)),
            (SampledValue(str(wh), measurand=Measurand.ENERGY_ACTIVE_IMPORT_REGISTER),),
        ),
    )


def transaction(aggregates: InMemoryAggregates, transaction_id: int) -> Transaction:
    found = aggregates.get(Transaction, Transaction.create_id(transaction_id))
    assert found is not None
    return found


def test_ids_are_positive_and_increasing(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Every start gets the next id, starting at 1."""
    ids = [start(csms, registered, meter_start=n).transaction_id for n in range(3)]
    assert ids == [1, 2, 3]


def test_a_rebuilt_allocator_never_reuses_an_id() -> None:
    """An allocator rebuilt from its events starts a new block (the old cursor is unknown)."""
    allocator = TransactionIds()
    assert [allocator.allocate() for _ in range(3)] == [1, 2, 3]
    events = allocator.collect_events()
    rebuilt: TransactionIds | None = None
    for e in events:
        rebuilt = e.mutate(rebuilt)  # type: ignore[arg-type]
    assert rebuilt is not None
    assert rebuilt.allocate() == BLOCK_SIZE + 1


def test_start_answers_the_tag_status_with_a_real_id(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Invalid, Blocked and Expired starts still get a transaction id and a transaction."""
    csms.set_id_tag(registered, "BLOCKED", AuthorizationStatus.BLOCKED, None, None, T0)
    # Accepted as stored, but its expiry date passed just before the start.
    csms.set_id_tag(registered, "OLD", ACCEPTED, at(0), None, T0)
    unknown = start(csms, registered, id_tag="UNKNOWN", connector_id=1)
    blocked = start(csms, registered, id_tag="BLOCKED", connector_id=2)
    expired = start(csms, registered, id_tag="OLD", connector_id=3)
    assert unknown.authorization.status is AuthorizationStatus.INVALID
    assert blocked.authorization.status is AuthorizationStatus.BLOCKED
    assert expired.authorization.status is AuthorizationStatus.EXPIRED
    assert 0 < unknown.transaction_id < blocked.transaction_id < expired.transaction_id
    for decision in (unknown, blocked, expired):
        recorded = transaction(registered, decision.transaction_id)
        assert recorded.authorization is decision.authorization.status


def test_concurrent_transactions_allowed_by_default(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """A fleet card may charge on two connectors at once."""
    csms.set_id_tag(registered, "FLEET", ACCEPTED, None, None, T0)
    first = start(csms, registered, id_tag="FLEET", connector_id=1)
    second = start(csms, registered, id_tag="FLEET", connector_id=2)
    assert first.authorization.status is ACCEPTED
    assert second.authorization.status is ACCEPTED


def test_concurrent_tx_when_the_tag_forbids_it(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """A tag that forbids concurrency answers ConcurrentTx while it has an open transaction."""
    csms.set_id_tag(registered, "SOLO", ACCEPTED, None, None, T0, concurrent_transactions=False)
    first = start(csms, registered, id_tag="SOLO", connector_id=1)
    second = start(csms, registered, id_tag="SOLO", connector_id=2)
    assert second.authorization.status is AuthorizationStatus.CONCURRENT_TX
    assert second.transaction_id != first.transaction_id
    csms.stop_transaction(
        registered, "CP1", first.transaction_id, None, 1500, START, None, (), at(9)
    )
    csms.stop_transaction(
        registered, "CP1", second.transaction_id, None, 1500, START, None, (), at(9)
    )
    assert start(csms, registered, id_tag="SOLO", meter_start=2).authorization.status is ACCEPTED


def test_a_start_that_abandons_the_tags_older_transaction_is_not_concurrent(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """The stop of the older transaction was lost: a new start on the same connector ends it,
    so the tag has no other transaction, and the new start is Accepted, not ConcurrentTx."""
    csms.set_id_tag(registered, "SOLO", ACCEPTED, None, None, T0, concurrent_transactions=False)
    first = start(csms, registered, id_tag="SOLO", connector_id=1, meter_start=1000)
    second = start(csms, registered, id_tag="SOLO", connector_id=1, meter_start=2000)
    assert transaction(registered, first.transaction_id).abandoned_for == second.transaction_id
    assert second.authorization.status is ACCEPTED
    # Still one at a time elsewhere: the new one is open.
    third = start(csms, registered, id_tag="SOLO", connector_id=2)
    assert third.authorization.status is AuthorizationStatus.CONCURRENT_TX


def test_repeated_start_returns_the_same_id(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """A StartTransaction sent again with the same content creates nothing (T3)."""
    first = start(csms, registered)
    registered.event_names()
    again = start(csms, registered, id_tag="tag")
    assert again.transaction_id == first.transaction_id
    assert again.duplicate
    assert registered.event_names() == []


def test_new_start_on_a_busy_connector_abandons_the_old_one(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """The older transaction is marked abandoned; the new one is never rejected."""
    first = start(csms, registered, meter_start=1000)
    second = start(csms, registered, meter_start=2000)
    assert second.authorization.status is AuthorizationStatus.INVALID  # unknown TAG
    older = transaction(registered, first.transaction_id)
    assert older.abandoned_for == second.transaction_id
    charge_point = registered.get(ChargePoint, ChargePoint.create_id("CP1"))
    assert charge_point is not None
    assert charge_point.open_transaction_on(1) == second.transaction_id


def test_stop_is_idempotent(csms: CentralSystem, registered: InMemoryAggregates) -> None:
    """A second identical stop answers the same and records nothing."""
    started = start(csms, registered)
    stopped_at = ReportedTime("2026-12-01T13:00:00Z", at(3600))
    for _ in range(2):
        csms.stop_transaction(
            registered,
            "CP1",
            started.transaction_id,
            "TAG",
            5000,
            stopped_at,
            StopReason.LOCAL,
            energy(5000),
            at(3601),
        )
    names = registered.event_names()
    assert names.count("Transaction.Stopped") == 1
    assert "Transaction.StoppedAgain" not in names
    assert transaction(registered, started.transaction_id).energy_wh == 4000


def test_stop_for_unknown_transaction_is_recorded_and_answered(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Unknown ids and -1 are kept on the charge point and answered normally (T1, T2)."""
    csms.set_id_tag(registered, "TAG", ACCEPTED, None, None, T0)
    for unknown in (-1, 424242):
        decision = csms.stop_transaction(
            registered, "CP1", unknown, "TAG", 10, START, None, (), at(2)
        )
        assert not decision.known_transaction
        assert decision.authorization is not None
        assert decision.authorization.status is ACCEPTED
    assert registered.event_names().count("ChargePoint.UnknownTransactionStopped") == 2


def test_meter_values_after_the_stop_belong_to_the_transaction(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Late meter values attach to the stopped transaction and do not reopen it (T4)."""
    started = start(csms, registered)
    csms.stop_transaction(
        registered, "CP1", started.transaction_id, None, 3000, START, None, (), at(9)
    )
    registered.event_names()
    csms.report_meter_values(registered, "CP1", 1, started.transaction_id, energy(3000), at(10))
    events = transaction(registered, started.transaction_id).collect_events()
    assert [type(e).__qualname__ for e in events] == ["Transaction.MeterValuesSampled"]
    assert events[0].after_stop is True  # type: ignore[attr-defined]
    assert transaction(registered, started.transaction_id).is_stopped


def test_meter_values_without_transaction_stay_on_the_charge_point(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """Main-meter values and values for unknown transactions are kept per charge point."""
    csms.report_meter_values(registered, "CP1", 0, None, energy(1), at(1))
    csms.report_meter_values(registered, "CP1", 1, 999, energy(2), at(2))
    assert registered.event_names() == [
        "ChargePoint.MeterValuesReported",
        "ChargePoint.MeterValuesReported",
    ]


def test_another_charge_points_transaction_is_unknown_here(
    csms: CentralSystem, registered: InMemoryAggregates
) -> None:
    """CP2 cannot stop CP1's transaction."""
    csms.register_charge_point(registered, "CP2", (), T0)
    started = start(csms, registered)
    decision = csms.stop_transaction(
        registered, "CP2", started.transaction_id, None, 1, START, None, (), at(2)
    )
    assert not decision.known_transaction
    assert not transaction(registered, started.transaction_id).is_stopped
