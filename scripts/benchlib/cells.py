"""How one figure, and one row of the report's tables, are written."""

from __future__ import annotations

W0, W = 30, 24  # the label column, then one column per target


def fmt(v, unit: str = "", nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}{unit}"
    return f"{v:,}{unit}"


def pct3(p: dict | None) -> str:
    if not p or not p.get("n"):
        return "-"
    return f"{p['p50']:.2f} / {p['p95']:.2f} / {p['p99']:.2f}"


def row(label: str, cells: list[str]) -> str:
    return f"  {label:<{W0}}" + "".join(f"{c:>{W}}" for c in cells)


def phase_by_target(rep: dict, live: list[str], phase: str) -> dict[str, dict | None]:
    """One phase's figures for each target that ran (None where it did not reach it)."""
    return {k: rep["targets"][k]["phases"].get(phase) for k in live}
