"""RemoteCommand: one CSMS-initiated call to a charge point, from request to outcome.

Each command is a short stream of its own, so the history shows who asked what, what was sent,
and what the charge point answered, without growing the charge point's stream.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.vocabulary import CommandFailure


class RemoteCommand(Aggregate):
    @staticmethod
    def create_id(command_id: UUID) -> UUID:
        return command_id

    @event("Requested")
    def __init__(
        self,
        command_id: UUID,
        charge_point_id: str,
        action: str,
        request: dict[str, Any],
        requested_by: str,
        requested_at: datetime,
    ) -> None:
        self.charge_point_id = charge_point_id
        self.action = action
        self.request = request  # as sent, secrets redacted
        self.requested_by = requested_by
        self.requested_at = requested_at
        self.response: dict[str, Any] | None = None
        self.failure: CommandFailure | None = None

    @property
    def finished(self) -> bool:
        return self.response is not None or self.failure is not None

    def record_answer(self, response: dict[str, Any], answered_at: datetime) -> None:
        if not self.finished:
            self._answer(response, answered_at)

    @event("Answered")
    def _answer(self, response: dict[str, Any], answered_at: datetime) -> None:
        self.response = response

    def record_failure(
        self,
        failure: CommandFailure,
        error_code: str | None,
        description: str,
        failed_at: datetime,
    ) -> None:
        if not self.finished:
            self._fail(failure, error_code, description, failed_at)

    @event("Failed")
    def _fail(
        self,
        failure: CommandFailure,
        error_code: str | None,
        description: str,
        failed_at: datetime,
    ) -> None:
        self.failure = failure
