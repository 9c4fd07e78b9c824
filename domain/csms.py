"""Csms: the event store application. It names the log (`csms_events`) and stores events with
the typed codec, so that they replay exactly as they were recorded."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper

from domain.event_codec import TypedMapper


class Csms(Application[UUID]):
    name = "csms"
    env: ClassVar[dict[str, str]] = {}

    def construct_mapper(self) -> Mapper[UUID]:
        return TypedMapper()

    def close(self) -> None:
        # A recorder that keeps connections (adapters.postgres_recorder) returns them first.
        release = getattr(self.recorder, "release_connections", None)
        if release is not None:
            release()
        super().close()
