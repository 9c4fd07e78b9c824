"""Load-generator process: `python loadgen.py '<json config>'`.

Talks to the orchestrator with JSON lines: it prints {"event": "ready", ...} once
its charge points are connected and set up, waits for a "go" line on stdin,
runs the phase and prints {"event": "window_end"} and then {"event": "result", ...}.

Phases (config "mode"):
  closed  every charge point sends its next CALL as soon as the previous reply came
  open    a fixed total rate, spread evenly over the charge points
  idle    connect, BootNotification + Heartbeat, then hold the connections silently

With "raw_latency": true the result also carries every latency in µs
(latency_raw_us, setup_latency_raw_us), for pooling percentiles over phases; with
"by_second_raw": true, the window's latencies in µs by the second their CALL was due
(latency_by_second_raw_us).
"""

from __future__ import annotations

import asyncio
import math
import os
import resource
import sys
import time

import orjson

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.chargepoint import IDLE_SETUP, LOOP, ChargePoint, Clock, Stats, id_tag_for
from benchlib.sysinfo import raise_nofile


def emit(obj: dict) -> None:
    sys.stdout.write(orjson.dumps(obj).decode() + "\n")
    sys.stdout.flush()


def percentiles(values: list[float], to_ms: float = 1000) -> dict:
    """p50/p95/p99/max in ms of latencies in seconds (or, with to_ms=0.001, in µs)."""
    if not values:
        return {"n": 0}
    v = sorted(values)
    n = len(v)

    def q(p: float) -> float:
        return round(v[min(n - 1, max(0, math.ceil(p * n) - 1))] * to_ms, 3)

    return {"n": n, "p50": q(0.50), "p95": q(0.95), "p99": q(0.99), "max": q(1.0)}


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def wait_go(loop: asyncio.AbstractEventLoop) -> str:
    fut: asyncio.Future[str] = loop.create_future()
    fd = sys.stdin.fileno()

    def readable() -> None:
        line = os.read(fd, 4096).decode().strip()
        if not fut.done():
            fut.set_result(line or "eof")

    loop.add_reader(fd, readable)
    try:
        return await fut
    finally:
        loop.remove_reader(fd)


async def connect_all(cfg: dict, stats: Stats) -> tuple[list[ChargePoint], dict]:
    loop = asyncio.get_running_loop()
    host, port, path = cfg["host"], cfg["port"], cfg["path"]
    sem = asyncio.Semaphore(cfg.get("connect_concurrency", 200))
    errors: dict[str, int] = {}
    cps: list[ChargePoint] = []
    timeout = cfg.get("connect_timeout", 30.0)

    def note(kind: str, exc: BaseException) -> None:
        key = f"{kind}: {type(exc).__name__}: {exc}"[:200]
        errors[key] = errors.get(key, 0) + 1

    async def one(n: int) -> None:
        identity = f"BENCH-{cfg['run']}-{n}"
        tag = id_tag_for(cfg["run"], n, cfg.get("id_tags", 0))
        cp = ChargePoint(host, port, path, identity, n, tag, stats)
        if cfg["mode"] == "idle":
            cp.setup = IDLE_SETUP
        async with sem:
            try:
                await asyncio.wait_for(loop.create_connection(lambda: cp, host, port), timeout)
                await asyncio.wait_for(asyncio.shield(cp.opened), timeout)
            except Exception as exc:  # OSError, TimeoutError, HandshakeError
                note("connect", exc)
                cp.abort()
                return
        try:
            await asyncio.wait_for(asyncio.shield(cp.ready), cfg.get("setup_timeout", 120.0))
        except (TimeoutError, ConnectionError) as exc:
            note("setup", exc)
            cp.abort()
            return
        cps.append(cp)

    t0 = time.perf_counter()
    first = cfg["first_id"]
    await asyncio.gather(*(one(first + i) for i in range(cfg["charge_points"])))
    return cps, {"connect_errors": errors, "setup_s": round(time.perf_counter() - t0, 3)}


async def close_all(cps: list[ChargePoint], timeout: float = 10.0) -> int:
    for cp in cps:
        cp.start_close()
    pending = [cp.closed for cp in cps if not cp.closed.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)
    stuck = 0
    for cp in cps:
        if not cp.closed.done():
            stuck += 1
            cp.abort()
    return stuck


async def drain(cps: list[ChargePoint], timeout: float) -> int:
    """Wait for outstanding replies; returns how many never came."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not any(cp.outstanding and cp.is_open for cp in cps):
            return 0
        await asyncio.sleep(0.02)
    return sum(1 for cp in cps if cp.outstanding and cp.is_open)


def raw_us(lat: dict[str, list[float]]) -> dict[str, list[int]]:
    """Latencies in whole µs, so that the orchestrator can pool several phases."""
    return {a: [round(x * 1e6) for x in v] for a, v in lat.items() if v}


def first_step(cfg: dict, i: int) -> int:
    """Where charge point i enters the loop. Staggered by default, as independent charge
    points are: in lockstep, all of them send the same action within the same fraction of a
    second (e.g. 1,000 StartTransactions in 0.3 s of the open loop), a herd, not the mix."""
    return 0 if cfg.get("lockstep") else i % len(LOOP)


def summary(
    stats: Stats, cps: list[ChargePoint], raw: bool = False, by_second: bool = False
) -> dict:
    lat = {a: percentiles(v) for a, v in stats.lat.items() if v}
    everything = [x for v in stats.lat.values() for x in v]
    extra = {}
    if raw:
        extra = {
            "latency_raw_us": raw_us(stats.lat),
            "setup_latency_raw_us": raw_us(stats.setup_lat),
        }
    if by_second:
        extra["latency_by_second_raw_us"] = {str(k): v for k, v in raw_us(stats.by_second).items()}
    return {
        **extra,
        "latency_ms": lat,
        "latency_all_ms": percentiles(everything),
        "p99_by_second_ms": [
            percentiles(stats.by_second[k])["p99"] for k in sorted(stats.by_second)
        ],
        "setup_latency_ms": {a: percentiles(v) for a, v in stats.setup_lat.items() if v},
        "window_results": stats.window_results,
        "total_calls": stats.total_calls,
        "total_answers": stats.total_answers,
        "answered": dict(stats.answered),
        "callerrors": dict(stats.callerrors),
        "callerror_total": sum(stats.callerrors.values()),
        "violations": dict(stats.violations),
        "samples": stats.samples,
        "server_calls": dict(stats.server_calls),
        "boot_status": dict(stats.boot_status),
        "idtag_status": dict(stats.idtag_status),
        "connections_lost": dict(stats.lost),
        "starts": stats.starts,
        "distinct_tx_ids": len(stats.tx_ids),
        "ready": len(cps),
    }


async def main(cfg: dict) -> None:
    loop = asyncio.get_running_loop()
    Clock.tick()

    def ticker() -> None:
        Clock.tick()
        loop.call_later(0.1, ticker)

    loop.call_later(0.1, ticker)
    stats = Stats(cfg.get("max_messages", 10**9))
    cps, info = await connect_all(cfg, stats)
    emit({"event": "ready", "ready": len(cps), **info})
    if await wait_go(loop) != "go":
        await close_all(cps, 2.0)
        return
    mode = cfg["mode"]
    res: dict = {"mode": mode}
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    if mode == "closed":
        stats.recording = True
        for i, cp in enumerate(cps):
            cp.go_closed(first_step(cfg, i))
        try:
            await asyncio.wait_for(asyncio.shield(stats.cap_reached), cfg["duration"])
            res["stopped_by"] = "message cap"
        except TimeoutError:
            res["stopped_by"] = "duration"
        t1 = time.perf_counter()
        stats.recording = False
        stats.stop_sending = True
        emit({"event": "window_end"})
        res["window_s"] = t1 - t0
        res["client_cpu_s"] = cpu_seconds() - c0
        res["unanswered"] = await drain(cps, 10.0)
    elif mode == "open":
        rate, n = cfg["rate"], max(1, len(cps))
        interval = n / rate
        start = t0 + 0.05
        t_end = start + cfg["duration"]
        stats.recording = True
        for i, cp in enumerate(cps):
            cp.go_open(start + i / rate, interval, t_end, first_step(cfg, i))
        await asyncio.sleep(max(0.0, t_end - time.perf_counter()))
        res["unanswered"] = await drain(cps, cfg.get("drain_timeout", 10.0))
        t1 = time.perf_counter()
        stats.recording = False
        emit({"event": "window_end"})
        res["window_s"] = t1 - t0
        res["scheduled_s"] = cfg["duration"]
        res["client_cpu_s"] = cpu_seconds() - c0
        res["target_rate"] = rate
    res.update(summary(stats, cps, cfg.get("raw_latency", False), cfg.get("by_second_raw", False)))
    res["close_stuck"] = await close_all(cps)
    emit({"event": "result", **res})


if __name__ == "__main__":
    config = orjson.loads(sys.argv[1])
    raise_nofile()
    if config.get("cpu") is not None:
        os.sched_setaffinity(0, {config["cpu"]})
    asyncio.run(main(config))
