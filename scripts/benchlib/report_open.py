"""The open-loop part of the report: latency at a fixed rate, per window and per second, beside
what the disk probe saw."""

from __future__ import annotations

from benchlib.cells import fmt, pct3, phase_by_target, row
from benchlib.chargepoint import ACTIONS
from benchlib.diskprobe import STALL_MS


def clean_share(o: dict) -> str:
    """Seconds of the open loop with no disk sync over STALL_MS in them or the one before."""
    if "clean_seconds" not in o:
        return "-"
    seconds = sum(len(w or ()) for w in o.get("p99_by_second_ms_windows") or ())
    return f"{o['clean_seconds']} of {seconds}"


def open_lines(rep: dict, live: list[str]) -> list[str]:
    """The open loop: latency at a fixed rate, each window, each second, and the disk."""
    s = rep["settings"]
    out: list[str] = []
    opn = phase_by_target(rep, live, "open")
    if any(opn.values()):
        o0 = next(v for v in opn.values() if v)
        out += [
            "",
            f"open loop: {o0['target_rate']:.0f} msgs/s scheduled, {o0['windows']} window(s) of"
            f" {s['open_loop_seconds']} s per target interleaved, over {s['charge_points']} CPs ("
            + (
                "fixed by --open-loop-rate)"
                if s.get("open_loop_rate")
                else f"half of {o0.get('rate_basis', '?')}'s median closed-loop rate)"
            ),
        ]

        def ol(label: str, f) -> None:
            out.append(row(label, [f(opn[k]) if opn[k] else "-" for k in live]))

        def each(values, nd: int = 0) -> str:
            return " / ".join("-" if v is None else f"{v:.{nd}f}" for v in values or ())

        ol("achieved msgs/s (median)", lambda o: fmt(o["msgs_per_s"], nd=0))
        ol("latency ms p50 / p95 / p99", lambda o: pct3(o["latency_all_ms"]))
        ol("latency ms max", lambda o: fmt(o["latency_all_ms"].get("max"), nd=1))
        ol("p99 ms of each window", lambda o: each(o.get("p99_windows_ms")))
        ol("  median of the windows' p99", lambda o: fmt(o.get("p99_window_median_ms"), nd=1))
        for a in ACTIONS[2:]:
            ol(f"  {a}", lambda o, a=a: pct3(o["latency_ms"].get(a)))
        ol("server CPU us/msg", lambda o: fmt(o.get("server_cpu_us_per_msg")))
        ol("server CPU % of one core", lambda o: fmt(o["server_cpu_pct"], "%"))
        ol("CALLERRORs", lambda o: fmt(o["callerror_total"]))
        ol("unanswered after drain", lambda o: fmt(o["unanswered"]))
        ol(
            "disk fdatasync ms p99 by window",
            lambda o: each([(d or {}).get("p99") for d in o.get("disk_sync_ms_windows") or ()], 1),
        )
        ol(
            f"disk syncs over {STALL_MS:.0f} ms",
            lambda o: f"{o['disk_stalls']} of {o['disk_syncs']}" if "disk_syncs" in o else "-",
        )
        ol("seconds the disk kept up", clean_share)
        ol("  latency ms p50 / p95 / p99", lambda o: pct3(o.get("clean_latency_ms")))
        for k in live:
            o = opn[k] or {}
            windows = zip(
                o.get("p99_by_second_ms_windows") or (),
                o.get("disk_max_by_second_ms_windows") or [None] * o.get("windows", 0),
                o.get("disk_error_windows") or [None] * o.get("windows", 0),
                strict=False,
            )
            for n, (seconds, disk, error) in enumerate(windows, 1):
                if seconds:
                    out.append(
                        f"  p99 ms, second by second ({k}, window {n}): "
                        + " ".join(f"{x:.0f}" for x in seconds)
                    )
                if error:
                    out.append(f"  disk probe during {k}, window {n}: {error}")
                if disk:
                    out.append(
                        f"  disk sync max ms, second by second (during {k}, window {n}): "
                        + " ".join(f"{x:.0f}" for x in disk)
                    )
    return out
