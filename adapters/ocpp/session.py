"""ChargePointSession: one WebSocket connection of one charge point.

The reader (`run`) only parses frames: responses resolve their waiting `call()`, CALLs go to an
inbox that a worker task drains in order, so business logic never blocks reading. The worker
exists only while there is work, which keeps an idle connection small.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from uuid import uuid4

import orjson
from pydantic import BaseModel, ValidationError
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from adapters.ocpp import v16
from adapters.ocpp.context import CallContext, Services
from adapters.ocpp.errors import BY_CODE as ERRORS_BY_CODE
from adapters.ocpp.errors import InternalError, OcppError, ProtocolError, from_domain
from adapters.ocpp.frames import (
    BadFrame,
    Call,
    CallError,
    CallResult,
    dump_frame,
    parse_frame,
)
from adapters.ocpp.outbound import CallErrorReceived, CallTimedOut, ChargePointOffline
from adapters.ocpp.routing import Route, Router
from domain.central_system import ensure_accepted
from domain.charge_point import ChargePoint
from domain.errors import DomainError, UnknownChargePoint

logger = logging.getLogger(__name__)

BOOT = v16.Action.BOOT_NOTIFICATION.value


class SessionLogger(logging.LoggerAdapter[logging.Logger]):
    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return f"[{self.extra['charge_point_id']}] {msg}", kwargs  # type: ignore[index]


class ChargePointSession:
    def __init__(
        self,
        connection: ServerConnection,
        charge_point_id: str,
        services: Services,
        router: Router,
        *,
        call_timeout: float,
    ) -> None:
        self.connection = connection
        self.charge_point_id = charge_point_id
        self.connection_id = uuid4().hex
        self.services = services
        self.router = router
        self.call_timeout = call_timeout
        self.last_seen = time.time()  # wall clock of the last frame, for `lastSeen`
        self._log: SessionLogger | None = None
        self._aggregate_id = ChargePoint.create_id(charge_point_id)
        # A list, not a deque: it holds one CALL at a time and is a tenth of the size.
        self._inbox: list[tuple[Call, int]] = []
        self._in_flight: set[str] = set()
        # Kept as str: orjson's bytes keep their whole ~4 KiB buffer, per idle connection.
        # (messageId, hash of the CALL, answer) of the last CALL answered.
        self._last_answer: tuple[str, int, str] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[CallResult | CallError]] = {}
        self._call_lock: asyncio.Lock | None = None

    @property
    def log(self) -> SessionLogger:
        if self._log is None:
            self._log = SessionLogger(logger, {"charge_point_id": self.charge_point_id})
        return self._log

    # -- reading ----------------------------------------------------------------------------

    async def run(self) -> None:
        """Read frames until the connection closes; then let queued CALLs finish."""
        try:
            while True:
                raw = await self.connection.recv(decode=False)
                self.last_seen = time.time()
                await self._on_frame(raw)
        except ConnectionClosed:
            pass
        finally:
            self._fail_pending()
            if self._worker is not None:
                await asyncio.shield(self._worker)

    async def _on_frame(self, raw: bytes | str) -> None:
        try:
            frame = parse_frame(raw)
        except BadFrame as bad:
            if bad.unique_id is None:
                self.log.warning("dropped a frame with no messageId to answer: %s", bad)
                return
            self.log.warning("answering %s to a malformed frame", bad.error.code)
            await self._send(_error_frame(bad.unique_id, bad.error))
            return
        if frame is None:
            self.log.debug("ignored a frame of unknown type or shape")
            return
        if isinstance(frame, Call):
            await self._accept_call(frame, hash(raw))
        else:
            self._resolve(frame)

    async def _accept_call(self, call: Call, fingerprint: int) -> None:
        if call.unique_id in self._in_flight:
            duplicate = ProtocolError(f"messageId {call.unique_id!r} is already being processed")
            await self._send(_error_frame(call.unique_id, duplicate))
            return
        last = self._last_answer
        if last is not None and last[0] == call.unique_id and last[1] == fingerprint:
            # The charge point missed our answer and asked again: repeat it, change nothing.
            await self._send(last[2].encode())
            return
        self._in_flight.add(call.unique_id)
        self._inbox.append((call, fingerprint))
        if self._worker is None:
            self._worker = asyncio.create_task(self._work())

    # -- answering CALLs --------------------------------------------------------------------

    async def _work(self) -> None:
        try:
            while self._inbox:
                call, fingerprint = self._inbox.pop(0)
                answer = await self._answer(call)
                self._in_flight.discard(call.unique_id)
                self._last_answer = (call.unique_id, fingerprint, answer.decode())
                await self._send(answer)
        finally:
            self._worker = None

    async def _answer(self, call: Call) -> bytes:
        received_at = self.services.clock()
        if logger.isEnabledFor(logging.DEBUG):
            self.log.debug("CALL %s %s", call.unique_id, call.action)
        try:
            route = self.router.route(call.action)
            # Synchronous when cached: no coroutine on the path of every message.
            if call.action != BOOT and not self._accepted_in_cache():
                await self._ensure_accepted()
            ctx = CallContext(self.charge_point_id, received_at, self.services)
            request = self._validate(route, call.payload, ctx)
            response = await route.handler(ctx, request)
            if ctx.findings:
                await self._record_findings(call, ctx)
            return dump_frame(CallResult(call.unique_id, v16.dump(response)))
        except OcppError as error:
            failure = error
        except DomainError as error:
            failure = from_domain(error)
        except Exception:
            self.log.exception("failed to answer %s %s", call.action, call.unique_id)
            failure = InternalError("the Central System failed to process the request")
        self.log.warning("CALLERROR %s to %s %s", failure.code, call.action, call.unique_id)
        return _error_frame(call.unique_id, failure)

    def _accepted_in_cache(self) -> bool:
        """Whether the cached charge point is Accepted; False: not cached, read it.

        Raises:
            ChargePointNotAccepted: it is cached, and Pending or Rejected.
        """
        charge_point = self.services.cache.peek(self._aggregate_id)
        if not isinstance(charge_point, ChargePoint):
            return False
        ensure_accepted(charge_point)
        return True

    async def _ensure_accepted(self) -> None:
        charge_point = await self.services.read(ChargePoint, self._aggregate_id)
        if charge_point is None:
            raise UnknownChargePoint(self.charge_point_id)
        ensure_accepted(charge_point)

    def _validate(self, route: Route, payload: dict[str, Any], ctx: CallContext) -> BaseModel:
        try:
            return v16.load(route.request_model, payload)
        except ValidationError as error:
            if route.lenient:
                try:
                    request, findings = v16.parse_lenient(route.action, payload)
                except ValidationError:
                    pass
                else:
                    ctx.findings.extend(findings)
                    return request
            code = v16.error_code_for(error)
            raise ERRORS_BY_CODE[code](v16.describe(error)) from None

    async def _record_findings(self, call: Call, ctx: CallContext) -> None:
        findings = tuple(ctx.findings)
        payload = orjson.dumps(call.payload).decode()
        self.log.info("accepted %s with findings: %s", call.action, "; ".join(findings))
        await ctx.record(
            lambda unit: self.services.csms.record_findings(
                unit, self.charge_point_id, call.action, findings, payload, ctx.received_at
            )
        )

    # -- calling the charge point -----------------------------------------------------------

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL and wait for its CALLRESULT (one CALL in flight per connection).

        Raises:
            CallErrorReceived: the charge point answered with a CALLERROR.
            CallTimedOut: no answer within the call timeout.
            ChargePointOffline: the connection closed before an answer.
        """
        if self._call_lock is None:
            self._call_lock = asyncio.Lock()
        async with self._call_lock:
            unique_id = str(uuid4())
            answered: asyncio.Future[CallResult | CallError] = (
                asyncio.get_running_loop().create_future()
            )
            self._pending[unique_id] = answered
            try:
                self.log.debug("CALL %s %s to the charge point", unique_id, action)
                try:
                    await self.connection.send(
                        dump_frame(Call(unique_id, action, payload)), text=True
                    )
                except ConnectionClosed:
                    raise ChargePointOffline(self.charge_point_id, action) from None
                async with asyncio.timeout(self.call_timeout):
                    frame = await answered
            except TimeoutError:
                raise CallTimedOut(self.charge_point_id, action, self.call_timeout) from None
            finally:
                self._pending.pop(unique_id, None)
        if isinstance(frame, CallError):
            raise CallErrorReceived(
                self.charge_point_id, action, frame.code, frame.description, frame.details
            )
        return frame.payload

    def _resolve(self, frame: CallResult | CallError) -> None:
        waiting = self._pending.get(frame.unique_id)
        if waiting is None or waiting.done():
            self.log.info("dropped an answer to no pending call (%s)", frame.unique_id)
            return
        waiting.set_result(frame)

    def _fail_pending(self) -> None:
        for waiting in list(self._pending.values()):
            if not waiting.done():
                waiting.set_exception(ChargePointOffline(self.charge_point_id, "a pending call"))
        self._pending.clear()

    # -- the socket -------------------------------------------------------------------------

    async def _send(self, frame: bytes) -> None:
        try:
            await self.connection.send(frame, text=True)
        except ConnectionClosed:
            self.log.info("connection closed before an answer could be sent")

    async def close(self, reason: str) -> None:
        await self.connection.close(code=1000, reason=reason)
        self._fail_pending()


def _error_frame(unique_id: str, error: OcppError) -> bytes:
    return dump_frame(CallError(unique_id, error.code, error.description, {}))
