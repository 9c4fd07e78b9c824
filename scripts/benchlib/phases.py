"""Running one load-generator process per phase and measuring the server around it."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from benchlib.diskprobe import DiskProbe, by_disk
from benchlib.sysinfo import cpu_of, die_with_parent, tree_cpu, tree_rss_kb, wait_quiet

LOADGEN = Path(__file__).resolve().parent / "loadgen.py"


class LoadClient:
    registry: list[LoadClient] = []

    def __init__(self, cfg: dict, log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in finish()
        self.proc = subprocess.Popen(
            [sys.executable, str(LOADGEN), orjson.dumps(cfg).decode()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - single-threaded here
        )
        self._buf = b""
        LoadClient.registry.append(self)

    def expect(self, event: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self._buf:
                line, self._buf = self._buf.split(b"\n", 1)
                try:
                    msg = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if msg.get("event") == event:
                    return msg
            left = deadline - time.monotonic()
            if left <= 0:
                msg = f"load generator: no {event!r} within {timeout:.0f} s"
                raise TimeoutError(msg)
            r, _, _ = select.select([fd], [], [], min(left, 1.0))
            if r:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    rc = self.proc.wait(5)
                    self.log.flush()
                    tail = self.log_path.read_text("utf-8", "replace").strip().splitlines()[-3:]
                    msg = f"load generator exited ({rc}) before {event!r}: {' | '.join(tail)}"
                    raise RuntimeError(msg)
                self._buf += chunk

    def send(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 30.0) -> None:
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 9)
            self.proc.wait(5)

    @classmethod
    def kill_all(cls) -> None:
        for c in cls.registry:
            c.kill()


class Meter:
    """Server (process tree) CPU, plus PostgreSQL backend CPU when pg_pids is given."""

    def __init__(
        self,
        pid: int,
        pg_pids: Callable[[], list[int]] | None = None,
        disk_dir: Path | None = None,
    ) -> None:
        self.pid, self.pg_pids_fn = pid, pg_pids
        self.pg_pids: list[int] = []
        self.t0 = self.c0 = self.p0 = 0.0
        self.probe = DiskProbe(disk_dir) if disk_dir else None

    def start(self) -> None:
        if self.probe:
            self.probe.start()
        self.pg_pids = self.pg_pids_fn() if self.pg_pids_fn else []
        self.p0 = cpu_of(self.pg_pids)
        self.t0, self.c0 = time.monotonic(), tree_cpu(self.pid)

    def stop(self) -> dict:
        t1, c1 = time.monotonic(), tree_cpu(self.pid)
        out = {"wall_s": t1 - self.t0, "server_cpu_s": c1 - self.c0}
        if self.pg_pids_fn:
            out["pg_cpu_s"] = cpu_of(self.pg_pids) - self.p0
            out["pg_backends"] = len(self.pg_pids)
        if self.probe:
            out |= self.probe.stop()
        return out


def base_cfg(ctx: dict, mode: str, first_id: int, count: int) -> dict:
    return {
        "mode": mode,
        "host": "127.0.0.1",
        "port": ctx["port"],
        "path": ctx["path"],
        "run": ctx["run"],
        "first_id": first_id,
        "charge_points": count,
        "cpu": ctx["client_cpu"],
        "max_messages": ctx["max_messages"],
        "setup_timeout": ctx["setup_timeout"],
        "id_tags": ctx["id_tags"],
        "lockstep": ctx.get("lockstep", False),
    }


def idle_phase(ctx: dict, server_pid: int, count: int, first_id: int) -> dict:
    wait_quiet(server_pid)
    rss0 = tree_rss_kb(server_pid)
    client = LoadClient(base_cfg(ctx, "idle", first_id, count), ctx["client_log"])
    try:
        ready = client.expect("ready", ctx["setup_timeout"] + 60)
        wait_quiet(server_pid, limit=10.0)
        rss1 = tree_rss_kb(server_pid)
        meter = Meter(server_pid)
        meter.start()
        time.sleep(2.0)
        hold = meter.stop()
        client.send("go")
        result = client.expect("result", 60)
    except BaseException:
        client.kill()
        raise
    finally:
        client.finish()
    n = ready["ready"]
    return {
        "connections": n,
        "requested": count,
        "setup_s": ready["setup_s"],
        "connect_errors": ready["connect_errors"],
        "rss_before_kb": rss0,
        "rss_after_kb": rss1,
        "rss_per_conn_kb": round((rss1 - rss0) / n, 2) if n else None,
        "hold_cpu_pct": round(100 * hold["server_cpu_s"] / hold["wall_s"], 1),
        **{k: result[k] for k in RESULT_KEYS if k in result},
    }


RESULT_KEYS = (
    "latency_ms",
    "latency_all_ms",
    "p99_by_second_ms",
    "setup_latency_ms",
    "window_results",
    "total_calls",
    "total_answers",
    "answered",
    "callerrors",
    "callerror_total",
    "violations",
    "samples",
    "server_calls",
    "boot_status",
    "idtag_status",
    "connections_lost",
    "starts",
    "distinct_tx_ids",
    "unanswered",
    "close_stuck",
    "window_s",
    "client_cpu_s",
    "stopped_by",
    "target_rate",
    "scheduled_s",
    "latency_raw_us",
    "setup_latency_raw_us",
)


def load_phase(
    ctx: dict,
    server_pid: int,
    mode: str,
    extra: dict,
    pg=None,
    canary_fn: Callable[[], float] | None = None,
    other_pids: Sequence[int] = (),
    disk_dir: Path | None = None,
) -> dict:
    """A closed- or open-loop phase over the same N charge points.

    With canary_fn, the CPU canary is taken right before the window (the charge
    points connected and set up, the server quiet) and right after it (the load
    generator gone, the server quiet again): canary_before_ms / canary_after_ms.
    other_pids: the other servers that are kept running; the phase waits for them to
    be quiet too, and reports their CPU during the window (other_servers_cpu_s).
    disk_dir: probe the disk there during the window (benchlib.diskprobe).
    """
    for pid in other_pids:
        wait_quiet(pid)
    wait_quiet(server_pid)
    cfg = base_cfg(ctx, mode, 1, ctx["charge_points"]) | extra
    client = LoadClient(cfg, ctx["client_log"])
    meter = Meter(server_pid, pg, disk_dir)
    canaries: dict = {}
    try:
        ready = client.expect("ready", ctx["setup_timeout"] + 60)
        # The setup (every charge point connecting and booting at once) leaves work behind,
        # the read models' rows for one; the window measures the load it sends, not that.
        wait_quiet(server_pid, limit=5.0)
        if canary_fn:
            canaries["canary_before_ms"] = canary_fn()
        others0 = sum(tree_cpu(pid) for pid in other_pids)
        meter.start()
        client.send("go")
        client.expect("window_end", cfg["duration"] + 60)
        m = meter.stop()
        if other_pids:
            m["other_servers_cpu_s"] = round(sum(tree_cpu(pid) for pid in other_pids) - others0, 3)
        result = client.expect("result", 120)
    except BaseException:
        client.kill()
        raise
    finally:
        client.finish()
    if canary_fn:
        wait_quiet(server_pid, limit=5.0)
        canaries["canary_after_ms"] = canary_fn()
    msgs = result["window_results"]
    disk = m.pop("disk_by_second", None)
    if disk is not None and "latency_by_second_raw_us" in result:
        m |= by_disk(result["latency_by_second_raw_us"], disk)
    out = {
        **canaries,
        "charge_points": ready["ready"],
        "requested": ctx["charge_points"],
        "setup_s": ready["setup_s"],
        "connect_errors": ready["connect_errors"],
        **{k: result[k] for k in RESULT_KEYS if k in result},
        **m,
    }
    span = result.get("scheduled_s") or result["window_s"]  # open loop: the send schedule
    out["msgs_per_s"] = round(msgs / span, 1) if span else 0.0
    out["server_cpu_pct"] = round(100 * m["server_cpu_s"] / m["wall_s"], 1)
    out["client_cpu_pct"] = round(100 * result["client_cpu_s"] / result["window_s"], 1)
    if msgs:
        out["server_cpu_us_per_msg"] = round(1e6 * m["server_cpu_s"] / msgs, 1)
        if "pg_cpu_s" in m:
            out["pg_cpu_us_per_msg"] = round(1e6 * m["pg_cpu_s"] / msgs, 1)
    return out
