"""Operators register charge points and id tags through GraphQL; what they set is what charge
points meet, and the mutation's result already shows it."""

from __future__ import annotations

import base64

from ocpp.v16 import call
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.charge_point import ocpp_charge_point
from tests.support.server import running_csms

REGISTER = """
mutation($id: ID!, $key: String) {
  registerChargePoint(id: $id, authorizationKey: $key) { id registrationStatus connected }
}"""
SET_TAG = """
mutation($tag: String!, $status: AuthorizationStatus!, $expiry: DateTime, $parent: String) {
  setIdTag(idTag: $tag, status: $status, expiryDate: $expiry, parentIdTag: $parent) {
    idTag status expiryDate parentIdTag
  }
}"""
SET_STATUS = """
mutation($id: ID!, $status: RegistrationStatus!) {
  setRegistrationStatus(chargePointId: $id, status: $status) { id registrationStatus }
}"""


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def status_code(url: str, **kwargs: object) -> int:
    try:
        async with connect(url, subprotocols=["ocpp1.6"], **kwargs):  # type: ignore[arg-type, list-item]
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_register_then_update_the_key(database_url: str) -> None:
    """Registering returns the charge point; registering again changes its key, never fails."""
    async with running_csms(database_url, api=True) as csms:
        data = await csms.ok(REGISTER, id="CP-NEW", key="first-password-1")
        assert data["registerChargePoint"] == {
            "id": "CP-NEW",
            "registrationStatus": "ACCEPTED",
            "connected": False,
        }
        assert (
            await status_code(
                csms.url("CP-NEW"), additional_headers=basic("CP-NEW", "first-password-1")
            )
            == 101
        )
        await csms.ok(REGISTER, id="cp-new", key="second-password-2")
        url = csms.url("CP-NEW")
        assert await status_code(url, additional_headers=basic("CP-NEW", "first-password-1")) == 401
        assert (
            await status_code(url, additional_headers=basic("CP-NEW", "second-password-2")) == 101
        )


async def test_bad_arguments_name_the_field(database_url: str) -> None:
    """Empty ids, ids with '/', over-long tags are refused with BAD_USER_INPUT."""
    async with running_csms(database_url, api=True) as csms:
        for query, variables, field in (
            (REGISTER, {"id": ""}, "id"),
            (REGISTER, {"id": "a/b"}, "id"),
            (SET_TAG, {"tag": "T" * 21, "status": "ACCEPTED"}, "idTag"),
            (SET_TAG, {"tag": "T", "status": "ACCEPTED", "parent": "P" * 21}, "parentIdTag"),
            (SET_TAG, {"tag": "T", "status": "CONCURRENT_TX"}, "status"),
        ):
            result = await csms.graphql(query, **variables)
            assert result.errors is not None, (query, variables)
            assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "field": field}
        result = await csms.graphql(SET_STATUS, id="NOBODY", status="PENDING")
        assert result.errors is not None
        assert result.errors[0].extensions["code"] == "NOT_FOUND"


async def test_id_tags_answer_authorize(database_url: str) -> None:
    """setIdTag returns the tag; Authorize answers what it set, parent and expiry included."""
    async with running_csms(database_url, api=True) as csms:
        await csms.register("CP-T")
        data = await csms.ok(
            SET_TAG, tag="Card-7", status="ACCEPTED", expiry="2030-01-01T00:00:00Z", parent="FLEET"
        )
        assert data["setIdTag"] == {
            "idTag": "Card-7",
            "status": "ACCEPTED",
            "expiryDate": "2030-01-01T00:00:00+00:00",
            "parentIdTag": "FLEET",
        }
        await csms.ok(SET_TAG, tag="LOST", status="BLOCKED")
        async with ocpp_charge_point(csms.url("CP-T"), "CP-T") as cp:
            card = (await cp.call(call.Authorize(id_tag="card-7"))).id_tag_info
            assert card == {
                "status": "Accepted",
                "expiry_date": "2030-01-01T00:00:00Z",
                "parent_id_tag": "FLEET",
            }
            lost = (await cp.call(call.Authorize(id_tag="LOST"))).id_tag_info
            assert lost["status"] == "Blocked"


async def test_registration_status_is_what_boot_answers(database_url: str) -> None:
    """Pending: Boot answers Pending and other requests get SecurityError; Accepted again: all."""
    async with running_csms(database_url, api=True) as csms:
        await csms.register("CP-P")
        data = await csms.ok(SET_STATUS, id="CP-P", status="PENDING")
        assert data["setRegistrationStatus"]["registrationStatus"] == "PENDING"
        async with ocpp_charge_point(csms.url("CP-P"), "CP-P") as cp:
            boot = await cp.call(
                call.BootNotification(charge_point_model="M", charge_point_vendor="V")
            )
            assert boot.status == "Pending"
            await csms.ok(SET_STATUS, id="CP-P", status="ACCEPTED")
            boot = await cp.call(
                call.BootNotification(charge_point_model="M", charge_point_vendor="V")
            )
            assert boot.status == "Accepted"
            assert (await cp.call(call.Heartbeat())).current_time.endswith("Z")
