"""Fixtures of the API tests: a real event store and read models on each backend, filled by
the real projections from histories the real use cases make; queries go through the schema."""

from __future__ import annotations

import pytest

from domain.csms import Csms
from projections.views import Views
from tests.api.support import Api, FakeLiveness
from tests.projections.history import History


@pytest.fixture
def api(store: Csms, views: Views) -> Api:
    return Api(History(store), store, views, FakeLiveness())
