"""Basic-auth checks hash passwords off the event loop, once per password."""

from __future__ import annotations

import base64
import threading

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from domain import credentials
from tests.support.server import running_csms


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def status_of(url: str, headers: dict[str, str]) -> int:
    try:
        async with connect(url, subprotocols=["ocpp1.6"], additional_headers=headers):  # type: ignore[list-item]
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_passwords_are_hashed_off_the_loop_and_answers_remembered(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PBKDF2 takes tens of milliseconds: on the loop, every wrong password would stall every
    charge point's socket for that long."""
    hashed_on: list[str] = []
    real = credentials.verify_key

    def recording(key: bytes, key_hash: str) -> bool:
        hashed_on.append(threading.current_thread().name)
        return real(key, key_hash)

    monkeypatch.setattr(credentials, "verify_key", recording)
    async with running_csms(database_url) as csms:
        await csms.register("SECURE", key="s3cret-password-16")
        url = csms.url("SECURE")
        for _ in range(3):
            assert await status_of(url, basic("SECURE", "wrong")) == 401
            assert await status_of(url, basic("SECURE", "s3cret-password-16")) == 101
    assert hashed_on  # the check did hash
    assert threading.main_thread().name not in hashed_on
    assert all(name.startswith("csms-credentials") for name in hashed_on)
    # One hash per stored hash and password, not per connection.
    assert len(hashed_on) <= 2
