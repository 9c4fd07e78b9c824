"""What the GraphQL layer needs from the rest of csms, as Protocols (the API never touches
aggregates or sockets itself)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from domain.vocabulary import AuthorizationStatus, RegistrationStatus


class Operations(Protocol):
    """The write side: every method records events and returns the log position of the last
    one, so that the caller can wait until the read models show it."""

    async def register_charge_point(
        self, charge_point_id: str, authorization_key: str | None, requested_by: str
    ) -> int: ...

    async def set_registration_status(
        self, charge_point_id: str, status: RegistrationStatus, requested_by: str
    ) -> int: ...

    async def set_id_tag(
        self,
        id_tag: str,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        requested_by: str,
    ) -> int: ...

    async def command(
        self, charge_point_id: str, action: str, request: dict[str, Any], requested_by: str
    ) -> tuple[dict[str, Any], int]:
        """Send one CSMS-initiated OCPP call; the response payload and the log position.

        Raises:
            adapters.ocpp.outbound.GatewayError: offline, timed out or CALLERROR.
            domain.errors.UnknownChargePoint: never registered.
        """
        ...

    async def wait_until_projected(self, position: int, timeout: float = 5.0) -> bool:
        """True once every read model has processed the log up to `position`."""
        ...


class Liveness(Protocol):
    def last_seen(self, charge_point_id: str) -> datetime | None:
        """When this process last heard from the charge point (any frame), if it did."""
        ...
