"""A connected charge point and an operator with GraphQL, on each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.support.charge_point import ChargePoint, ocpp_charge_point
from tests.support.server import RunningCsms, running_csms

CP_ID = "CP-OCTT"


@dataclass
class Bench:
    csms: RunningCsms
    cp: ChargePoint


@pytest.fixture
async def bench(database_url: str) -> AsyncIterator[Bench]:
    async with running_csms(database_url, api=True, call_timeout=1.0) as csms:
        await csms.register(CP_ID)
        async with ocpp_charge_point(csms.url(CP_ID), CP_ID) as cp:
            yield Bench(csms, cp)
