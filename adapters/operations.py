"""The write side the GraphQL API uses (api.ports.Operations), over one process's runtime."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from adapters.ocpp import v16
from adapters.ocpp.gateway import OutboundGateway
from adapters.ocpp.server import OcppServer
from adapters.runtime import Runtime
from domain.credentials import password_hashes
from domain.vocabulary import AuthorizationStatus, RegistrationStatus
from projections.views import Views

ProjectedUpTo = Callable[[int, float], bool]


class CsmsOperations:
    """Records operators' commands through the runtime's writer and calls charge points
    connected to this process; `projected(position, timeout)` blocks until the read models
    have caught up with a position."""

    def __init__(
        self,
        runtime: Runtime,
        gateway: OutboundGateway,
        projected: ProjectedUpTo,
    ) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self._projected = projected

    async def register_charge_point(
        self, charge_point_id: str, authorization_key: str | None, requested_by: str
    ) -> int:
        # PBKDF2 is slow on purpose: off the event loop.
        hashes = (
            ()
            if authorization_key is None
            else await asyncio.to_thread(password_hashes, authorization_key)
        )
        now = datetime.now(UTC)
        csms = self.runtime.csms
        await self.runtime.writer.submit(
            lambda unit: csms.register_charge_point(unit, charge_point_id, hashes, now)
        )
        return self.runtime.writer.position

    async def set_registration_status(
        self, charge_point_id: str, status: RegistrationStatus, requested_by: str
    ) -> int:
        now = datetime.now(UTC)
        csms = self.runtime.csms
        await self.runtime.writer.submit(
            lambda unit: csms.set_registration_status(unit, charge_point_id, status, now)
        )
        return self.runtime.writer.position

    async def set_id_tag(
        self,
        id_tag: str,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        requested_by: str,
    ) -> int:
        now = datetime.now(UTC)
        csms = self.runtime.csms
        await self.runtime.writer.submit(
            lambda unit: csms.set_id_tag(unit, id_tag, status, expiry_date, parent_id_tag, now)
        )
        return self.runtime.writer.position

    async def command(
        self, charge_point_id: str, action: str, request: dict[str, Any], requested_by: str
    ) -> tuple[dict[str, Any], int]:
        response = await self.gateway.send(
            charge_point_id, v16.Action(action), request, requested_by
        )
        return response, self.runtime.writer.position

    async def wait_until_projected(self, position: int, timeout: float = 5.0) -> bool:
        return await asyncio.to_thread(self._projected, position, timeout)


def views_caught_up(views: Views, app_name: str = "csms") -> ProjectedUpTo:
    """Waiting by reading the views' tracking positions: works whoever runs the projections."""

    def projected(position: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if all(
                (view.max_tracking_id(app_name) or 0) >= position
                for view in (views.charge_points, views.transactions, views.id_tags)
            ):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    return projected


class ServerLiveness:
    """`lastSeen` from the sessions of this process's OCPP server."""

    def __init__(self, server: OcppServer) -> None:
        self._server = server

    def last_seen(self, charge_point_id: str) -> datetime | None:
        session = self._server.session(charge_point_id)
        return None if session is None else datetime.fromtimestamp(session.last_seen, UTC)
