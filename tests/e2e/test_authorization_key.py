"""ChangeConfiguration(AuthorizationKey) rotates the Basic-auth password once Accepted (T22)."""

from __future__ import annotations

import base64

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.charge_point import ocpp_charge_point
from tests.support.server import RunningCsms, running_csms

OLD = "old-password-0123"
NEW = "new-secret-key-4567"
NEW_HEX = NEW.encode().hex()
ROTATE = """
mutation($cp: ID!, $v: String!) {
  changeConfiguration(chargePointId: $cp, key: "AuthorizationKey", value: $v) { status }
}"""


def auth(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def handshake(csms: RunningCsms, password: str) -> int:
    try:
        async with connect(
            csms.url("SECURE"),
            subprotocols=["ocpp1.6"],
            additional_headers=auth("SECURE", password),  # type: ignore[list-item]
        ):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_rotation_after_accepted_and_never_in_clear(database_url: str) -> None:
    """Accepted: the decoded key and its hex text work, the old one not; nothing in clear."""
    async with running_csms(database_url, api=True) as csms:
        await csms.register("SECURE", key=OLD)
        async with ocpp_charge_point(
            csms.url("SECURE"), "SECURE", additional_headers=auth("SECURE", OLD)
        ) as cp:
            data = await csms.ok(ROTATE, cp="SECURE", v=NEW_HEX)
            assert data["changeConfiguration"]["status"] == "ACCEPTED"
            assert await cp.next_call("ChangeConfiguration") == {
                "key": "AuthorizationKey",
                "value": NEW_HEX,
            }
        assert await handshake(csms, NEW) == 101
        assert await handshake(csms, NEW_HEX) == 101
        assert await handshake(csms, OLD) == 401
        shown = await csms.ok('query { chargePoint(id: "SECURE") { configuration { key value } } }')
        assert shown["chargePoint"]["configuration"] == []
        stored = csms.runtime.app.recorder.select_notifications(start=1, limit=10_000)
        for notification in stored:
            assert NEW_HEX.encode() not in notification.state
            assert NEW.encode() not in notification.state
            assert OLD.encode() not in notification.state


async def test_rejected_keeps_the_old_key(database_url: str) -> None:
    """Rejected: the old password stays the only one."""
    async with running_csms(database_url, api=True) as csms:
        await csms.register("SECURE", key=OLD)
        async with ocpp_charge_point(
            csms.url("SECURE"), "SECURE", additional_headers=auth("SECURE", OLD)
        ) as cp:
            cp.answers["ChangeConfiguration"] = {"status": "Rejected"}
            data = await csms.ok(ROTATE, cp="SECURE", v=NEW_HEX)
            assert data["changeConfiguration"]["status"] == "REJECTED"
        assert await handshake(csms, OLD) == 101
        assert await handshake(csms, NEW) == 401
