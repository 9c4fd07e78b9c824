"""Benchmark csms (target A) against a bare websockets reference server (target B).

Both are measured in the same run on the same machine with the same raw-WebSocket
load generator (its own process): N charge points run the OCPP 1.6 Core flow in a
closed loop, then an open loop at half of A's closed-loop rate; idle connections
measure memory per connection. See `scripts/bench --help`. Run by hand; it is not
a test. Everything stays on 127.0.0.1 and is bounded in time and message count.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import orjson
from benchlib import targets
from benchlib.chargepoint import id_tag_for
from benchlib.phases import LoadClient, idle_phase, load_phase
from benchlib.report import render
from benchlib.sysinfo import canary, machine, raise_nofile, tree_rss_kb


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
    ap.add_argument("--duration", type=positive_int, default=20, help="closed loop, seconds")
    ap.add_argument(
        "--max-messages",
        type=positive_int,
        default=2_000_000,
        help="cap on CALLs answered in the closed-loop window",
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
        help="open-loop phase length, 0 skips it",
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
        "--id-tags",
        type=non_negative(int),
        default=100,
        help="distinct idTags, registered Accepted in A before it starts (CP n uses n %% K);"
        " 0: each CP has its own unknown tag",
    )
    ap.add_argument("--startup-timeout", type=positive_int, default=60, help="seconds")
    ap.add_argument("--setup-timeout", type=positive_int, default=120, help="connect+boot, s")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--keep-logs", action="store_true", help="keep server/client logs")
    args = ap.parse_args(argv)
    if not args.path.startswith("/"):
        ap.error("--path must start with '/'")
    if args.path != "/" and not args.path.endswith("/"):
        args.path += "/"
    return args


def run_target(
    kind: str, args: argparse.Namespace, ctx: dict, open_rate: float | None, sink: dict
) -> dict:
    res: dict = {"target": kind, "phases": {}}
    sink[kind] = res  # partial results survive an interrupt
    db_name = f"csms_bench_{ctx['run']}"
    db_url = None
    server = None
    cpu = 0 if args.pin else None
    try:
        if kind == "csms":
            ok, why = targets.csms_available()
            if not ok:
                res["unavailable"] = why
                return res
            db_url = targets.create_db(args.database_url_base, db_name)
            res["database"] = db_url
            if args.id_tags:
                k = min(args.id_tags, args.charge_points + args.idle_connections)
                progress(f"{kind}: registering {k} id tags")
                tags = [id_tag_for(ctx["run"], i, args.id_tags) for i in range(k)]
                res["id_tag_registration"] = targets.register_id_tags(db_url, tags)
            server, port, _http_port = targets.start_csms(db_url, ctx["log_dir"], cpu)
            res["argv"] = " ".join(server.argv)
            if not targets.CSMS_BIN.exists():
                res["note"] = f"{targets.CSMS_BIN} missing: ran adapters.cli:main via python -c"
        else:
            server, port = targets.start_reference(ctx["log_dir"], cpu)
        res["startup_s"] = round(targets.wait_ready(server, port, args.startup_timeout), 2)
        res["baseline_rss_kb"] = tree_rss_kb(server.pid)
        res["canary_before_ms"] = canary(cpu)
        pctx = ctx | {"port": port}
        pg = (lambda: targets.backend_pids(args.database_url_base, db_name)) if db_url else None
        phases = res["phases"]
        if args.idle_connections:
            progress(f"{kind}: idle phase, {args.idle_connections} connections")
            phases["idle"] = idle_phase(
                pctx, server.pid, args.idle_connections, args.charge_points + 1
            )
            check_alive(server)
        progress(f"{kind}: closed loop, {args.charge_points} CPs, {args.duration} s")
        closed = load_phase(pctx, server.pid, "closed", {"duration": args.duration}, pg)
        phases["closed"] = closed
        check_alive(server)
        rate = open_rate if open_rate else closed["msgs_per_s"] / 2
        if args.open_loop_seconds and rate >= 1:
            progress(f"{kind}: open loop, {rate:.0f} msgs/s, {args.open_loop_seconds} s")
            extra = {"duration": args.open_loop_seconds, "rate": rate, "max_messages": 10**9}
            phases["open"] = load_phase(pctx, server.pid, "open", extra, pg)
            phases["open"]["rate_basis"] = "A" if open_rate or kind == "csms" else "B"
            check_alive(server)
        res["rss_end_kb"] = tree_rss_kb(server.pid)
        res["canary_after_ms"] = canary(cpu)
    except Exception as exc:
        res["error"] = f"{type(exc).__name__}: {exc}"
        res["traceback"] = traceback.format_exc(limit=4)
        progress(f"{kind}: {res['error']}")
    finally:
        if server is not None:
            res["server_alive_at_end"] = server.alive()
            res["exit"] = server.stop()
            res["log"] = server.log_excerpt()
        if db_url:
            try:
                res["events"] = targets.count_events(db_url)
            except Exception as exc:
                res["events"] = {"error": f"{type(exc).__name__}: {exc}"}
            if not args.keep_db:
                try:
                    targets.drop_db(args.database_url_base, db_name)
                except Exception as exc:
                    res["drop_db_error"] = repr(exc)
    return res


def check_alive(server: targets.ServerProcess) -> None:
    if not server.alive():
        msg = f"{server.name} exited with code {server.proc.returncode}"
        raise RuntimeError(msg)


def progress(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
        "log_dir": log_dir,
        "client_log": log_dir / "loadgen.log",
    }
    report: dict = {
        "run": run,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "targets": {},
    }
    report["canary_start_ms"] = canary(0 if args.pin else None)
    code = 0
    try:
        open_rate = None
        if args.target in ("both", "csms"):
            a = run_target("csms", args, ctx, None, report["targets"])
            a_rate = a.get("phases", {}).get("closed", {}).get("msgs_per_s")
            open_rate = a_rate / 2 if a_rate else None
        if args.target in ("both", "reference"):
            run_target("reference", args, ctx, open_rate, report["targets"])
    except KeyboardInterrupt:
        progress("interrupted; cleaning up")
        report["interrupted"] = True
        code = 130
    finally:
        LoadClient.kill_all()
        targets.ServerProcess.stop_all()
    report["canary_end_ms"] = canary(0 if args.pin else None)
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
