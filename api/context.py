"""The per-request context every resolver sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.ports import Liveness, Operations
from domain.csms import Csms
from projections.views import Views


@dataclass
class Context:
    """Built once per request by `api.app`.

    Attributes:
        views: the read models (queries read only these).
        event_store: the event log, for the auditors' `events` query.
        operations: the write side; None in a read-only API process.
        liveness: in-process knowledge of when charge points last spoke.
        requested_by: who asks (recorded with every command).
        loaders: per-request DataLoaders, created lazily by name.
    """

    views: Views
    event_store: Csms
    operations: Operations | None
    liveness: Liveness | None
    requested_by: str = "anonymous"
    loaders: dict[str, Any] = field(default_factory=dict)
