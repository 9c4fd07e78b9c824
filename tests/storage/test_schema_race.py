"""Pieces started together on a fresh PostgreSQL database (gateway, api, projections) each
create the tables they need; they must not trip over each other doing it."""

from __future__ import annotations

import threading

from adapters.eventstore import open_event_store, parse_database_url
from projections.views import open_views


def test_processes_starting_together_create_the_schema_once(postgres_url: str) -> None:
    database = parse_database_url(postgres_url)
    starters = 6
    barrier = threading.Barrier(starters)
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            open_event_store(database).close()
            open_views(database).close()
        except BaseException as failure:  # collected and asserted below
            failures.append(failure)

    threads = [threading.Thread(target=start) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
