"""Charge points: what they are, their connectors and configuration, as the read model has it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import strawberry
from strawberry.types import Info

from api import loaders
from api.context import Context
from api.enums import AvailabilityType, ChargePointErrorCode, ChargePointStatus, RegistrationStatus
from api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    connection,
    decode_cursor,
    encode_cursor,
    page_size,
)
from projections.charge_points import ChargePointRow, ConfigurationRow, ConnectorRow
from projections.storage import as_utc

CURSOR_KIND = "chargePoint"


@strawberry.type(description="One connector of a charge point; connector 0 is the charge point.")
class Connector:
    connector_id: int
    status: ChargePointStatus
    error_code: ChargePointErrorCode
    info: str | None
    updated_at: datetime = strawberry.field(
        description="When the CSMS received the connector's last status."
    )
    availability: AvailabilityType | None = strawberry.field(
        description="What ChangeAvailability last made it (for connector 0: the charge point "
        "as a whole); null if it never did."
    )

    @classmethod
    def from_row(cls, row: ConnectorRow) -> Connector:
        return cls(
            connector_id=row.connector_id,
            status=ChargePointStatus(row.status),
            error_code=ChargePointErrorCode(row.error_code),
            info=row.info,
            updated_at=row.updated_at,
            availability=None if row.availability is None else AvailabilityType(row.availability),
        )


@strawberry.type(
    description="A configuration key as the charge point reported it (GetConfiguration) or as "
    "ChangeConfiguration set it. AuthorizationKey is never shown."
)
class ConfigurationKey:
    key: str
    readonly: bool
    value: str | None

    @classmethod
    def from_row(cls, row: ConfigurationRow) -> ConfigurationKey:
        return cls(key=row.key, readonly=row.readonly, value=row.value)


@strawberry.type(description="A registered charge point and what it said about itself.")
class ChargePoint:
    id: strawberry.ID = strawberry.field(
        description="Its identity (the last segment of its OCPP-J URL) as registered; "
        "looked up regardless of case."
    )
    vendor: str | None = strawberry.field(description="chargePointVendor of its last boot.")
    model: str | None = strawberry.field(description="chargePointModel of its last boot.")
    serial_number: str | None = strawberry.field(
        description="chargePointSerialNumber of its last boot, else chargeBoxSerialNumber."
    )
    firmware_version: str | None
    registration_status: RegistrationStatus
    connected: bool = strawberry.field(
        description="Whether a connection to it is open, as the event log has it."
    )
    key: strawberry.Private[str]
    # The latest activity of its own the read model records (connect, disconnect, boot).
    recorded_activity: strawberry.Private[datetime | None]

    @classmethod
    def from_row(cls, row: ChargePointRow) -> ChargePoint:
        moments = [
            moment
            for moment in (row.last_connected_at, row.last_disconnected_at, row.booted_at)
            if moment is not None
        ]
        return cls(
            id=strawberry.ID(row.charge_point_id),
            vendor=row.vendor,
            model=row.model,
            serial_number=row.charge_point_serial_number or row.charge_box_serial_number,
            firmware_version=row.firmware_version,
            registration_status=RegistrationStatus(row.registration_status),
            connected=row.connected,
            key=row.key,
            recorded_activity=max(moments, default=None),
        )

    @strawberry.field(
        description="When it was last heard from: the later of the last frame this API "
        "process saw (when it runs the gateway) and the latest activity the read model "
        "records (connection, disconnection, boot, a connector's status or availability); "
        "null if never."
    )
    async def last_seen(self, info: Info[Context, None]) -> datetime | None:
        connectors = await loaders.connectors(info.context, self.key)
        moments = [c.updated_at for c in connectors]
        if self.recorded_activity is not None:
            moments.append(self.recorded_activity)
        liveness = info.context.liveness
        heard = None if liveness is None else as_utc(liveness.last_seen(str(self.id)))
        if heard is not None:
            moments.append(heard)
        return max(moments, default=None)

    @strawberry.field(description="Its connectors by connector id, connector 0 included.")
    async def connectors(self, info: Info[Context, None]) -> list[Connector]:
        rows = await loaders.connectors(info.context, self.key)
        return [Connector.from_row(row) for row in rows]

    @strawberry.field(
        description="Its configuration keys by name: what it reported to GetConfiguration "
        "(a complete report replaces them all) and what ChangeConfiguration changed."
    )
    async def configuration(self, info: Info[Context, None]) -> list[ConfigurationKey]:
        rows = await loaders.configuration(info.context, self.key)
        return [ConfigurationKey.from_row(row) for row in rows]


async def load_charge_point(context: Context, charge_point_id: str) -> ChargePoint | None:
    """The charge point as the read model has it now, whatever the case of the id."""
    row = await asyncio.to_thread(context.views.charge_points.get_charge_point, charge_point_id)
    return None if row is None else ChargePoint.from_row(row)


def _cursor(row: ChargePointRow) -> str:
    return encode_cursor(CURSOR_KIND, row.key)


@strawberry.type
class ChargePointQuery:
    @strawberry.field(description="The charge point with this id, whatever its case.")
    async def charge_point(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> ChargePoint | None:
        return await load_charge_point(info.context, str(id))

    @strawberry.field(description="Charge points ordered by id (case-insensitively).")
    async def charge_points(
        self,
        info: Info[Context, None],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[ChargePoint]:
        size = page_size(first)
        key = decode_cursor(CURSOR_KIND, after)
        view = info.context.views.charge_points
        rows = await asyncio.to_thread(view.list_charge_points, size + 1, key)
        return connection(rows, size, ChargePoint.from_row, _cursor)
