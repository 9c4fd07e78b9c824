"""The human-readable report."""

from __future__ import annotations

from benchlib.cells import fmt, pct3, phase_by_target, row
from benchlib.chargepoint import ACTIONS
from benchlib.report_open import open_lines

NAMES = {"csms": "csms (A)", "reference": "reference (B)"}


def _pinning(pin: bool, postgres: str) -> str:
    if not pin:
        return "none"
    return f"server CPU0, load generator CPU1, PostgreSQL: {postgres}"


def render(rep: dict) -> str:
    m = rep["machine"]
    s = rep["settings"]
    tg = rep["targets"]
    keys = [k for k in ("csms", "reference") if k in tg]
    out = [
        f"csms bench, run {rep['run']}, {rep['started']}",
        f"machine   {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB, "
        f"Python {m['python']}, websockets {m['websockets']}, kernel {m['kernel']}, "
        f"nofile {m['nofile'][0]}",
        "pinning   " + _pinning(s["pin"], rep.get("postgres_pin", "not pinned")),
        f"canary    start {rep['canary_start_ms']} ms, end {rep['canary_end_ms']} ms "
        "(fixed pure-Python loop on the server's CPU, best of 5; PERF.md: ~10.5 quiet, 17-20 noisy"
        " host)",
        f"rounds    {s['rounds']} closed-loop rounds per target, interleaved A, B, A, B, ...; both"
        " servers started once and kept running; per target once: idle phase before the"
        " rounds, open loop after them",
        "flow      "
        + (
            "lockstep: every CP enters the loop at its first step (a herd)"
            if s.get("lockstep")
            else "staggered: CP i enters the loop at step i mod 7, so every moment has the mix"
        ),
    ]
    if probe := rep.get("disk_probe"):
        where = {True: "PostgreSQL's disk", False: "not PostgreSQL's disk"}.get(
            probe.get("same_device_as_pg"), "PostgreSQL's disk unknown"
        )
        out.append(
            f"disk      probe during the open loop: 8 KiB write + fdatasync every 50 ms in"
            f" {probe['dir']} ({where}), as a commit waits for the WAL"
        )
    if rep.get("interrupted"):
        out.append("INTERRUPTED: the figures below are partial")
    for k in keys:
        t = tg[k]
        if "unavailable" in t:
            out.append(f"{NAMES[k]}: NOT RUN: {t['unavailable']}")
        elif "error" in t:
            out.append(f"{NAMES[k]}: FAILED: {t['error']}")
    live = [k for k in keys if tg[k].get("phases")]
    if not live:
        return "\n".join(out)
    hdr = row("", [NAMES[k] for k in live])
    out += ["", hdr]
    out.append(row("server startup s", [fmt(tg[k].get("startup_s")) for k in live]))
    out.append(
        row(
            "canary at start / end ms",
            [
                f"{tg[k].get('canary_before_ms', '-')} / {tg[k].get('canary_after_ms', '-')}"
                for k in live
            ],
        )
    )
    if "csms" in live:

        def reg(t: dict) -> str:
            r = t.get("id_tag_registration")
            if not r:
                return "none (tags unknown)"
            return "FAILED" if r.get("error") else f"{r['count']} in {r['seconds']:.1f} s"

        out.append(
            row("idTags registered Accepted", [reg(tg[k]) if k == "csms" else "-" for k in live])
        )
    out += rounds_lines(rep)
    out += closed_lines(rep, live)
    out += idle_lines(rep, live)
    out += open_lines(rep, live)
    if "csms" in live:
        out += ["", *events_lines(tg["csms"])]
        if s.get("keep_db") and tg["csms"].get("database"):
            out.append(f"  database kept: {tg['csms']['database']}")
    out += summary_lines(rep)
    problems = problem_lines(tg, live)
    out += ["", "problems seen:" if problems else "problems seen: none", *problems]
    if rep.get("log_dir"):
        out.append(f"logs kept in {rep['log_dir']}")
    if rep.get("elapsed_s") is not None:
        out.append(f"elapsed {rep['elapsed_s']:.0f} s")
    return "\n".join(out)


def closed_lines(rep: dict, live: list[str]) -> list[str]:
    """The closed-loop table: rates, costs, counts and latency per action."""
    s = rep["settings"]
    out: list[str] = []
    closed = phase_by_target(rep, live, "closed")
    if any(closed.values()):
        c0 = next(v for v in closed.values() if v)
        n = max(c.get("rounds", 1) for c in closed.values() if c)
        out += [
            "",
            f"closed loop: {s['charge_points']} CPs, {s['duration']} s window x {n}"
            f" round{'s' if n != 1 else ''}"
            " (rates and costs: median of the rounds; counts: summed; latency: all rounds pooled)",
        ]

        def cl(label: str, f) -> None:
            out.append(row(label, [f(closed[k]) if closed[k] else "-" for k in live]))

        sm = rep.get("summary") or {}
        quiet = {
            "csms": sm.get("a_cpu_us_per_msg_at_quiet_canary_median"),
            "reference": sm.get("b_cpu_us_per_msg_at_quiet_canary_median"),
        }
        cl("CPs ready (fewest in a round)", lambda c: f"{c['charge_points']}/{c['requested']}")
        cl("setup (connect+boot+status) s", lambda c: fmt(c.get("setup_s"), nd=2))
        cl("msgs/s", lambda c: fmt(c.get("msgs_per_s"), nd=0))
        cl("CALLs answered in windows", lambda c: fmt(c["window_results"]))
        cl("server CPU us/msg", lambda c: fmt(c.get("server_cpu_us_per_msg")))
        out.append(
            row(
                "  at the quiet canary",
                [fmt(quiet[k]) if closed[k] else "-" for k in live],
            )
        )
        cl("server CPU % of one core", lambda c: fmt(c.get("server_cpu_pct"), "%"))
        if "pg_cpu_s" in c0:
            cl(
                "PG backends CPU us/msg",
                lambda c: (
                    f"{fmt(c.get('pg_cpu_us_per_msg'))} ({c['pg_backends']})"
                    if "pg_cpu_s" in c
                    else "-"
                ),
            )
        cl("load generator CPU %", lambda c: fmt(c.get("client_cpu_pct"), "%"))
        if any(c and "other_servers_cpu_s" in c for c in closed.values()):
            cl(
                "the other server's CPU %",
                lambda c: (
                    fmt(round(100 * c["other_servers_cpu_s"] / c["wall_s"], 1), "%")
                    if "other_servers_cpu_s" in c and c.get("wall_s")
                    else "-"
                ),
            )
        cl("CALLERRORs", lambda c: fmt(c["callerror_total"]))
        cl("other protocol problems", lambda c: fmt(sum(c["violations"].values())))
        cl("connections lost", lambda c: fmt(sum(c["connections_lost"].values())))
        cl("unanswered at end", lambda c: fmt(c["unanswered"]))
        cl(
            "StartTx / distinct txIds",
            lambda c: f"{c['starts']} / {c['distinct_tx_ids']}",
        )
        out.append(row("latency ms p50 / p95 / p99", ["" for _ in live]))
        for a in ACTIONS:
            if a in {"BootNotification", "StatusNotification"}:
                cl(f"  {a} (setup)", lambda c, a=a: pct3(c["setup_latency_ms"].get(a)))
            else:
                cl(f"  {a}", lambda c, a=a: pct3(c["latency_ms"].get(a)))
        cl("  all (window)", lambda c: pct3(c["latency_all_ms"]))
    return out


def idle_lines(rep: dict, live: list[str]) -> list[str]:
    """The idle phase: memory per connection."""
    s = rep["settings"]
    out: list[str] = []
    idle = phase_by_target(rep, live, "idle")
    if any(idle.values()):
        out += ["", f"idle: {s['idle_connections']} CPs, BootNotification + Heartbeat, then silent"]

        def il(label: str, f) -> None:
            out.append(row(label, [f(idle[k]) if idle[k] else "-" for k in live]))

        il("connected", lambda i: f"{i['connections']}/{i['requested']} in {i['setup_s']:.1f} s")
        il(
            "server RSS before / after MB",
            lambda i: f"{i['rss_before_kb'] / 1024:.1f} / {i['rss_after_kb'] / 1024:.1f}",
        )
        il("RSS per idle connection KB", lambda i: fmt(i["rss_per_conn_kb"]))
        il("server CPU while holding", lambda i: fmt(i["hold_cpu_pct"], "%"))
        il("CALLERRORs", lambda i: fmt(i["callerror_total"]))
    return out


def ratio(v: float | None, nd: int = 3) -> str:
    return "-" if v is None else f"{v:.{nd}f}"


def rounds_lines(rep: dict) -> list[str]:
    """The per-round table: both targets' rate, cost and canary, and the round's ratios."""
    rounds = rep.get("rounds") or []
    if not rounds:
        return []
    cols = [
        ("round", 5),
        ("A msgs/s", 9),
        ("B msgs/s", 9),
        ("ratio", 7),
        ("A us/msg", 9),
        ("B us/msg", 9),
        ("CPU ratio", 9),
        ("A canary ms", 13),
        ("B canary ms", 13),
        ("A us/msg@quiet", 14),
    ]

    def line(cells: list[str]) -> str:
        return "  " + " ".join(f"{c:>{w}}" for c, (_, w) in zip(cells, cols, strict=True))

    def can(p: dict | None) -> str:
        if not p:
            return "-"
        return f"{p.get('canary_before_ms', '-')}/{p.get('canary_after_ms', '-')}"

    out = [
        "",
        "closed-loop rounds (ratio = A/B of the same round; canary = before/after the window,"
        " the phase's canary is their mean)",
        line([c for c, _ in cols]),
    ]
    for r in rounds:
        a, b = r.get("csms"), r.get("reference")
        out.append(
            line(
                [
                    str(r["round"]),
                    fmt(a.get("msgs_per_s"), nd=0) if a else "-",
                    fmt(b.get("msgs_per_s"), nd=0) if b else "-",
                    ratio(r.get("ratio_msgs_per_s")),
                    fmt(a.get("server_cpu_us_per_msg")) if a else "-",
                    fmt(b.get("server_cpu_us_per_msg")) if b else "-",
                    ratio(r.get("ratio_cpu_per_msg"), 2),
                    can(a),
                    can(b),
                    fmt(a.get("server_cpu_us_per_msg_at_quiet_canary")) if a else "-",
                ]
            )
        )
    return out


def summary_lines(rep: dict) -> list[str]:
    sm = rep.get("summary") or {}
    n = sm.get("rounds", 0)
    if not n:
        return []

    def listed(vals: list, nd: int) -> str:
        return ", ".join(ratio(v, nd) for v in vals)

    out = [
        "",
        f"summary (closed loop, {n} interleaved round{'s' if n != 1 else ''};"
        " headline = median of the rounds)",
    ]
    if sm.get("ratio_msgs_per_s_median") is not None:
        out.append(
            f"  ratio A/B msgs/s:             {sm['ratio_msgs_per_s_median']:.3f}"
            f"   (rounds: {listed(sm['ratio_msgs_per_s_rounds'], 3)};"
            f" median msgs/s A {fmt(sm.get('a_msgs_per_s_median'), nd=0)},"
            f" B {fmt(sm.get('b_msgs_per_s_median'), nd=0)})"
        )
    if sm.get("ratio_cpu_per_msg_median") is not None:
        out.append(
            f"  ratio A/B server CPU per msg: {sm['ratio_cpu_per_msg_median']:.2f}"
            f"    (rounds: {listed(sm['ratio_cpu_per_msg_rounds'], 2)})"
        )
    q = sm.get("quiet_canary_ms")
    for name, key in (("A", "a"), ("B", "b")):
        measured = sm.get(f"{key}_cpu_us_per_msg_median")
        if measured is None:
            continue
        normed = sm.get(f"{key}_cpu_us_per_msg_at_quiet_canary_median")
        out.append(
            f"  {name} server CPU us/msg:          {measured:.1f} measured (median),"
            f" {fmt(normed)} at the quiet canary"
            f" (rounds: {listed(sm[f'{key}_cpu_us_per_msg_at_quiet_canary_rounds'], 1)})"
        )
    if q:
        out.append(
            f"  quiet canary = {q} ms, the smallest canary of the run; 'at the quiet canary' ="
            f" us/msg x {q} / the round's canary: roughly what it costs on a quiet host"
        )
    return out


def events_lines(t: dict) -> list[str]:
    ev = t.get("events") or {}
    if "error" in ev:
        return [f"events written (A): could not count: {ev['error']}"]
    answered: dict[str, int] = {}
    for p in t["phases"].values():
        for a, n in p.get("answered", {}).items():
            answered[a] = answered.get(a, 0) + n
    calls = sum(answered.values())
    non_hb = calls - answered.get("Heartbeat", 0)
    lines = []
    if "events" in ev:
        n = ev["events"]
        per = f", {n / non_hb:.2f} per non-Heartbeat CALL" if non_hb else ""
        lines.append(
            f"events written (A): {n:,} rows in {ev['table']} for {calls:,} CALLs answered "
            f"({non_hb:,} not Heartbeat){per}"
        )
        if ev.get("note"):
            lines.append(f"  note: {ev['note']}")
    else:
        lines.append(f"events written (A): {ev.get('note', 'unknown')}")
    if answered:
        lines.append("  CALLs answered: " + ", ".join(f"{a}={n:,}" for a, n in answered.items()))
    if ev.get("by_topic"):
        lines.append("  by topic: " + ", ".join(f"{k}={v:,}" for k, v in ev["by_topic"].items()))
    if ev.get("tables"):
        lines.append(
            "  tables: " + ", ".join(f"{k}={v:,}" for k, v in sorted(ev["tables"].items()))
        )
    return lines


def problem_lines(tg: dict, live: list[str]) -> list[str]:
    lines = []
    for k in live:
        t = tg[k]
        name = NAMES[k]
        for pname, p in t["phases"].items():
            where = f"{name} {pname}:"
            for key, n in sorted(p.get("callerrors", {}).items()):
                sample = p.get("samples", {}).get(f"CALLERROR {key}", "")
                lines.append(f"  {where} {n} CALLERROR {key}  e.g. {sample[:160]}")
            for key, n in sorted(p.get("violations", {}).items()):
                sample = p.get("samples", {}).get(key, "")
                lines.append(f"  {where} {n} x {key}  e.g. {sample[:160]}")
            for key, n in p.get("connect_errors", {}).items():
                lines.append(f"  {where} {n} x {key}")
            for key, n in p.get("connections_lost", {}).items():
                lines.append(f"  {where} {n} connections lost by the server: {key}")
            if p.get("unanswered"):
                lines.append(f"  {where} {p['unanswered']} CALLs never answered")
            if p.get("close_stuck"):
                lines.append(f"  {where} {p['close_stuck']} connections did not close in 10 s")
            bs = {b: n for b, n in p.get("boot_status", {}).items() if b != "Accepted"}
            if bs:
                lines.append(f"  {where} BootNotification statuses {bs}")
            if p.get("server_calls"):
                lines.append(f"  {where} server-initiated CALLs {p['server_calls']}")
            if k == "csms" and p.get("starts") and p["distinct_tx_ids"] < p["starts"]:
                lines.append(
                    f"  {where} {p['starts'] - p['distinct_tx_ids']} repeated transactionIds"
                )
            tags = {s: n for s, n in p.get("idtag_status", {}).items() if "Accepted" not in s}
            if tags:
                lines.append(f"  {where} idTagInfo statuses {tags}")
        if t.get("note"):
            lines.append(f"  {name}: note: {t['note']}")
        if (t.get("id_tag_registration") or {}).get("error"):
            lines.append(f"  {name}: id tag registration: {t['id_tag_registration']['error']}")
        ex = t.get("exit", {})
        if ex.get("already_exited"):
            lines.append(f"  {name}: server had exited on its own (code {ex.get('returncode')})")
        elif ex.get("killed"):
            lines.append(f"  {name}: server ignored SIGTERM for 15 s and was killed")
        elif ex.get("returncode") not in (0, -15, None):
            lines.append(f"  {name}: server exited with code {ex['returncode']} after SIGTERM")
        log = t.get("log", {})
        if log.get("flagged_lines"):
            lines.append(f"  {name}: {log['flagged_lines']} log lines look like errors/warnings:")
            lines += [f"      {ln[:200]}" for ln in log["flagged_first"][:8]]
        if t.get("error"):
            lines.append(f"  {name}: run failed: {t['error']}")
            lines += [f"      {ln[:200]}" for ln in log.get("tail", [])[-6:]]
    return lines
