"""Target B, the reference: a bare websockets server answering canned CALLRESULTs.

`python echo_server.py --port P` (binds 127.0.0.1 only). Parses each CALL with
orjson and answers a minimal valid CALLRESULT per action; no state, no storage.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from datetime import UTC, datetime

import orjson
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.sysinfo import raise_nofile

ACCEPTED = {"status": "Accepted"}
CANNED: dict[str, dict] = {
    "Authorize": {"idTagInfo": ACCEPTED},
    "StartTransaction": {"transactionId": 1, "idTagInfo": ACCEPTED},
    "StopTransaction": {"idTagInfo": ACCEPTED},
    "StatusNotification": {},
    "MeterValues": {},
    "DataTransfer": {"status": "UnknownVendorId"},
    "DiagnosticsStatusNotification": {},
    "FirmwareStatusNotification": {},
}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reply(raw: bytes) -> bytes:
    try:
        msg = orjson.loads(raw)
        mtype, uid, action = msg[0], msg[1], msg[2]
    except (orjson.JSONDecodeError, IndexError, KeyError, TypeError):
        return orjson.dumps([4, "-1", "FormationViolation", "not an OCPP-J CALL", {}])
    if mtype != 2:
        return b""
    if action == "Heartbeat":
        return orjson.dumps([3, uid, {"currentTime": now()}])
    if action == "BootNotification":
        return orjson.dumps([3, uid, {"status": "Accepted", "currentTime": now(), "interval": 300}])
    payload = CANNED.get(action)
    if payload is None:
        return orjson.dumps([4, uid, "NotImplemented", f"unknown action {action}", {}])
    return orjson.dumps([3, uid, payload])


async def handler(ws: ServerConnection) -> None:
    try:
        while True:
            raw = await ws.recv(decode=False)
            out = reply(raw)
            if out:
                await ws.send(out, text=True)
    except ConnectionClosed:
        pass


async def main(port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        handler,
        "127.0.0.1",
        port,
        compression=None,
        subprotocols=["ocpp1.6"],
        backlog=2048,
    ):
        await stop


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    raise_nofile()
    asyncio.run(main(ap.parse_args().port))
