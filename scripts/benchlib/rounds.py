"""Interleaved closed-loop rounds: pooling one target's rounds, and the A/B summary.

The host is noisy (PERF.md §0): a slow minute during A and a quiet one during B
can halve the A/B ratio. So the closed loop runs K times per target, interleaved
A, B, A, B, ..., each round bracketed by the CPU canary, and the headline is the
median of the per-round ratios: A and B of one round saw (nearly) the same host.
"""

from __future__ import annotations

import statistics

from benchlib.loadgen import percentiles

MEDIAN_KEYS = (
    "msgs_per_s",
    "server_cpu_us_per_msg",
    "pg_cpu_us_per_msg",
    "server_cpu_pct",
    "client_cpu_pct",
    "setup_s",
)
SUM_KEYS = (
    "window_results",
    "total_calls",
    "total_answers",
    "callerror_total",
    "unanswered",
    "starts",
    "distinct_tx_ids",
    "close_stuck",
    "wall_s",
    "window_s",
    "server_cpu_s",
    "pg_cpu_s",
    "client_cpu_s",
    "other_servers_cpu_s",
)
COUNT_KEYS = (
    "answered",
    "callerrors",
    "violations",
    "server_calls",
    "boot_status",
    "idtag_status",
    "connections_lost",
    "connect_errors",
)
MAX_SAMPLES = 20


def median(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def phase_canary(p: dict | None) -> float | None:
    """The canary of one round's phase: the mean of the readings before and after it."""
    if not p:
        return None
    vals = [p[k] for k in ("canary_before_ms", "canary_after_ms") if p.get(k) is not None]
    return round(sum(vals) / len(vals), 2) if vals else None


class Pool:
    """Raw latencies (µs) of one target's rounds, pooled for the percentiles."""

    def __init__(self) -> None:
        self.lat: dict[str, list[int]] = {}
        self.setup_lat: dict[str, list[int]] = {}
        self.clean: list[int] = []  # open loop: the seconds the disk kept up

    def take(self, phase: dict) -> None:
        """Move the raw latencies out of a round's result (they stay out of the JSON)."""
        for key, into in (("latency_raw_us", self.lat), ("setup_latency_raw_us", self.setup_lat)):
            for action, values in (phase.pop(key, None) or {}).items():
                into.setdefault(action, []).extend(values)
        self.clean += phase.pop("clean_latency_raw_us", None) or []

    def percentiles(self) -> dict:
        def pc(v: list[int]) -> dict:
            return percentiles(v, to_ms=0.001)

        out = {
            "latency_ms": {a: pc(v) for a, v in self.lat.items() if v},
            "latency_all_ms": pc([x for v in self.lat.values() for x in v]),
            "setup_latency_ms": {a: pc(v) for a, v in self.setup_lat.items() if v},
        }
        if self.clean:
            out["clean_latency_ms"] = pc(self.clean)
        return out


def _medians_and_sums(
    phases: list[dict], median_keys: tuple[str, ...], sum_keys: tuple[str, ...], per: str
) -> dict:
    """Medians over the phases (each phase's value kept as `<key>_<per>`) and sums."""
    out: dict = {}
    for k in median_keys:
        vals = [p.get(k) for p in phases]
        if any(v is not None for v in vals):
            out[k] = round(median(vals), 1)
            out[f"{k}_{per}"] = vals
    for k in sum_keys:
        if any(k in p for p in phases):
            total = sum(p.get(k, 0) for p in phases)
            out[k] = round(total, 3) if isinstance(total, float) else total
    return out


OPEN_MEDIAN_KEYS = (
    "msgs_per_s",
    "server_cpu_us_per_msg",
    "pg_cpu_us_per_msg",
    "server_cpu_pct",
    "client_cpu_pct",
)
OPEN_SUM_KEYS = (
    "window_results",
    "callerror_total",
    "unanswered",
    "disk_stalls",
    "disk_syncs",
    "clean_seconds",
)
OPEN_LIST_KEYS = ("p99_by_second_ms", "disk_max_by_second_ms", "disk_sync_ms", "disk_error")


def pool_windows(windows: list[dict], pool: Pool) -> dict:
    """One open-loop dict over all windows of a target, shaped like a single window's.

    Latency percentiles come from every window's samples together (the goal's p99); the p99
    of each window and their median are kept beside them, since one stall of the host can
    own a window's tail. Rates and costs are medians, counts are summed, and what is per
    second or per window stays per window (`<key>_windows`).
    """
    out: dict = {"windows": len(windows)}
    if not windows:
        return out
    out["target_rate"] = windows[0]["target_rate"]
    out["rate_basis"] = windows[0].get("rate_basis")
    out |= _medians_and_sums(windows, OPEN_MEDIAN_KEYS, OPEN_SUM_KEYS, "windows")
    for k in OPEN_LIST_KEYS:
        if any(k in w for w in windows):
            out[f"{k}_windows"] = [w.get(k) for w in windows]
    p99s = [(w.get("latency_all_ms") or {}).get("p99") for w in windows]
    out["p99_windows_ms"] = p99s
    out["p99_window_median_ms"] = median(p99s)
    out |= pool.percentiles()
    return out


def pool_rounds(rounds: list[dict], pool: Pool) -> dict:
    """One closed-loop dict shaped like a single phase's, over all rounds of a target.

    Rates and per-message costs are the median over rounds, counts are summed,
    latency percentiles come from all rounds' samples together.
    """
    out: dict = {"rounds": len(rounds)}
    if not rounds:
        return out
    out["charge_points"] = min(r["charge_points"] for r in rounds)
    out["requested"] = rounds[0]["requested"]
    out |= _medians_and_sums(rounds, MEDIAN_KEYS, SUM_KEYS, "rounds")
    for k in COUNT_KEYS:
        merged: dict[str, int] = {}
        for r in rounds:
            for key, n in (r.get(k) or {}).items():
                merged[key] = merged.get(key, 0) + n
        out[k] = merged
    samples: dict[str, str] = {}
    for r in rounds:
        for key, text in (r.get("samples") or {}).items():
            if key not in samples and len(samples) < MAX_SAMPLES:
                samples[key] = text
    out["samples"] = samples
    if any("pg_backends" in r for r in rounds):
        out["pg_backends"] = max(r.get("pg_backends", 0) for r in rounds)
    out["stopped_by"] = sorted({r.get("stopped_by", "?") for r in rounds})
    out["canary_ms_rounds"] = [phase_canary(r) for r in rounds]
    out |= pool.percentiles()
    return out


def summarize(report: dict) -> dict:
    """Per-round A/B ratios, their medians, and CPU per message at the run's quiet canary."""
    rounds = report.get("rounds", [])
    canaries = [report.get("canary_start_ms"), report.get("canary_end_ms")]
    for t in report["targets"].values():
        canaries += [t.get("canary_before_ms"), t.get("canary_after_ms")]
    for r in rounds:
        for k in ("csms", "reference"):
            p = r.get(k) or {}
            canaries += [p.get("canary_before_ms"), p.get("canary_after_ms")]
    seen = [c for c in canaries if c]
    quiet = min(seen) if seen else None
    done = sum(1 for r in rounds if r.get("csms") or r.get("reference"))
    out: dict = {"rounds": done, "quiet_canary_ms": quiet}
    ratio_msgs, ratio_cpu = [], []
    norm: dict[str, list] = {"csms": [], "reference": []}
    for r in rounds:
        a, b = r.get("csms"), r.get("reference")
        r["ratio_msgs_per_s"] = r["ratio_cpu_per_msg"] = None
        if a and b and b.get("msgs_per_s"):
            r["ratio_msgs_per_s"] = round(a["msgs_per_s"] / b["msgs_per_s"], 4)
            ratio_msgs.append(r["ratio_msgs_per_s"])
        if a and b and a.get("server_cpu_us_per_msg") and b.get("server_cpu_us_per_msg"):
            r["ratio_cpu_per_msg"] = round(
                a["server_cpu_us_per_msg"] / b["server_cpu_us_per_msg"], 4
            )
            ratio_cpu.append(r["ratio_cpu_per_msg"])
        for k, p in (("csms", a), ("reference", b)):
            c = phase_canary(p)
            v = None
            if p and p.get("server_cpu_us_per_msg") and c and quiet:
                v = round(p["server_cpu_us_per_msg"] * quiet / c, 1)
            if p:
                p["canary_ms"] = c
                p["server_cpu_us_per_msg_at_quiet_canary"] = v
            norm[k].append(v)
    out["ratio_msgs_per_s_rounds"] = ratio_msgs
    out["ratio_cpu_per_msg_rounds"] = ratio_cpu
    out["ratio_msgs_per_s_median"] = round(median(ratio_msgs), 4) if ratio_msgs else None
    out["ratio_cpu_per_msg_median"] = round(median(ratio_cpu), 4) if ratio_cpu else None
    for k, name in (("csms", "a"), ("reference", "b")):
        vals = [v for v in norm[k] if v is not None]
        out[f"{name}_cpu_us_per_msg_at_quiet_canary_rounds"] = norm[k]
        out[f"{name}_cpu_us_per_msg_at_quiet_canary_median"] = (
            round(median(vals), 1) if vals else None
        )
        measured = [(r.get(k) or {}).get("server_cpu_us_per_msg") for r in rounds]
        rates = [(r.get(k) or {}).get("msgs_per_s") for r in rounds]
        for key, vals in (("cpu_us_per_msg", measured), ("msgs_per_s", rates)):
            m = median(vals)
            out[f"{name}_{key}_median"] = None if m is None else round(m, 1)
    return out
