"""`csms serve` as a user runs it: a real process, a real charge point, the read models filled."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ocpp.v16 import call
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus, RegistrationStatus

from adapters.eventstore import parse_database_url
from projections.views import open_views
from tests.support.charge_point import ocpp_charge_point

READY = re.compile(r"ready for charge points at ws://[^:]+:(\d+)/ocpp/")


def csms(*args: str, env: dict[str, str] | None = None) -> list[str]:
    return [sys.executable, "-m", "adapters.cli", *args]


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """A `csms serve` process on a free port; yields (port, process) once it logged ready."""
    subprocess.run(
        csms("charge-points", "add", "CP-SERVE", "--database-url", database_url),
        check=True,
        capture_output=True,
        timeout=60,
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            csms(
                "serve",
                "--database-url",
                database_url,
                "--ocpp-host",
                "127.0.0.1",
                "--ocpp-port",
                "0",
            ),
            stderr=log,
            text=True,
            env={**os.environ, "CSMS_HEARTBEAT_INTERVAL": "77"},
        )
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None and time.monotonic() < deadline and process.poll() is None:
            if match := READY.search(log_path.read_text()):
                port = int(match.group(1))
            time.sleep(0.05)
        assert port is not None, f"csms serve never said it was ready:\n{log_path.read_text()}"
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


async def test_a_charge_point_boots_against_csms_serve(
    served: tuple[int, subprocess.Popen[str]], database_url: str
) -> None:
    """Boot and status through a real `csms serve`; the read model shows them; SIGTERM stops it."""
    port, process = served
    url = f"ws://127.0.0.1:{port}/ocpp/CP-SERVE"
    async with ocpp_charge_point(url, "CP-SERVE") as cp:
        boot = await cp.call(call.BootNotification(charge_point_model="M", charge_point_vendor="V"))
        assert boot.status == RegistrationStatus.accepted
        assert boot.interval == 77
        await cp.call(
            call.StatusNotification(
                connector_id=1,
                error_code=ChargePointErrorCode.no_error,
                status=ChargePointStatus.preparing,
            )
        )
    with open_views(parse_database_url(database_url)) as views:
        async with asyncio.timeout(10):
            while True:
                row = views.charge_points.get_charge_point("cp-serve")
                connectors = views.charge_points.connectors_of(["cp-serve"])["cp-serve"]
                if row is not None and row.vendor == "V" and connectors:
                    break
                await asyncio.sleep(0.05)
        assert connectors[0].status == "Preparing"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
