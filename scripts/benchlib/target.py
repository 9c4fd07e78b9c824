"""One server under test (csms or the reference) through every phase of a bench run, and the
helpers the run shares: progress lines and the check that a server is still up."""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from benchlib import targets
from benchlib.chargepoint import id_tag_for
from benchlib.phases import idle_phase, load_phase
from benchlib.rounds import Pool, median, pool_rounds, pool_windows
from benchlib.sysinfo import canary, tree_rss_kb


def check_alive(server: targets.ServerProcess) -> None:
    if not server.alive():
        msg = f"{server.name} exited with code {server.proc.returncode}"
        raise RuntimeError(msg)


def progress(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Target:
    """One server under test, started once and kept running across the rounds."""

    def __init__(self, kind: str, args: argparse.Namespace, ctx: dict, sink: dict) -> None:
        self.kind, self.args, self.ctx = kind, args, ctx
        self.res: dict = {"target": kind, "phases": {}}
        sink[kind] = self.res  # partial results survive an interrupt
        self.db_name = f"csms_bench_{ctx['run']}"
        self.db_url: str | None = None
        self.server: targets.ServerProcess | None = None
        self.cpu = 0 if args.pin else None
        self.pctx: dict = {}
        self.pg = None
        self.rounds: list[dict] = []
        self.pool = Pool()
        self.open_windows: list[dict] = []
        self.open_pool = Pool()

    @property
    def ok(self) -> bool:
        return self.server is not None and not {"error", "unavailable"} & self.res.keys()

    def _failed(self, what: str, exc: Exception) -> None:
        self.res["error"] = f"{what}: {type(exc).__name__}: {exc}"
        self.res["traceback"] = traceback.format_exc(limit=4)
        progress(f"{self.kind}: {self.res['error']}")

    def start(self) -> None:
        args, res, kind = self.args, self.res, self.kind
        try:
            if kind == "csms":
                ok, why = targets.csms_available()
                if not ok:
                    res["unavailable"] = why
                    return
                self.db_url = targets.create_db(args.database_url_base, self.db_name)
                res["database"] = self.db_url
                if args.id_tags:
                    k = min(
                        args.id_tags, args.charge_points + args.idle_connections + 1
                    )  # CPs are 1..N
                    progress(f"{kind}: registering {k} id tags")
                    tags = [id_tag_for(self.ctx["run"], i, args.id_tags) for i in range(k)]
                    res["id_tag_registration"] = targets.register_id_tags(self.db_url, tags)
                self.server, port, _http_port = targets.start_csms(
                    self.db_url, self.ctx["log_dir"], self.cpu
                )
                res["argv"] = " ".join(self.server.argv)
                if not targets.CSMS_BIN.exists():
                    res["note"] = f"{targets.CSMS_BIN} missing: ran adapters.cli:main via python -c"
            else:
                self.server, port = targets.start_reference(self.ctx["log_dir"], self.cpu)
            res["startup_s"] = round(targets.wait_ready(self.server, port, args.startup_timeout), 2)
            res["baseline_rss_kb"] = tree_rss_kb(self.server.pid)
            res["canary_before_ms"] = canary(self.cpu)
            self.pctx = self.ctx | {"port": port}
            if self.db_url:
                base, name = args.database_url_base, self.db_name
                self.pg = lambda: targets.backend_pids(base, name)
        except Exception as exc:
            self._failed("start", exc)

    def closed_round(self, i: int, others: list[Target]) -> dict | None:
        """One closed-loop window, bracketed by the canary; None if the target is down."""
        if not self.ok:
            return None
        other_pids = [t.server.pid for t in others if t is not self and t.ok]
        args = self.args
        progress(
            f"{self.kind}: closed loop round {i}/{args.rounds}, "
            f"{args.charge_points} CPs, {args.duration} s"
        )
        try:
            extra = {"duration": args.duration, "raw_latency": True}
            closed = load_phase(
                self.pctx,
                self.server.pid,
                "closed",
                extra,
                self.pg,
                lambda: canary(self.cpu),
                other_pids,
            )
            self.pool.take(closed)
            closed["round"] = i
            self.rounds.append(closed)
            check_alive(self.server)
        except Exception as exc:
            self._failed(f"closed loop round {i}", exc)
            return None
        return closed

    def median_rate(self) -> float | None:
        return median([r["msgs_per_s"] for r in self.rounds])

    def pool_closed(self) -> None:
        if self.rounds:
            self.res["phases"]["closed"] = pool_rounds(self.rounds, self.pool)

    def idle(self) -> None:
        """The idle-memory phase, once, on the fresh server (before the rounds: after them
        the heap already holds the closed loop's freed memory and hides the growth)."""
        if not self.ok or not self.args.idle_connections:
            return
        n = self.args.idle_connections
        progress(f"{self.kind}: idle phase, {n} connections")
        try:
            self.res["phases"]["idle"] = idle_phase(
                self.pctx, self.server.pid, n, self.args.charge_points + 1
            )
            check_alive(self.server)
        except Exception as exc:
            self._failed("idle phase", exc)

    def open_window(self, i: int, open_rate: float | None) -> None:
        """One open-loop window, after the rounds (its rate comes from them)."""
        if not self.ok:
            return
        args, kind = self.args, self.kind
        own = self.median_rate()
        rate = open_rate if open_rate else (own / 2 if own else 0)
        if not args.open_loop_seconds or rate < 1:
            return
        progress(
            f"{kind}: open loop window {i}/{args.open_loop_windows}, {rate:.0f} msgs/s,"
            f" {args.open_loop_seconds} s"
        )
        try:
            extra = {
                "duration": args.open_loop_seconds,
                "rate": rate,
                "max_messages": 10**9,
                "by_second_raw": True,
                "raw_latency": True,
            }
            window = load_phase(
                self.pctx, self.server.pid, "open", extra, self.pg, disk_dir=self.ctx["log_dir"]
            )
            window["rate_basis"] = "A" if open_rate or kind == "csms" else "B"
            self.open_pool.take(window)
            self.open_windows.append(window)
            check_alive(self.server)
        except Exception as exc:
            self._failed(f"open loop window {i}", exc)

    def pool_open(self) -> None:
        if self.open_windows:
            self.res["phases"]["open"] = pool_windows(self.open_windows, self.open_pool)

    def finish(self) -> None:
        """RSS and the canary once the load is over."""
        if not self.ok:
            return
        try:
            self.res["rss_end_kb"] = tree_rss_kb(self.server.pid)
            self.res["canary_after_ms"] = canary(self.cpu)
        except Exception as exc:
            self._failed("finish", exc)

    def close(self) -> None:
        """Stop the server, count A's events, drop A's database; never raises."""
        res, args = self.res, self.args
        if self.server is not None:
            try:
                res["server_alive_at_end"] = self.server.alive()
                res["exit"] = self.server.stop()
                res["log"] = self.server.log_excerpt()
            except Exception as exc:
                res["stop_error"] = repr(exc)
        if self.db_url:
            try:
                res["events"] = targets.count_events(self.db_url)
            except Exception as exc:
                res["events"] = {"error": f"{type(exc).__name__}: {exc}"}
            if not args.keep_db:
                try:
                    targets.drop_db(args.database_url_base, self.db_name)
                except Exception as exc:
                    res["drop_db_error"] = repr(exc)
