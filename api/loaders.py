"""Per-request DataLoaders: one view query for all the charge points (or transactions) of a
response, created lazily in `context.loaders` and run off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from api.context import Context
from projections.charge_points import ConfigurationRow, ConnectorRow
from projections.transactions import MeterValueRow

K = TypeVar("K")
V = TypeVar("V")


def _loader(
    context: Context, name: str, fetch: Callable[[list[K]], dict[K, V]]
) -> DataLoader[K, V]:
    """The request's loader `name`, made on first use; `fetch` answers every key it is given."""
    loaders: dict[str, Any] = context.loaders
    if name not in loaders:

        async def load(keys: list[K]) -> list[V]:
            found = await asyncio.to_thread(fetch, keys)
            return [found[key] for key in keys]

        loaders[name] = DataLoader(load_fn=load)
    return cast("DataLoader[K, V]", loaders[name])


def connectors(context: Context, charge_point_key: str) -> Awaitable[list[ConnectorRow]]:
    """The connectors of a charge point (0 included), by connector id."""
    view = context.views.charge_points
    return _loader(context, "connectors", view.connectors_of).load(charge_point_key)


def configuration(context: Context, charge_point_key: str) -> Awaitable[list[ConfigurationRow]]:
    """The configuration keys of a charge point, by key regardless of case."""
    view = context.views.charge_points
    return _loader(context, "configuration", view.configuration_of).load(charge_point_key)


def meter_values(context: Context, transaction_id: int) -> Awaitable[list[MeterValueRow]]:
    """The meter values of a transaction in arrival order, those after its stop too."""
    view = context.views.transactions
    return _loader(context, "meter_values", view.meter_values_of).load(transaction_id)
