"""Starting and stopping the servers under test, and the database around target A."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchlib.sysinfo import die_with_parent, free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
CSMS_BIN = ROOT / ".venv" / "bin" / "csms"
ECHO = Path(__file__).resolve().parent / "echo_server.py"


class ServerProcess:
    """A server in its own session (process group), logging to a file, stopped for sure."""

    registry: list[ServerProcess] = []

    def __init__(self, name: str, argv: list[str], log_path: Path, cpu: int | None) -> None:
        self.name, self.argv, self.log_path = name, argv, log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()

        def preexec() -> None:
            die_with_parent()
            if cpu is not None:
                os.sched_setaffinity(0, {cpu})

        self.proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=preexec,  # noqa: PLW1509 - single-threaded here
        )
        self.pid = self.proc.pid
        self.exit_info: dict = {}
        ServerProcess.registry.append(self)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 15.0) -> dict:
        """SIGTERM the process group, SIGKILL after `grace` seconds."""
        if self.exit_info:
            return self.exit_info
        info: dict = {"already_exited": not self.alive()}
        t0 = time.monotonic()
        if self.alive():
            self._signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                info["killed"] = True
                self._signal(signal.SIGKILL)
                self.proc.wait(5)
        else:
            self._signal(signal.SIGKILL)  # leftovers in its group, if any
        info["returncode"] = self.proc.returncode
        info["stop_s"] = round(time.monotonic() - t0, 2)
        self.log.close()
        self.exit_info = info
        return info

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def log_excerpt(self, lines: int = 12) -> dict:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return {}
        all_lines = text.splitlines()
        pat = re.compile(r"Traceback|ERROR|Error|Exception|CRITICAL|WARNING")
        flagged = [ln for ln in all_lines if pat.search(ln)]
        return {
            "lines": len(all_lines),
            "flagged_lines": len(flagged),
            "flagged_first": flagged[:lines],
            "tail": all_lines[-lines:],
        }

    @classmethod
    def stop_all(cls) -> None:
        for p in cls.registry:
            try:
                p.stop(grace=5.0)
            except Exception as exc:  # cleanup must go on
                print(f"bench: stopping {p.name}: {exc!r}", file=sys.stderr)


def start_reference(log_dir: Path, cpu: int | None) -> tuple[ServerProcess, int]:
    port = free_port()
    argv = [sys.executable, str(ECHO), "--port", str(port)]
    return ServerProcess("reference", argv, log_dir / "reference.log", cpu), port


def csms_command() -> list[str]:
    """.venv/bin/csms, or (not installed into the venv yet) the same entry point via -c."""
    if CSMS_BIN.exists():
        return [str(CSMS_BIN)]
    return [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())"]


def csms_available() -> tuple[bool, str]:
    if not (ROOT / "adapters" / "cli.py").exists():
        return False, "adapters/cli.py does not exist yet"
    try:
        r = subprocess.run(
            [*csms_command(), "serve", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"csms serve --help: {exc!r}"
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        return False, f"csms serve --help exited {r.returncode}: {' | '.join(tail)}"
    return True, ""


REGISTER_TAGS = """
import contextlib, io, sys, time
from adapters.cli import main
url, tags = sys.argv[1], sys.argv[2:]
t0, done = time.monotonic(), 0
for tag in tags:
    with contextlib.redirect_stdout(io.StringIO()):
        rc = main(["id-tags", "set", tag, "--status", "Accepted", "--database-url", url])
    if rc:
        sys.exit(f"id-tags set {tag} exited {rc}")
    done += 1
    if time.monotonic() - t0 > 90:
        sys.exit(f"gave up after {done} tags in 90 s")
"""


def register_id_tags(db_url: str, tags: list[str]) -> dict:
    """`csms id-tags set TAG --status Accepted` for each tag, in one python process."""
    t0 = time.monotonic()
    try:
        r = subprocess.run(
            [sys.executable, "-c", REGISTER_TAGS, db_url, *tags],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        out = {"count": len(tags), "returncode": r.returncode}
        if r.returncode:
            out["error"] = (r.stderr.strip().splitlines() or ["?"])[-1][:300]
    except (OSError, subprocess.TimeoutExpired) as exc:
        out = {"count": len(tags), "error": repr(exc)}
    out["seconds"] = round(time.monotonic() - t0, 2)
    return out


def start_csms(db_url: str, log_dir: Path, cpu: int | None) -> tuple[ServerProcess, int, int]:
    ocpp_port, http_port = free_port(), free_port()
    while http_port == ocpp_port:
        http_port = free_port()
    argv = [
        *csms_command(),
        "serve",
        "--database-url",
        db_url,
        "--ocpp-host",
        "127.0.0.1",
        "--ocpp-port",
        str(ocpp_port),
        "--http-host",
        "127.0.0.1",
        "--http-port",
        str(http_port),
        "--accept-unknown-charge-points",
    ]
    return ServerProcess("csms", argv, log_dir / "csms.log", cpu), ocpp_port, http_port


def wait_ready(server: ServerProcess, port: int, timeout: float) -> float:
    return wait_port(port, timeout, alive=server.alive)


# -- PostgreSQL ------------------------------------------------------------------
def _admin(base: str):
    import psycopg

    return psycopg.connect(base.rstrip("/") + "/postgres", autocommit=True, connect_timeout=10)


def create_db(base: str, name: str) -> str:
    from psycopg import sql

    with _admin(base) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base.rstrip("/") + "/" + name


def drop_db(base: str, name: str) -> None:
    from psycopg import sql

    with _admin(base) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def backend_pids(base: str, name: str) -> list[int]:
    """PIDs of the PostgreSQL backends connected to database `name` (readable: same host)."""
    try:
        with _admin(base) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchall()
    except Exception:
        return []
    return [r[0] for r in rows]


def count_events(db_url: str) -> dict:
    """Rows in csms_events, or the tables (with row counts) if it is not there."""
    import psycopg
    from psycopg import sql

    out: dict = {}
    with psycopg.connect(db_url, autocommit=True, connect_timeout=10) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND table_type = 'BASE TABLE' ORDER BY 1, 2"
        ).fetchall()
        counts = {}
        for schema, table in tables[:60]:
            q = sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            counts[f"{schema}.{table}" if schema != "public" else table] = conn.execute(
                q
            ).fetchone()[0]
        out["tables"] = counts
        if "csms_events" in counts:
            out["table"], out["events"] = "csms_events", counts["csms_events"]
        else:
            guesses = [t for t in counts if "event" in t.lower()]
            if len(guesses) == 1:
                out["table"], out["events"] = guesses[0], counts[guesses[0]]
                out["note"] = "no csms_events table; counted the one table named like *event*"
            else:
                out["note"] = "no csms_events table; see tables"
        if out.get("table") and "." not in out["table"]:
            out["by_topic"] = _by_topic(conn, out["table"])
    return out


def _by_topic(conn, table: str) -> dict[str, int]:
    """Events per topic (eventsourcing's `topic` column), if the table has one."""
    from psycopg import sql

    has = conn.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'topic'",
        (table,),
    ).fetchone()
    if not has:
        return {}
    q = sql.SQL("SELECT topic, count(*) FROM {} GROUP BY 1 ORDER BY 2 DESC LIMIT 40").format(
        sql.Identifier(table)
    )
    return {str(topic).rsplit(":", 1)[-1]: n for topic, n in conn.execute(q).fetchall()}


def data_directory(base: str) -> str | None:
    """PostgreSQL's data directory (readable by a superuser), or None."""
    try:
        with _admin(base) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
    except Exception:
        return None
    return row[0] if row else None
