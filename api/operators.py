"""Operator mutations: register charge points, set their registration status, manage id tags.

Each waits until the read models show its events, so the object it returns, and the client's
next query, are up to date.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.charge_points import ChargePoint, load_charge_point
from api.context import Context
from api.enums import AuthorizationStatus, RegistrationStatus
from api.errors import bad_input, to_graphql_error
from api.id_tags import IdTag, load_id_tag
from api.ports import Operations
from domain import vocabulary as vocab
from domain.errors import DomainError

MAX_IDENTITY = 255  # the last path segment of the OCPP-J URL
MAX_ID_TOKEN = 20  # IdToken is CiString20
MAX_KEY = 255


def _operations(info: Info[Context, None]) -> Operations:
    operations = info.context.operations
    if operations is None:
        raise GraphQLError("this API process is read-only", extensions={"code": "READ_ONLY"})
    return operations


def _text(field: str, value: str, limit: int) -> str:
    if not value or not value.strip():
        raise bad_input(field, "must not be empty")
    if len(value) > limit:
        raise bad_input(field, f"at most {limit} characters, got {len(value)}")
    if any(ord(c) < 32 for c in value):
        raise bad_input(field, "must not contain control characters")
    return value


@strawberry.type
class OperatorMutations:
    @strawberry.mutation(
        description="Register a charge point, or change the key of one already registered. "
        "With an authorizationKey it must present HTTP Basic auth (user = its id)."
    )
    async def register_charge_point(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        authorization_key: str | None = None,
    ) -> ChargePoint | None:
        charge_point_id = _text("id", str(id), MAX_IDENTITY)
        if "/" in charge_point_id:
            raise bad_input("id", "must not contain '/' (it is the last path segment)")
        if authorization_key is not None:
            _text("authorizationKey", authorization_key, MAX_KEY)
        operations = _operations(info)
        position = await operations.register_charge_point(
            charge_point_id, authorization_key, info.context.requested_by
        )
        return await _charge_point_after(info, operations, position, charge_point_id)

    @strawberry.mutation(
        description="Accepted (the default), Pending or Rejected: what BootNotification "
        "answers; a charge point that is not Accepted may send nothing but BootNotification."
    )
    async def set_registration_status(
        self,
        info: Info[Context, None],
        charge_point_id: strawberry.ID,
        status: RegistrationStatus,  # type: ignore[valid-type]
    ) -> ChargePoint | None:
        operations = _operations(info)
        try:
            position = await operations.set_registration_status(
                str(charge_point_id),
                vocab.RegistrationStatus(status.value),
                info.context.requested_by,
            )
        except DomainError as error:
            raise to_graphql_error(error) from None
        return await _charge_point_after(info, operations, position, str(charge_point_id))

    @strawberry.mutation(
        description="Create or update an id tag. A tag past its expiryDate answers Expired "
        "whatever its status; tags are matched case-insensitively."
    )
    async def set_id_tag(
        self,
        info: Info[Context, None],
        id_tag: str,
        status: AuthorizationStatus,  # type: ignore[valid-type]
        expiry_date: datetime | None = None,
        parent_id_tag: str | None = None,
    ) -> IdTag | None:
        _text("idTag", id_tag, MAX_ID_TOKEN)
        if parent_id_tag is not None:
            _text("parentIdTag", parent_id_tag, MAX_ID_TOKEN)
        if vocab.AuthorizationStatus(status.value) is vocab.AuthorizationStatus.CONCURRENT_TX:
            raise bad_input("status", "ConcurrentTx is an answer, not a status a tag can have")
        if expiry_date is not None and expiry_date.tzinfo is None:
            expiry_date = expiry_date.replace(tzinfo=UTC)
        operations = _operations(info)
        position = await operations.set_id_tag(
            id_tag,
            vocab.AuthorizationStatus(status.value),
            expiry_date,
            parent_id_tag,
            info.context.requested_by,
        )
        await operations.wait_until_projected(position)
        tag = await load_id_tag(info.context, id_tag)
        if tag is None:
            raise GraphQLError("the id tag is not projected yet", extensions={"code": "LAGGING"})
        return tag


async def _charge_point_after(
    info: Info[Context, None], operations: Operations, position: int, charge_point_id: str
) -> ChargePoint:
    await operations.wait_until_projected(position)
    charge_point = await load_charge_point(info.context, charge_point_id)
    if charge_point is None:
        raise GraphQLError("the charge point is not projected yet", extensions={"code": "LAGGING"})
    return charge_point
