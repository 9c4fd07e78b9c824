"""The `ocpp` package from PyPI playing a charge point against our gateway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from ocpp.v16 import ChargePoint as OcppChargePoint
from websockets.asyncio.client import ClientConnection, connect


class ChargePoint(OcppChargePoint):  # type: ignore[misc]
    """Records every CALL the Central System sends it; handlers are added by tests."""

    def __init__(self, charge_point_id: str, connection: ClientConnection) -> None:
        super().__init__(charge_point_id, connection, response_timeout=10)
        self.received: list[tuple[str, dict[str, Any]]] = []


@asynccontextmanager
async def ocpp_charge_point(
    url: str, charge_point_id: str, **connect_kwargs: Any
) -> AsyncIterator[ChargePoint]:
    async with connect(url, subprotocols=["ocpp1.6"], **connect_kwargs) as connection:  # type: ignore[list-item]
        charge_point = ChargePoint(charge_point_id, connection)
        task = asyncio.create_task(charge_point.start())
        try:
            yield charge_point
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await task
