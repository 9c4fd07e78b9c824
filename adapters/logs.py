"""Logging for the `csms` processes: one line per record, to stderr."""

from __future__ import annotations

import logging
import os


def configure_logging() -> None:
    level = os.environ.get("CSMS_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else "INFO",
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The websockets library logs every failed handshake at ERROR with a traceback.
    logging.getLogger("websockets.server").setLevel(logging.WARNING)
