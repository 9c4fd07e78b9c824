from __future__ import annotations

import pytest

from domain.central_system import CentralSystem, Policy
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0


@pytest.fixture
def aggregates() -> InMemoryAggregates:
    return InMemoryAggregates()


@pytest.fixture
def csms() -> CentralSystem:
    return CentralSystem(Policy(heartbeat_interval=120))


@pytest.fixture
def registered(csms: CentralSystem, aggregates: InMemoryAggregates) -> InMemoryAggregates:
    """A unit of work holding charge point CP1 (Accepted) and no events pending."""
    csms.register_charge_point(aggregates, "CP1", (), T0)
    aggregates.event_names()
    return aggregates
