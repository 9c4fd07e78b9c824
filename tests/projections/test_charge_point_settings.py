"""Availability and configuration keys in the charge points view, on both backends: the
writer's verbs, what the projection makes of the domain's events, and old tables upgraded."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import Tracking
from psycopg import sql

from adapters.eventstore import Database, parse_database_url
from domain.charge_point import ChargePoint
from domain.csms import Csms
from domain.values import ConfigurationKey
from domain.vocabulary import AvailabilityType, ConnectorStatus
from projections.runner import runners_for
from projections.views import Views, open_views
from tests.projections.history import History
from tests.support.moments import at

APP = "csms"


def registered(views: Views, position: int = 1, charge_point_id: str = "CP-1") -> UUID:
    aggregate_id = uuid4()
    with views.charge_points.transaction(Tracking(APP, position)) as writer:
        writer.register(aggregate_id, charge_point_id, "Accepted", at(0))
    return aggregate_id


def keys(views: Views, charge_point_id: str = "CP-1") -> list[tuple[str, bool, str | None]]:
    rows = views.charge_points.configuration_of([charge_point_id])[charge_point_id]
    return [(row.key, row.readonly, row.value) for row in rows]


def test_a_complete_report_replaces_every_key(views: Views) -> None:
    """Keys come back by name regardless of case; a complete report forgets the others."""
    cp = registered(views)
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.report_configuration(
            cp,
            [ConfigurationKey("b", False, "2"), ConfigurationKey("A", True, None)],
            [],
            True,
            at(1),
        )
    assert keys(views) == [("A", True, None), ("b", False, "2")]

    with views.charge_points.transaction(Tracking(APP, 3)) as writer:
        writer.report_configuration(cp, [ConfigurationKey("C", False, "3")], [], True, at(2))
    assert keys(views) == [("C", False, "3")]
    (row,) = views.charge_points.configuration_of(["cp-1"])["cp-1"]
    assert (row.charge_point_key, row.updated_at) == ("cp-1", at(2))


def test_a_partial_report_updates_and_forgets_only_what_it_names(views: Views) -> None:
    """Named keys are replaced (spelling too), unknown keys are removed, the rest stay."""
    cp = registered(views)
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.report_configuration(
            cp,
            [ConfigurationKey(name, False, "0") for name in ("Keep", "Gone", "Swap")],
            [],
            True,
            at(1),
        )
        writer.report_configuration(
            cp, [ConfigurationKey("SWAP", True, "1")], ["gone", "never-known"], False, at(2)
        )

    assert keys(views) == [("Keep", False, "0"), ("SWAP", True, "1")]


def test_a_changed_key_keeps_its_spelling_and_readonly_flag(views: Views) -> None:
    """ChangeConfiguration sets the value of a known key; an unknown one becomes writable."""
    cp = registered(views)
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.report_configuration(
            cp, [ConfigurationKey("HeartbeatInterval", True, "60")], [], True, at(1)
        )
        writer.change_configuration(cp, "heartbeatinterval", "300", at(2))
        writer.change_configuration(cp, "MeterValueSampleInterval", "10", at(3))

    assert keys(views) == [
        ("HeartbeatInterval", True, "300"),
        ("MeterValueSampleInterval", False, "10"),
    ]
    assert views.charge_points.configuration_of([]) == {}
    assert views.charge_points.configuration_of(["nobody"]) == {"nobody": []}


def test_availability_now_clears_what_was_scheduled(views: Views) -> None:
    """A scheduled change waits beside the current one; a change now replaces both."""
    cp = registered(views)
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.report_connector(cp, 1, "Charging", "NoError", None, None, None, None, None, at(1))
        writer.change_availability(cp, 1, "Inoperative", True, at(2))
    (connector,) = views.charge_points.connectors_of(["CP-1"])["CP-1"]
    assert (connector.availability, connector.scheduled_availability) == (None, "Inoperative")
    assert (connector.status, connector.updated_at) == ("Charging", at(1))

    with views.charge_points.transaction(Tracking(APP, 3)) as writer:
        writer.change_availability(cp, 1, "Operative", False, at(3))
    (connector,) = views.charge_points.connectors_of(["CP-1"])["CP-1"]
    assert (connector.availability, connector.scheduled_availability) == ("Operative", None)


def test_availability_of_a_connector_never_reported(views: Views) -> None:
    """The change makes the connector's row, with the status the change implies."""
    cp = registered(views)
    with views.charge_points.transaction(Tracking(APP, 2)) as writer:
        writer.change_availability(cp, 0, "Inoperative", False, at(1))
        writer.change_availability(cp, 2, "Operative", False, at(2))

    zero, two = views.charge_points.connectors_of(["CP-1"])["CP-1"]
    assert (zero.connector_id, zero.status, zero.availability) == (0, "Unavailable", "Inoperative")
    assert (two.connector_id, two.status, two.availability) == (2, "Available", "Operative")
    assert (zero.error_code, zero.updated_at, zero.transaction_id) == ("NoError", at(1), None)


def test_the_projection_follows_the_domain(store: Csms, reader: Csms, views: Views) -> None:
    """Reports, changes and availability recorded by the use cases reach the view; the
    AuthorizationKey never does."""
    history = History(store)
    history.register("CP-1", at(0))
    system, unit = history.system, history.aggregates
    system.record_configuration(
        unit,
        "CP-1",
        (
            ConfigurationKey("AuthorizationKey", False, "secret"),
            ConfigurationKey("HeartbeatInterval", False, "60"),
            ConfigurationKey("NumberOfConnectors", True, "2"),
        ),
        (),
        True,
        at(1),
    )
    system.record_configuration_change(unit, "CP-1", "HeartbeatInterval", "300", False, at(2))
    system.record_configuration_change(unit, "CP-1", "AuthorizationKey", "other", False, at(3))
    system.record_availability(unit, "CP-1", 1, AvailabilityType.INOPERATIVE, False, at(4))
    history.status("CP-1", 1, ConnectorStatus.UNAVAILABLE, at(5))
    history.commit()

    for runner in runners_for(reader, views):
        while runner.run_once():
            pass

    assert keys(views) == [("HeartbeatInterval", False, "300"), ("NumberOfConnectors", True, "2")]
    (connector,) = views.charge_points.connectors_of(["cp-1"])["cp-1"]
    assert (connector.status, connector.availability) == ("Unavailable", "Inoperative")
    aggregate = store.repository.get(ChargePoint.create_id("CP-1"))
    assert sorted(aggregate.configuration) == ["heartbeatinterval", "numberofconnectors"]


OLD_CONNECTORS = (
    "CREATE TABLE {table} (charge_point_key text NOT NULL,"
    " connector_id integer NOT NULL, status text NOT NULL, error_code text NOT NULL,"
    " info text, vendor_id text, vendor_error_code text, timestamp {time},"
    " timestamp_raw text, updated_at {time} NOT NULL, transaction_id integer,"
    " PRIMARY KEY (charge_point_key, connector_id))"
)


@pytest.fixture
def old_view(database_url: str, tmp_path: Path) -> Database:
    """A database whose charge points view has a connectors table older than availability."""
    database = parse_database_url(database_url)
    if database.is_postgres:
        with psycopg.connect(database_url.partition("?")[0], autocommit=True) as connection:
            table = sql.Identifier(database.schema, "charge_points_connectors")
            statement = OLD_CONNECTORS.format(table="{table}", time="timestamptz")
            connection.execute(sql.SQL(statement).format(table=table))
    else:
        path = Path(database.path)
        with closing(sqlite3.connect(path.with_name(f"{path.stem}.charge_points.db"))) as db:
            db.execute(OLD_CONNECTORS.format(table="connectors", time="TEXT"))
    return database


def test_an_old_connectors_table_gets_the_new_columns(old_view: Database) -> None:
    """Opening the view adds the availability columns to a table made before them."""
    with open_views(old_view) as views:
        cp = registered(views)
        with views.charge_points.transaction(Tracking(APP, 2)) as writer:
            writer.change_availability(cp, 1, "Inoperative", True, at(1))
        (connector,) = views.charge_points.connectors_of(["CP-1"])["CP-1"]
    assert connector.scheduled_availability == "Inoperative"
