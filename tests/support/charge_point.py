"""The `ocpp` package from PyPI playing a charge point against our gateway.

`ChargePoint` answers every CSMS-initiated 1.6 action from a script (`answers`), and keeps each
CALL exactly as it arrived on the wire (`received`), so tests can check what we sent, including
that optional fields were omitted rather than sent as null.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from ocpp.charge_point import camel_to_snake_case
from ocpp.routing import on
from ocpp.v16 import ChargePoint as OcppChargePoint
from ocpp.v16 import call_result
from websockets.asyncio.client import ClientConnection, connect

Answer = dict[str, Any] | BaseException | Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]

DEFAULT_ANSWERS: dict[str, dict[str, Any]] = {
    "RemoteStartTransaction": {"status": "Accepted"},
    "RemoteStopTransaction": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "ChangeAvailability": {"status": "Accepted"},
    "ChangeConfiguration": {"status": "Accepted"},
    "GetConfiguration": {"configurationKey": [], "unknownKey": []},
    "ClearCache": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted"},
}


class ChargePoint(OcppChargePoint):  # type: ignore[misc]
    def __init__(self, charge_point_id: str, connection: ClientConnection) -> None:
        super().__init__(charge_point_id, connection, response_timeout=10)
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.answers: dict[str, Answer] = dict(DEFAULT_ANSWERS)
        self.called = asyncio.Event()

    async def route_message(self, raw_msg: str) -> None:
        message = json.loads(raw_msg)
        if isinstance(message, list) and message and message[0] == 2:
            self.received.append((message[2], message[3]))
            self.called.set()
        await super().route_message(raw_msg)

    async def answer(self, action: str) -> Any:
        answer = self.answers[action]
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            answer = await answer(self.received[-1][1])
        return getattr(call_result, action)(**camel_to_snake_case(answer))

    async def next_call(self, action: str, timeout: float = 5.0) -> dict[str, Any]:
        """The payload of the first CALL of `action` received (waits for it)."""
        async with asyncio.timeout(timeout):
            while True:
                for name, payload in self.received:
                    if name == action:
                        return payload
                self.called.clear()
                await self.called.wait()


def _answering(action: str) -> Callable[..., Awaitable[Any]]:
    async def handler(self: ChargePoint, **_: Any) -> Any:
        return await self.answer(action)

    # The ocpp package finds handlers by function name: give each its attribute's name.
    handler.__name__ = handler.__qualname__ = f"on_{action}"
    routed: Callable[..., Awaitable[Any]] = on(action)(handler)
    return routed


for _action in DEFAULT_ANSWERS:
    setattr(ChargePoint, f"on_{_action}", _answering(_action))


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
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
