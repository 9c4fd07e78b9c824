"""A simulated OCPP 1.6J charge point running the Core flow as a state machine.

No coroutines per charge point: every reply is handled in data_received and the
next CALL is written from there (closed loop) or from a loop.call_at timer (open
loop), which keeps the load generator cheap.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime

import orjson

from benchlib.wsproto import WSClient

SETUP = ("BootNotification", "StatusNotification:0", "StatusNotification:1", "StatusNotification:2")
IDLE_SETUP = ("BootNotification", "Heartbeat")
LOOP = (
    "Authorize",
    "StartTransaction",
    "MeterValues",
    "MeterValues",
    "MeterValues",
    "StopTransaction",
    "Heartbeat",
)
ACTIONS = (
    "BootNotification",
    "StatusNotification",
    "Authorize",
    "StartTransaction",
    "MeterValues",
    "StopTransaction",
    "Heartbeat",
)
MAX_SAMPLES = 20


def id_tag_for(run: str, n: int, id_tags: int) -> str:
    """CP n shares tag n % id_tags (registered as Accepted); id_tags 0: a tag of its own."""
    return f"BT{run}{n % id_tags:04d}" if id_tags else f"BT{run}{n:07d}"


class Clock:
    """An ISO 8601 UTC timestamp refreshed every 100 ms (charge points need no more)."""

    iso = ""

    @classmethod
    def tick(cls) -> None:
        cls.iso = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Stats:
    """Shared by all charge points of one phase."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.recording = False  # latencies of loop messages go to `lat` while True
        self.stop_sending = False
        self.cap_reached: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.lat: dict[str, list[float]] = {a: [] for a in ACTIONS}
        self.setup_lat: dict[str, list[float]] = {a: [] for a in ACTIONS}
        # Latencies by the second (perf_counter) their CALL was due: a burst or a steady tail?
        self.by_second: dict[int, list[float]] = {}
        self.window_results = 0
        self.total_calls = 0  # CALLs sent, any phase
        self.total_answers = 0  # CALLRESULT + CALLERROR received, any phase
        self.answered: Counter[str] = Counter()  # CALLRESULTs per action, any phase
        self.callerrors: Counter[str] = Counter()  # "Action code"
        self.violations: Counter[str] = Counter()
        self.samples: dict[str, str] = {}
        self.server_calls: Counter[str] = Counter()
        self.boot_status: Counter[str] = Counter()
        self.idtag_status: Counter[str] = Counter()
        self.lost: Counter[str] = Counter()
        self.tx_ids: set[int] = set()
        self.starts = 0

    def sample(self, key: str, text: str) -> None:
        if key not in self.samples and len(self.samples) < MAX_SAMPLES:
            self.samples[key] = text[:300]


class ChargePoint(WSClient):
    def __init__(
        self, host: str, port: int, path: str, identity: str, n: int, id_tag: str, stats: Stats
    ):
        super().__init__(host, port, path + identity)
        self.identity, self.n, self.stats = identity, n, stats
        self.loop = asyncio.get_running_loop()
        self.ready: asyncio.Future[None] = self.loop.create_future()
        self.setup: tuple[str, ...] = SETUP
        self.in_setup = True
        self.step = 0
        self.seq = 0
        self.tx: int | None = None
        self.meter = 10_000 + n * 7  # Wh, monotonic register
        self.id_tag = id_tag
        self.outstanding: tuple[str, str, float] | None = None  # (uid, action, t_ref)
        # open loop
        self.open = False
        self.next_due = 0.0
        self.interval = 0.0
        self.t_end = 0.0

    # -- flow ------------------------------------------------------------------
    def on_open(self) -> None:
        self.send_next(time.perf_counter())

    def go_closed(self, first_step: int = 0) -> None:
        self.begin_at(first_step)
        self.send_next(time.perf_counter())

    def go_open(self, first_due: float, interval: float, t_end: float, first_step: int = 0) -> None:
        self.begin_at(first_step)
        self.open = True
        self.interval, self.t_end = interval, t_end
        self.schedule(first_due)

    def begin_at(self, step: int) -> None:
        """Enter the loop at `step` of LOOP; a stop with no transaction to stop is skipped."""
        self.in_setup = False
        self.step = step % len(LOOP)
        if LOOP[self.step] == "StopTransaction" and self.tx is None:
            self.step += 1

    def schedule(self, due: float) -> None:
        """Open loop: the next CALL is due at `due` (perf_counter time).

        Only called while nothing is outstanding; a CALL whose due time passed while
        the previous reply was late goes out at once, its latency still counted
        from its due time (no coordinated omission).
        """
        if due >= self.t_end or self.stats.stop_sending or not self.is_open:
            return
        self.next_due = due
        delay = due - time.perf_counter()
        if delay <= 0:
            self.send_next(due)
        else:
            self.loop.call_later(delay, self._due)

    def _due(self) -> None:
        if self.outstanding is None:
            self.send_next(self.next_due)

    def action_and_payload(self) -> tuple[str, dict]:
        ts = Clock.iso
        name = self.setup[self.step] if self.in_setup else LOOP[self.step]
        action, _, conn = name.partition(":")
        if action == "BootNotification":
            return action, {
                "chargePointVendor": "BenchVendor",
                "chargePointModel": "BenchModel",
                "chargePointSerialNumber": self.identity[-25:],
                "firmwareVersion": "1.0.0",
            }
        if action == "StatusNotification":
            return action, {
                "connectorId": int(conn),
                "errorCode": "NoError",
                "status": "Available",
                "timestamp": ts,
            }
        if action == "Heartbeat":
            return action, {}
        if action == "Authorize":
            return action, {"idTag": self.id_tag}
        if action == "StartTransaction":
            return action, {
                "connectorId": 1,
                "idTag": self.id_tag,
                "meterStart": self.meter,
                "timestamp": ts,
            }
        if action == "MeterValues":
            self.meter += 250
            payload: dict = {
                "connectorId": 1,
                "meterValue": [
                    {
                        "timestamp": ts,
                        "sampledValue": [
                            {
                                "value": str(self.meter),
                                "context": "Sample.Periodic",
                                "measurand": "Energy.Active.Import.Register",
                                "location": "Outlet",
                                "unit": "Wh",
                            }
                        ],
                    }
                ],
            }
            if self.tx is not None:
                payload["transactionId"] = self.tx
            return action, payload
        # StopTransaction
        self.meter += 100
        return action, {
            "transactionId": self.tx if self.tx is not None else -1,
            "idTag": self.id_tag,
            "meterStop": self.meter,
            "timestamp": ts,
            "reason": "Local",
        }

    def send_next(self, t_ref: float) -> None:
        if not self.is_open or self.closing:
            return
        if not self.in_setup and self.stats.stop_sending:
            return
        action, payload = self.action_and_payload()
        self.seq += 1
        uid = str(self.seq)
        self.outstanding = (uid, action, t_ref)
        self.stats.total_calls += 1
        self.send_text(orjson.dumps([2, uid, action, payload]))

    def advance(self, t_ref: float) -> None:
        if self.in_setup:
            self.step += 1
            if self.step >= len(self.setup):
                self.step = 0
                if not self.ready.done():
                    self.ready.set_result(None)
                return
            self.send_next(time.perf_counter())
            return
        self.step = (self.step + 1) % len(LOOP)
        if self.open:
            self.schedule(t_ref + self.interval)
        else:
            self.send_next(time.perf_counter())

    # -- replies ---------------------------------------------------------------
    def on_message(self, payload: bytes) -> None:
        now = time.perf_counter()
        st = self.stats
        try:
            msg = orjson.loads(payload)
        except orjson.JSONDecodeError:
            st.violations["invalid JSON"] += 1
            st.sample("invalid JSON", repr(payload[:200]))
            return
        if not isinstance(msg, list) or len(msg) < 3:
            st.violations["not an OCPP-J array"] += 1
            st.sample("not an OCPP-J array", repr(payload[:200]))
            return
        mtype = msg[0]
        if mtype == 2:
            self.answer_server_call(msg)
            return
        out = self.outstanding
        if out is None or msg[1] != out[0]:
            st.violations["reply with unknown id"] += 1
            st.sample("reply with unknown id", f"expected {out}, got {payload[:200]!r}")
            return
        _uid, action, t_ref = out
        if mtype == 4:
            code = msg[2] if len(msg) > 2 else "?"
            key = f"{action} {code}"
            st.callerrors[key] += 1
            st.sample("CALLERROR " + key, payload.decode("utf-8", "replace"))
            if action == "StartTransaction":
                self.tx = None
        elif mtype == 3:
            st.answered[action] += 1
            self.check_result(action, msg[2], payload)
        else:
            st.violations[f"message type {mtype!r}"] += 1
            st.sample(f"message type {mtype!r}", repr(payload[:200]))
            return
        self.outstanding = None
        st.total_answers += 1
        if self.in_setup:
            st.setup_lat[action].append(now - t_ref)
        elif st.recording:
            st.lat[action].append(now - t_ref)
            st.by_second.setdefault(int(t_ref), []).append(now - t_ref)
            st.window_results += 1
            if st.window_results >= st.cap and not st.cap_reached.done():
                st.stop_sending = True
                st.cap_reached.set_result(None)
        if mtype == 4 and action == "StartTransaction" and not self.in_setup:
            self.step = LOOP.index("Heartbeat") - 1  # no transaction: skip to Heartbeat
        self.advance(t_ref)

    def check_result(self, action: str, res: object, raw: bytes) -> None:
        st = self.stats
        bad = None
        if not isinstance(res, dict):
            bad = "payload not an object"
        elif action == "BootNotification":
            st.boot_status[str(res.get("status"))] += 1
            if not isinstance(res.get("interval"), int) or not isinstance(
                res.get("currentTime"), str
            ):
                bad = "interval/currentTime"
        elif action in ("Authorize", "StartTransaction"):
            info = res.get("idTagInfo")
            status = info.get("status") if isinstance(info, dict) else None
            st.idtag_status[f"{action} {status}"] += 1
            if status is None:
                bad = "idTagInfo.status missing"
            if action == "StartTransaction":
                tx = res.get("transactionId")
                st.starts += 1
                if isinstance(tx, int) and not isinstance(tx, bool):
                    self.tx = tx
                    st.tx_ids.add(tx)
                else:
                    self.tx = None
                    bad = "transactionId not an integer"
        elif action == "Heartbeat" and not isinstance(res.get("currentTime"), str):
            bad = "currentTime missing"
        if bad:
            key = f"invalid {action} result: {bad}"
            st.violations[key] += 1
            st.sample(key, raw.decode("utf-8", "replace"))

    def answer_server_call(self, msg: list) -> None:
        st = self.stats
        action = msg[2] if len(msg) > 2 else "?"
        st.server_calls[str(action)] += 1
        uid = msg[1]
        if action == "GetConfiguration":
            reply: list = [3, uid, {"configurationKey": []}]
        elif action == "ChangeConfiguration":
            reply = [3, uid, {"status": "Accepted"}]
        elif action == "TriggerMessage":
            reply = [3, uid, {"status": "Rejected"}]
        elif action == "DataTransfer":
            reply = [3, uid, {"status": "UnknownVendorId"}]
        else:
            reply = [4, uid, "NotSupported", "bench charge point", {}]
        self.send_text(orjson.dumps(reply))

    def on_lost(self, exc: Exception | None) -> None:
        if not self.we_closed:
            why = f"code {self.close_code} {self.close_reason!r}" if self.close_code else repr(exc)
            self.stats.lost[why[:120]] += 1
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("lost during setup"))
