"""The disk's answer time during a phase, measured beside the server.

Every durable answer of csms waits for a PostgreSQL commit, and a commit waits for the WAL's
fdatasync. On a shared host the disk now and then stalls for hundreds of milliseconds, and
every answer queued behind that commit waits as long, whatever the server's CPU does. The
probe writes 8 KiB and fdatasyncs it every 50 ms, as a commit does, on the same filesystem
(when PostgreSQL is local), so that a p99 spike can be told apart from the server's own cost.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

from benchlib.loadgen import percentiles

STALL_MS = 50.0  # a sync slower than the whole latency goal


class DiskProbe:
    def __init__(self, directory: Path, every: float = 0.05) -> None:
        self.path = directory / f"disk-probe-{os.getpid()}"
        self.every = every
        self._samples: list[tuple[float, float]] = []  # (perf_counter, ms)
        self._stop = threading.Event()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="disk-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict:
        """Percentiles of the syncs, and the slowest of each second: `disk_by_second` maps
        whole seconds of time.perf_counter() (CLOCK_MONOTONIC, the load generator's clock
        too) to ms."""
        self._stop.set()
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self.path.unlink()
        ms = [m for _, m in self._samples]
        if not ms:
            return {"disk_error": self.error or "no sync measured"}
        by_second: dict[int, float] = {}
        for at, m in self._samples:
            by_second[int(at)] = max(by_second.get(int(at), 0.0), m)
        return ({"disk_error": self.error} if self.error else {}) | {
            "disk_sync_ms": percentiles(ms, to_ms=1),
            "disk_stalls": sum(m > STALL_MS for m in ms),
            "disk_syncs": len(ms),
            "disk_by_second": by_second,
        }

    def _run(self) -> None:
        block = os.urandom(8192)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            self.error = f"cannot probe {self.path}: {error}"
            return
        try:
            while not self._stop.wait(self.every):
                started = time.perf_counter()
                os.pwrite(fd, block, 0)
                os.fdatasync(fd)
                self._samples.append((started, (time.perf_counter() - started) * 1e3))
        except OSError as error:
            self.error = f"probe stopped: {error}"
        finally:
            os.close(fd)


def same_device(a: str | Path, b: str | Path | None) -> bool | None:
    """Whether two paths are on one filesystem; None when one is unknown or cannot be read."""
    if b is None:
        return None
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return None


def by_disk(latencies_by_second: dict[str, list[int]], disk_by_second: dict[int, float]) -> dict:
    """Line the probe up with the open loop's seconds, and take the p99 of the seconds the disk
    kept up: a second is clean when no sync in it or in the seconds either side took over
    STALL_MS (the backlog of a stall is answered in the next second, and a CALL due late in
    a second waits for a commit in the next). Not the goal's figure (that is the
    p99 of every second); what the server does when the disk does not stall."""
    seconds = sorted(int(k) for k in latencies_by_second)
    clean = [
        s for s in seconds if all(disk_by_second.get(t, 0.0) <= STALL_MS for t in (s - 1, s, s + 1))
    ]
    pooled = [x for s in clean for x in latencies_by_second[str(s)]]
    return {
        "disk_max_by_second_ms": [round(disk_by_second.get(s, 0.0), 1) for s in seconds],
        "clean_seconds": len(clean),
        "clean_latency_ms": percentiles(pooled, to_ms=0.001),
        "clean_latency_raw_us": pooled,
    }
