"""Benchmark csms (target A) against a bare websockets reference server (target B).

Both are measured in the same run on the same machine with the same raw-WebSocket
load generator (its own process): N charge points run the OCPP 1.6 Core flow in a
closed loop, K rounds per target interleaved A, B, A, B, ... with both servers kept
running, each round bracketed by a CPU-speed canary, so that host noise hits A and
B alike (the headline is the median of the per-round A/B ratios). Once per target,
idle connections measure memory per connection on the fresh server (before the
rounds) and an open loop runs at half of A's median closed-loop rate (after them).
See `scripts/bench --help`. Run by hand; it is not a test. Everything stays on
127.0.0.1 and is bounded in time and message count.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import orjson
from benchlib import targets
from benchlib.diskprobe import same_device
from benchlib.pgpin import PostgresPin
from benchlib.phases import LoadClient
from benchlib.report import render
from benchlib.rounds import summarize
from benchlib.sysinfo import canary, machine, raise_nofile
from benchlib.target import Target, progress


def positive_int(text: str) -> int:
    v = int(text)
    if v < 1:
        msg = f"must be >= 1, got {v}"
        raise argparse.ArgumentTypeError(msg)
    return v


def non_negative(conv):
    def parse(text: str):
        v = conv(text)
        if v < 0:
            msg = f"must be >= 0, got {v}"
            raise argparse.ArgumentTypeError(msg)
        return v

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="scripts/bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    ap.add_argument("--charge-points", type=positive_int, default=1000, help="simulated CPs")
    ap.add_argument(
        "--duration", type=positive_int, default=20, help="closed-loop window per round, seconds"
    )
    ap.add_argument(
        "--rounds",
        type=positive_int,
        default=3,
        help="closed-loop rounds per target, interleaved A, B, A, B, ...",
    )
    ap.add_argument(
        "--max-messages",
        type=positive_int,
        default=2_000_000,
        help="cap on CALLs answered in one closed-loop window (per round)",
    )
    ap.add_argument(
        "--idle-connections", type=non_negative(int), default=2000, help="0 skips the RSS phase"
    )
    ap.add_argument("--target", choices=("both", "csms", "reference"), default="both")
    ap.add_argument(
        "--database-url-base",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server for target A; a fresh database is created on it",
    )
    ap.add_argument(
        "--open-loop-seconds",
        type=non_negative(int),
        default=10,
        help="open-loop window length, 0 skips the open loop",
    )
    ap.add_argument(
        "--open-loop-windows",
        type=positive_int,
        default=3,
        help="open-loop windows per target, interleaved A, B, A, B, ... (p99 over all of"
        " them, and each window's)",
    )
    ap.add_argument(
        "--open-loop-rate",
        type=non_negative(float),
        default=0,
        help="open-loop msgs/s; 0: half of csms's median closed-loop rate (the goal's"
        " definition). A fixed rate compares two builds at the same load",
    )
    ap.add_argument("--keep-db", action="store_true", help="keep target A's database")
    ap.add_argument(
        "--path",
        default="/ocpp/",
        help="OCPP URL path before the identity: ws://127.0.0.1:PORT<path><identity>",
    )
    ap.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=(os.cpu_count() or 1) >= 2,
        help="pin the server to CPU0 and the load generator to CPU1",
    )
    ap.add_argument(
        "--pin-postgres",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with --pin, also move a local PostgreSQL to CPU1 for the run (then back), so"
        " that the server has CPU0 to itself (benchlib/pgpin.py says why)",
    )
    ap.add_argument(
        "--id-tags",
        type=non_negative(int),
        default=100,
        help="distinct idTags, registered Accepted in A before it starts (CP n uses n %% K);"
        " 0: each CP has its own unknown tag",
    )
    ap.add_argument("--startup-timeout", type=positive_int, default=60, help="seconds")
    ap.add_argument("--setup-timeout", type=positive_int, default=120, help="connect+boot, s")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument(
        "--lockstep",
        action="store_true",
        help="every CP enters the flow at its first step, so that all send the same action"
        " at about the same moment (a herd); by default CP i starts at step i mod 7",
    )
    ap.add_argument("--keep-logs", action="store_true", help="keep server/client logs")
    args = ap.parse_args(argv)
    if not args.path.startswith("/"):
        ap.error("--path must start with '/'")
    if args.path != "/" and not args.path.endswith("/"):
        args.path += "/"
    return args


def run_bench(args: argparse.Namespace, ctx: dict, report: dict) -> None:
    """Start the servers; idle phase per target; the interleaved rounds; open loop per target."""
    kinds = {"both": ["csms", "reference"], "csms": ["csms"], "reference": ["reference"]}
    tlist = [Target(k, args, ctx, report["targets"]) for k in kinds[args.target]]
    report["rounds"] = rounds = []
    try:
        for t in tlist:
            progress(f"{t.kind}: starting the server")
            t.start()
        for t in tlist:
            t.idle()
        for i in range(1, args.rounds + 1):
            if not any(t.ok for t in tlist):
                break
            entry: dict = {"round": i}
            rounds.append(entry)  # before the phases: an interrupted round still shows
            for t in tlist:
                p = t.closed_round(i, tlist)
                if p is not None:
                    entry[t.kind] = p
        for t in tlist:
            t.pool_closed()
        a = next((t for t in tlist if t.kind == "csms"), None)
        a_rate = a.median_rate() if a else None
        open_rate = args.open_loop_rate or (a_rate / 2 if a_rate else None)
        # Interleaved like the rounds, so that a slow minute of the host hits both targets.
        for i in range(1, args.open_loop_windows + 1):
            for t in tlist:
                t.open_window(i, open_rate)
        for t in tlist:
            t.finish()
    finally:
        LoadClient.kill_all()
        for t in tlist:
            t.pool_closed()
            t.pool_open()
            t.close()


class Interrupt:
    seen = False

    @classmethod
    def handler(cls, signum, frame) -> None:
        """First Ctrl-C/SIGTERM stops the run; later ones must not cut the cleanup short."""
        if cls.seen:
            progress("still cleaning up (servers get up to 15 s to stop)")
            return
        cls.seen = True
        raise KeyboardInterrupt


def pin_postgres(args: argparse.Namespace, report: dict) -> PostgresPin | None:
    """Move a local PostgreSQL to the load generator's CPU; the report says what happened."""
    if not (args.pin and args.pin_postgres) or args.target == "reference":
        report["postgres_pin"] = "not pinned"
        return None
    found, why = PostgresPin.find(args.database_url_base)
    if found is None:
        report["postgres_pin"] = f"not pinned ({why})"
        return None
    if why := found.pin({1}):
        report["postgres_pin"] = f"not pinned ({why})"
        return None
    report["postgres_pin"] = f"CPU1 for the run (postmaster {found.postmaster}, then back)"
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t0 = time.monotonic()
    raise_nofile()
    signal.signal(signal.SIGTERM, Interrupt.handler)
    signal.signal(signal.SIGINT, Interrupt.handler)
    run = secrets.token_hex(3)
    log_dir = Path(tempfile.mkdtemp(prefix=f"csms-bench-{run}-"))
    ctx = {
        "run": run,
        "path": args.path,
        "charge_points": args.charge_points,
        "client_cpu": 1 if args.pin else None,
        "max_messages": args.max_messages,
        "setup_timeout": args.setup_timeout,
        "id_tags": args.id_tags,
        "lockstep": args.lockstep,
        "log_dir": log_dir,
        "client_log": log_dir / "loadgen.log",
    }
    pg_data = targets.data_directory(args.database_url_base)
    report: dict = {
        "run": run,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "disk_probe": {"dir": str(log_dir), "same_device_as_pg": same_device(log_dir, pg_data)},
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "targets": {},
    }
    pg_pin = pin_postgres(args, report)
    report["canary_start_ms"] = canary(0 if args.pin else None)
    code = 0
    try:
        run_bench(args, ctx, report)
    except KeyboardInterrupt:
        progress("interrupted; cleaning up")
        report["interrupted"] = True
        code = 130
    finally:
        LoadClient.kill_all()
        targets.ServerProcess.stop_all()
        if pg_pin is not None:
            pg_pin.restore()
    report["canary_end_ms"] = canary(0 if args.pin else None)
    report["summary"] = summarize(report)
    report["elapsed_s"] = round(time.monotonic() - t0, 1)
    if args.keep_logs:
        report["log_dir"] = str(log_dir)
    else:
        for f in log_dir.iterdir():
            f.unlink()
        log_dir.rmdir()
    print(render(report))
    for t in report["targets"].values():
        if code == 0 and ("unavailable" in t or "error" in t):
            code = 1  # the report is printed, but not everything asked for was measured
    if args.json:
        out = Path(os.environ.get("BENCH_CWD", ".")) / args.json
        out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return code


if __name__ == "__main__":
    sys.exit(main())
