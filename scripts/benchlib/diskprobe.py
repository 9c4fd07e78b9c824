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
        self._samples: list[tuple[float, float]] = []  # (seconds since start, ms)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="disk-probe", daemon=True)
        self._t0 = 0.0

    def start(self) -> None:
        self._t0 = time.monotonic()
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self.path.unlink()
        ms = [m for _, m in self._samples]
        if not ms:
            return {}
        by_second = [0.0] * (int(self._samples[-1][0]) + 1)
        for at, m in self._samples:
            by_second[int(at)] = max(by_second[int(at)], m)
        return {
            "disk_sync_ms": percentiles(ms, to_ms=1),
            "disk_stalls": sum(m > STALL_MS for m in ms),
            "disk_syncs": len(ms),
            "disk_max_by_second_ms": [round(m, 1) for m in by_second],
        }

    def _run(self) -> None:
        block = os.urandom(8192)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            while not self._stop.wait(self.every):
                started = time.monotonic()
                os.pwrite(fd, block, 0)
                os.fdatasync(fd)
                done = time.monotonic()
                self._samples.append((started - self._t0, (done - started) * 1e3))
        finally:
            os.close(fd)


def same_device(a: str | Path, b: str | Path) -> bool | None:
    """Whether two paths are on one filesystem; None when one cannot be read."""
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return None
