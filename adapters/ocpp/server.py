"""The OCPP-J endpoint: `ws://HOST:PORT/ocpp/{chargePointId}` on websockets' asyncio server.

Before the upgrade, in this order (OCPP16.md §2.1): the identity must be registered (404),
its credentials right when it has a key (401), and `ocpp1.6` among the offered subprotocols
(400). Afterwards the newest connection of an identity wins; the older one is closed.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from adapters.ocpp.context import Services
from adapters.ocpp.handlers import router as default_router
from adapters.ocpp.routing import Router
from adapters.ocpp.session import ChargePointSession
from domain.charge_point import ChargePoint
from domain.credentials import KeyVerifier

logger = logging.getLogger(__name__)

SUBPROTOCOL = "ocpp1.6"
PATH_PREFIX = "/ocpp/"
# Generous keepalive: chargers that answer pings late must not be dropped (OCPP16.md T13).
PING_INTERVAL = 120.0
PING_TIMEOUT = 120.0


class OcppServer:
    def __init__(
        self,
        services: Services,
        *,
        call_timeout: float = 30.0,
        accept_unknown: bool = False,
        router: Router = default_router,
    ) -> None:
        self.services = services
        self.call_timeout = call_timeout
        self.accept_unknown = accept_unknown
        self.router = router
        self.sessions: dict[str, ChargePointSession] = {}
        self._identities: dict[ServerConnection, str] = {}
        self._verifier = KeyVerifier()
        self._hashing = ThreadPoolExecutor(max_workers=2, thread_name_prefix="csms-credentials")
        self._server: Server | None = None
        self._closing: set[asyncio.Future[None]] = set()  # referenced until done

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await serve(
            self._handle,
            host,
            port,
            process_request=self._process_request,
            subprotocols=[SUBPROTOCOL],  # type: ignore[list-item]
            compression=None,  # permessage-deflate triples memory per connection (PERF.md §1c)
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
            max_size=2**22,
        )
        address = next(iter(self._server.sockets)).getsockname()
        return address[0], address[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self._hashing.shutdown(wait=False, cancel_futures=True)

    def session(self, charge_point_id: str) -> ChargePointSession | None:
        return self.sessions.get(charge_point_id.casefold())

    # -- before the upgrade -----------------------------------------------------------------

    async def _process_request(
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        path = urlsplit(request.path).path
        identity = unquote(path[len(PATH_PREFIX) :]) if path.startswith(PATH_PREFIX) else ""
        if not identity or "/" in identity:
            return _refuse(connection, HTTPStatus.NOT_FOUND, "use /ocpp/{chargePointId}")
        charge_point = await self._charge_point(identity)
        if charge_point is None:
            logger.info("refused unknown charge point %r", identity)
            return _refuse(connection, HTTPStatus.NOT_FOUND, "unknown charge point")
        if charge_point.key_hashes and not await self._authenticated(request.headers, charge_point):
            logger.warning("refused %r: wrong or missing credentials", identity)
            response = _refuse(connection, HTTPStatus.UNAUTHORIZED, "credentials required")
            response.headers["WWW-Authenticate"] = 'Basic realm="csms", charset="UTF-8"'
            return response
        offered = [
            token.strip()
            for header in request.headers.get_all("Sec-WebSocket-Protocol")
            for token in header.split(",")
        ]
        if SUBPROTOCOL not in offered:
            logger.info("refused %r: subprotocols %r lack %s", identity, offered, SUBPROTOCOL)
            return _refuse(connection, HTTPStatus.BAD_REQUEST, f"offer {SUBPROTOCOL}")
        self._identities[connection] = charge_point.charge_point_id
        return None

    async def _charge_point(self, identity: str) -> ChargePoint | None:
        charge_point = await self.services.read(ChargePoint, ChargePoint.create_id(identity))
        if charge_point is None and self.accept_unknown:
            now = self.services.clock()
            charge_point = await self.services.writer.submit(
                lambda unit: self.services.csms.register_charge_point(unit, identity, (), now)
            )
            logger.info("registered unknown charge point %r on first contact", identity)
        return charge_point

    async def _authenticated(self, headers: Headers, charge_point: ChargePoint) -> bool:
        header = headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).partition(b":")
            name = user.decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        if name.casefold() != charge_point.charge_point_id.casefold():
            return False
        known = self._verifier.known(password, charge_point.key_hashes)
        if known is not None:
            return known
        # PBKDF2 takes tens of milliseconds: never on the loop, and in a pool of its own, so
        # that a storm of wrong passwords cannot hold up the threads that reads use.
        return await asyncio.get_running_loop().run_in_executor(
            self._hashing, self._verifier.verify, password, charge_point.key_hashes
        )

    # -- after the upgrade ------------------------------------------------------------------

    async def _handle(self, connection: ServerConnection) -> None:
        charge_point_id = self._identities.pop(connection)
        # The handshake's request and response (headers and all) are kept by websockets for
        # its users; we are done with them, and they are a fifth of an idle connection.
        if connection.request is not None:
            connection.request = Request(connection.request.path, Headers())
        connection.response = None
        session = ChargePointSession(
            connection,
            charge_point_id,
            self.services,
            self.router,
            call_timeout=self.call_timeout,
        )
        key = charge_point_id.casefold()
        previous = self.sessions.get(key)
        self.sessions[key] = session
        remote = _remote(connection)
        try:
            # Queued ahead of every CALL of this socket (the writer keeps order), but not
            # awaited: a charge point's first Heartbeat or Authorize must not wait for a commit.
            self._record_connect(session, remote)
            if previous is not None:
                session.log.info("a new connection replaces the previous one")
                await previous.close("replaced by a newer connection")
            session.log.info("connected from %s", remote)
            await session.run()
        finally:
            if self.sessions.get(key) is session:
                del self.sessions[key]
            reason = _close_reason(connection)
            await self._record_disconnect(session, reason)
            session.log.info("disconnected (%s)", reason)

    def _record_connect(self, session: ChargePointSession, remote: str | None) -> None:
        services = self.services
        now = services.clock()
        connected = services.writer.enqueue(
            lambda unit: services.csms.connect(
                unit, session.charge_point_id, session.connection_id, now, remote
            )
        )

        def check(done: asyncio.Future[None]) -> None:
            if done.cancelled() or done.exception() is None:
                return
            # Without its Connected event the connection is not in the record: refuse it, as
            # any CALL would be refused while the store fails.
            session.log.error("could not record the connection: %r", done.exception())
            closing = asyncio.ensure_future(
                session.connection.close(1011, "cannot record the connection")
            )
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)

        connected.add_done_callback(check)

    async def _record_disconnect(self, session: ChargePointSession, reason: str) -> None:
        services = self.services
        now = services.clock()
        try:
            await services.writer.submit(
                lambda unit: services.csms.disconnect(
                    unit, session.charge_point_id, session.connection_id, now, reason
                )
            )
        except Exception:
            session.log.exception("could not record the disconnect")


def _refuse(connection: ServerConnection, status: HTTPStatus, text: str) -> Response:
    return connection.respond(status, f"{text}\n")


def _remote(connection: ServerConnection) -> str | None:
    address: Any = connection.remote_address
    if isinstance(address, tuple) and len(address) >= 2:
        return f"{address[0]}:{address[1]}"
    return None


def _close_reason(connection: ServerConnection) -> str:
    code = connection.close_code
    reason = connection.close_reason or ""
    return f"code {code} {reason}".strip() if code is not None else "connection lost"
