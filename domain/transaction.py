"""Transaction: started, meter values sampled, stopped; energy in Wh."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.values import MeterValue, ReportedTime
from domain.vocabulary import AuthorizationStatus, StopReason


class Transaction(Aggregate):
    @staticmethod
    @lru_cache(maxsize=4096)  # the transactions running now; a long tail would burden the GC
    def create_id(transaction_id: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"/transactions/{transaction_id}")

    @event("Started")
    def __init__(
        self,
        transaction_id: int,
        charge_point_id: str,
        connector_id: int,
        id_tag: str,
        meter_start: int,
        reported_time: ReportedTime,
        reservation_id: int | None,
        authorization: AuthorizationStatus,
        received_at: datetime,
    ) -> None:
        self.transaction_id = transaction_id
        self.charge_point_id = charge_point_id
        self.connector_id = connector_id
        self.id_tag = id_tag
        self.meter_start = meter_start
        self.started = reported_time
        self.reservation_id = reservation_id
        self.authorization = authorization
        self.meter_value_count = 0
        self.meter_stop: int | None = None
        self.stopped: ReportedTime | None = None
        self.stop_reason: StopReason | None = None
        self.stop_id_tag: str | None = None
        self.abandoned_for: int | None = None

    @property
    def is_stopped(self) -> bool:
        return self.meter_stop is not None

    @property
    def finished(self) -> bool:
        """Stopped or abandoned: only late meter values may still come."""
        return self.is_stopped or self.abandoned_for is not None

    @property
    def energy_wh(self) -> int | None:
        return None if self.meter_stop is None else self.meter_stop - self.meter_start

    @event("MeterValuesSampled")
    def sample(
        self,
        connector_id: int,
        meter_values: tuple[MeterValue, ...],
        after_stop: bool,
        received_at: datetime,
    ) -> None:
        self.meter_value_count += len(meter_values)

    def report_meter_values(
        self, connector_id: int, meter_values: tuple[MeterValue, ...], received_at: datetime
    ) -> None:
        """Meter values belong to their transaction even when they arrive after the stop (T4)."""
        self.sample(connector_id, meter_values, self.is_stopped, received_at)

    def stop(
        self,
        meter_stop: int,
        reported_time: ReportedTime,
        reason: StopReason | None,
        id_tag: str | None,
        transaction_data: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> bool:
        """Record the stop; a repeat is recorded only if it says something different.

        Returns:
            True for the first stop, False for a repeat.
        """
        if not self.is_stopped:
            self._stop(meter_stop, reported_time, reason, id_tag, transaction_data, received_at)
            return True
        same = (
            meter_stop == self.meter_stop
            and reported_time == self.stopped
            and reason is self.stop_reason
            and id_tag == self.stop_id_tag
        )
        if not same:
            self._report_stop_again(
                meter_stop, reported_time, reason, id_tag, transaction_data, received_at
            )
        return False

    @event("Stopped")
    def _stop(
        self,
        meter_stop: int,
        reported_time: ReportedTime,
        reason: StopReason | None,
        id_tag: str | None,
        transaction_data: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> None:
        self.meter_stop = meter_stop
        self.stopped = reported_time
        self.stop_reason = reason
        self.stop_id_tag = id_tag
        self.meter_value_count += len(transaction_data)

    @event("StoppedAgain")
    def _report_stop_again(
        self,
        meter_stop: int,
        reported_time: ReportedTime,
        reason: StopReason | None,
        id_tag: str | None,
        transaction_data: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> None:
        """A different StopTransaction for a stopped transaction: kept as a finding only."""

    def abandon(self, replaced_by: int, received_at: datetime) -> None:
        if not self.is_stopped and self.abandoned_for is None:
            self._abandon(replaced_by, received_at)

    @event("Abandoned")
    def _abandon(self, replaced_by: int, received_at: datetime) -> None:
        # A newer StartTransaction took the connector while this one was still open.
        self.abandoned_for = replaced_by
