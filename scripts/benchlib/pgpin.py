"""Keeping a local PostgreSQL off the server's CPU for the length of a run, and putting it back.

With the server pinned to CPU0 and PostgreSQL left to the scheduler, PostgreSQL's processes
(the server's backends, the WAL writer, autovacuum) ran on CPU0 for up to a fifth of it during
the open loop, and every millisecond they took there the server waited: at 80 % busy a stall
of S ms shows as a tail of about 5 S. Pinned beside the load generator on CPU1, the open-loop
p99 went from 153, 113 and 49 ms to 46, 42 and 46 ms (three A/B pairs, 2026-12-02). The server
then has the core it is measured on to itself, as it would on a host of its own.

The postmaster is found through a connection's backend (its parent), so this only works when
PostgreSQL runs on this machine and this process may change its affinity (root or the same
user). Backends forked while it is pinned inherit the pin; `restore()` puts every process of
the cluster back on the postmaster's original CPUs. A run killed with SIGKILL leaves it pinned:
`taskset -a -p -c 0-N PID` on the postmaster and its children undoes it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == parent:
            found.append(int(entry.name))
    return found


def _threads(pid: int) -> list[int]:
    try:
        return [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return []


def _is_postgres(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip().startswith("postgres")
    except OSError:
        return False


class PostgresPin:
    """The CPUs of a local PostgreSQL cluster, moved for a run."""

    def __init__(self, postmaster: int, original: set[int]) -> None:
        self.postmaster = postmaster
        self.original = original
        self.pinned: set[int] | None = None

    @classmethod
    def find(cls, base_url: str) -> tuple[PostgresPin | None, str]:
        """The cluster behind `base_url` if it runs here; else None and why not."""
        import psycopg

        try:
            with psycopg.connect(
                base_url.rstrip("/") + "/postgres", autocommit=True, connect_timeout=10
            ) as conn:
                row = conn.execute("SELECT pg_backend_pid()").fetchone()
        except Exception as error:  # reported; the run goes on unpinned
            return None, f"cannot ask PostgreSQL for its pid: {type(error).__name__}"
        backend = row[0] if row else 0
        if not _is_postgres(backend):
            return None, "PostgreSQL does not run on this machine (or in this namespace)"
        postmaster = _parent(backend)
        if postmaster is None or not _is_postgres(postmaster):
            return None, f"no postmaster found above backend {backend}"
        try:
            original = os.sched_getaffinity(postmaster)
        except OSError as error:
            return None, f"cannot read the postmaster's CPUs: {error.strerror}"
        return cls(postmaster, original), ""

    def pin(self, cpus: set[int]) -> str:
        """Move the whole cluster to `cpus`; '' or why not (then nothing stays moved)."""
        try:
            self._apply(cpus)
        except OSError as error:
            self.restore()
            return f"cannot move PostgreSQL's processes: {error.strerror}"
        self.pinned = cpus
        return ""

    def restore(self) -> None:
        """Put every process of the cluster, those forked since included, back."""
        with contextlib.suppress(OSError):
            self._apply(self.original, forgiving=True)
        self.pinned = None

    def _apply(self, cpus: set[int], *, forgiving: bool = False) -> None:
        for pid in [self.postmaster, *_children(self.postmaster)]:
            for tid in _threads(pid):
                try:
                    os.sched_setaffinity(tid, cpus)
                except ProcessLookupError:
                    continue  # ended meanwhile
                except OSError:
                    if not forgiving:
                        raise
