"""Rough catch-up rate of the projection runners (not a test).

    .venv/bin/python -m tests.projections.bench_catch_up [postgres|sqlite] [events]

Writes about `events` domain events (charge points booting, reporting statuses, charging with
meter values) into a fresh store, then times fresh views catching up: each view alone, then
all three at once as `run_projections` runs them.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from adapters.eventstore import Database, open_event_store, parse_database_url
from domain.vocabulary import ConnectorStatus
from projections.runner import runners_for
from projections.views import open_views
from tests.projections.history import History, energy
from tests.support.moments import at

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
VIEWS = ("charge_points", "transactions", "id_tags")


def write_history(database: Database, target: int) -> int:
    store = open_event_store(database)
    try:
        history = History(store)
        position = 0
        n = 0
        while position < target:
            cp = f"CP-{n:05d}"
            history.tag(f"TAG-{n}", at(0))
            history.register(cp, at(0))
            history.connect(cp, at(1))
            history.boot(cp, at(2))
            history.status(cp, 0, ConnectorStatus.AVAILABLE, at(3))
            for connector in (1, 2):
                history.status(cp, connector, ConnectorStatus.PREPARING, at(4))
                tx = history.start(cp, connector, f"TAG-{n}", 0, at(5))
                history.status(cp, connector, ConnectorStatus.CHARGING, at(6))
                for minute in range(10):
                    moment = at(60 * minute)
                    history.meter(cp, connector, tx, energy(moment, 100 * minute), at=moment)
                history.stop(cp, tx, 1000, at(700), energy(at(700), 1000))
                history.status(cp, connector, ConnectorStatus.AVAILABLE, at(701))
            position = history.commit()
            n += 1
        return position
    finally:
        store.close()


def time_catch_up(database: Database, position: int, names: set[str]) -> float:
    reader = open_event_store(database)
    views = open_views(database)
    try:
        runners = [r for r in runners_for(reader, views) if r.name in names]
        started = time.perf_counter()
        for runner in runners:
            runner.start()
        for runner in runners:
            assert runner.wait(position, timeout=120), runner.name
        elapsed = time.perf_counter() - started
        for runner in runners:
            runner.stop()
        return elapsed
    finally:
        views.close()
        reader.close()


def drop_views(database: Database) -> None:
    """Forget the views (tables and positions) so the next run replays from zero."""
    if database.is_postgres:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename NOT LIKE %s",
                (database.schema, "csms_%"),
            ).fetchall()
            for (table,) in rows:
                connection.execute(
                    sql.SQL("DROP TABLE {}.{}").format(
                        sql.Identifier(database.schema), sql.Identifier(table)
                    )
                )
    else:
        store = Path(database.path)
        for name in VIEWS:
            for file in store.parent.glob(f"{store.stem}.{name}{store.suffix}*"):
                file.unlink()


def bench(database: Database, events: int) -> None:
    started = time.perf_counter()
    position = write_history(database, events)
    print(f"wrote {position} events in {time.perf_counter() - started:.1f} s")
    all_views = set(VIEWS)
    for names in ({"charge_points"}, {"transactions"}, {"id_tags"}, all_views):
        drop_views(database)
        elapsed = time_catch_up(database, position, names)
        label = "all three at once" if names == all_views else next(iter(names))
        print(f"{label:>18}: {position / elapsed:8.0f} events/s ({elapsed:.2f} s)")


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "postgres"
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    if backend == "postgres":
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        try:
            bench(parse_database_url(f"{POSTGRES}?schema={schema}"), events)
        finally:
            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                connection.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )
    else:
        with tempfile.TemporaryDirectory() as directory:
            bench(parse_database_url(f"sqlite:///{directory}/csms.db"), events)


if __name__ == "__main__":
    main()
