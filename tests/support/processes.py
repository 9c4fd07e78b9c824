"""`csms` commands as real processes, for tests of what a user runs."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def csms_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "adapters.cli", *args]


@contextmanager
def csms_process(
    log_path: Path, *args: str, ready: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], re.Match[str]]]:
    """Run `csms ARGS` until the block ends (SIGTERM); yields once a log line matches `ready`."""
    pattern = re.compile(ready)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            csms_command(*args), stderr=log, text=True, env={**os.environ, **(env or {})}
        )
    try:
        deadline = time.monotonic() + 60
        match = None
        while match is None and time.monotonic() < deadline and process.poll() is None:
            match = pattern.search(log_path.read_text())
            time.sleep(0.05)
        assert match is not None, f"csms {args[0]} never logged {ready!r}:\n{log_path.read_text()}"
        yield process, match
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def post_graphql(url: str, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL document over HTTP (blocking: run it in a thread from async tests)."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json", "X-Csms-Operator": "alice"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result
