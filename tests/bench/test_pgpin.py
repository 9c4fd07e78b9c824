"""The benchmark moves a local PostgreSQL off the server's CPU for a run: it must find the
cluster, move backends forked meanwhile too, and put every process back afterwards."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import POSTGRES_SERVER, require_postgres

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from benchlib.pgpin import PostgresPin  # scripts/ is not a package

pytestmark = pytest.mark.postgres

BASE = POSTGRES_SERVER.rsplit("/", 1)[0]


def backend_of(connection: psycopg.Connection) -> int:
    row = connection.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(row[0])


def test_pins_the_cluster_and_backends_forked_meanwhile_then_puts_all_back() -> None:
    require_postgres()
    found, why = PostgresPin.find(BASE)
    if found is None:
        pytest.skip(f"PostgreSQL cannot be pinned from here: {why}")
    if len(found.original) < 2:
        pytest.skip("PostgreSQL may use one CPU only: nothing to move")
    target = {min(found.original)}
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as before:
        try:
            assert found.pin(target) == ""
            with psycopg.connect(POSTGRES_SERVER, autocommit=True) as during:
                assert os.sched_getaffinity(found.postmaster) == target
                assert os.sched_getaffinity(backend_of(before)) == target
                assert os.sched_getaffinity(backend_of(during)) == target  # inherited
                found.restore()
                assert os.sched_getaffinity(backend_of(during)) == found.original
        finally:
            found.restore()
        assert os.sched_getaffinity(found.postmaster) == found.original
        assert os.sched_getaffinity(backend_of(before)) == found.original


def test_a_server_it_cannot_reach_is_left_alone() -> None:
    found, why = PostgresPin.find("postgresql://postgres@127.0.0.1:1")
    assert found is None
    assert "cannot ask PostgreSQL" in why
