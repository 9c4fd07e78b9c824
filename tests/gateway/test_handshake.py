"""Before the upgrade: identity (404), credentials (401), subprotocol (400), in that order."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.server import RunningCsms, running_csms


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def status_of(url: str, subprotocols: list[str] | None, **kwargs: object) -> int:
    try:
        async with connect(url, subprotocols=subprotocols, **kwargs) as connection:  # type: ignore[arg-type]
            assert connection.subprotocol == "ocpp1.6"
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


@pytest.fixture
async def csms(database_url: str) -> AsyncIterator[RunningCsms]:
    async with running_csms(database_url) as running:
        await running.register("CP 1")
        await running.register("SECURE", key="s3cret-password-16")
        yield running


async def test_unknown_identity_is_404(csms: RunningCsms) -> None:
    """An identity nobody registered is refused before the upgrade."""
    assert await status_of(csms.url("NOBODY"), ["ocpp1.6"]) == 404


async def test_identity_is_percent_decoded_and_case_insensitive(csms: RunningCsms) -> None:
    """`/ocpp/cp%201` reaches the charge point registered as `CP 1`."""
    assert await status_of(csms.url("cp 1"), ["ocpp1.6"]) == 101


async def test_subprotocol_negotiation(csms: RunningCsms) -> None:
    """Only ocpp0.1 or nothing: 400; ocpp0.1 and ocpp1.6: upgraded with ocpp1.6 (TC_088)."""
    assert await status_of(csms.url("CP 1"), ["ocpp0.1"]) == 400
    assert await status_of(csms.url("CP 1"), None) == 400
    assert await status_of(csms.url("CP 1"), ["ocpp0.1", "ocpp1.6"]) == 101


async def test_credentials(csms: RunningCsms) -> None:
    """A charge point with a key must present it: missing or wrong gets 401."""
    url = csms.url("SECURE")
    assert await status_of(url, ["ocpp1.6"]) == 401
    headers = basic("SECURE", "wrong")
    assert await status_of(url, ["ocpp1.6"], additional_headers=headers) == 401
    headers = basic("OTHER", "s3cret-password-16")
    assert await status_of(url, ["ocpp1.6"], additional_headers=headers) == 401
    headers = basic("secure", "s3cret-password-16")
    assert await status_of(url, ["ocpp1.6"], additional_headers=headers) == 101


async def test_checks_run_in_order(csms: RunningCsms) -> None:
    """Identity before credentials before subprotocol."""
    assert await status_of(csms.url("NOBODY"), ["ocpp0.1"]) == 404
    assert await status_of(csms.url("SECURE"), ["ocpp0.1"]) == 401


async def test_unknown_identity_is_registered_when_auto_accept_is_on(database_url: str) -> None:
    """With auto-accept, first contact registers the charge point."""
    async with running_csms(database_url, accept_unknown=True) as csms:
        assert await status_of(csms.url("NEWCOMER"), ["ocpp1.6"]) == 101
        await csms.wait_for("ChargePoint.Disconnected")
        assert csms.event_names()[:2] == ["ChargePoint.Registered", "ChargePoint.Connected"]
