"""Machine facts and /proc readings: CPU and RSS of a process tree, ports, a CPU canary."""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PR_SET_PDEATHSIG = 1


def raise_nofile() -> tuple[int, int]:
    """Raise the soft RLIMIT_NOFILE to the hard limit; returns (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def die_with_parent() -> None:
    """In a forked child: get SIGTERM when the bench process dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    """root and every live process below it (scans /proc once)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = _stat_fields(int(name))
        if fields:
            children.setdefault(int(fields[1]), []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def cpu_of(pids: list[int]) -> float:
    """utime+stime (and reaped children's cutime+cstime) in seconds, summed."""
    total = 0
    for pid in pids:
        f = _stat_fields(pid)
        if f:
            total += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
    return total / CLK_TCK


def tree_cpu(root: int) -> float:
    return cpu_of(descendants(root))


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    return sum(rss_kb(pid) for pid in descendants(root))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float, alive=lambda: True) -> float:
    """Seconds until 127.0.0.1:port accepts a TCP connection; raises TimeoutError."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if not alive():
            msg = "server process exited before its port opened"
            raise RuntimeError(msg)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return time.monotonic() - t0
        except OSError:
            time.sleep(0.1)
    msg = f"port {port} did not accept connections within {timeout:.0f} s"
    raise TimeoutError(msg)


def wait_quiet(root: int, limit: float = 10.0, threshold: float = 0.05) -> float:
    """Wait until the tree uses < threshold of a core over 0.25 s (max `limit` s)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        c0 = tree_cpu(root)
        time.sleep(0.25)
        if (tree_cpu(root) - c0) / 0.25 < threshold:
            break
    return time.monotonic() - t0


def _canary_once() -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(200_000):
        x += i ^ (i >> 3)
    return (time.perf_counter() - t0) * 1000


def canary(cpu: int | None) -> float:
    """A fixed pure-Python loop, pinned to `cpu` if given; best of 5 runs, in ms."""
    old = os.sched_getaffinity(0)
    try:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
        return round(min(_canary_once() for _ in range(5)), 2)
    finally:
        os.sched_setaffinity(0, old)


def machine() -> dict:
    model = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import websockets

        ws_version = websockets.__version__
    except ImportError:
        ws_version = "?"
    try:
        kernel = subprocess.run(["uname", "-r"], capture_output=True, text=True, check=False)
        kern = kernel.stdout.strip()
    except OSError:
        kern = "?"
    with open("/proc/meminfo", encoding="ascii") as f:
        mem_kb = int(f.readline().split()[1])
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": sorted(os.sched_getaffinity(0)),
        "cpu_model": model,
        "mem_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "websockets": ws_version,
        "kernel": kern,
        "nofile": list(resource.getrlimit(resource.RLIMIT_NOFILE)),
    }
