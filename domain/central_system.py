"""CentralSystem: the use cases of a CSMS, one method each, over a unit of work.

Methods never save: the caller (the batching writer in production, a dict in tests) saves the
pending events of every aggregate it handed out. Times come in as arguments, so that a command
re-run after a failed batch decides exactly as it did the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.charge_point import ChargePoint, start_key
from domain.errors import ChargePointNotAccepted
from domain.id_tag import IdTag, unknown_tag
from domain.operator_use_cases import OperatorUseCases, charge_point_of
from domain.ports import Aggregates
from domain.transaction import Transaction
from domain.transaction_ids import TransactionIds
from domain.values import (
    Authorization,
    BootDecision,
    BootInfo,
    MeterValue,
    ReportedTime,
    StartDecision,
    StatusReport,
    StopDecision,
)
from domain.vocabulary import (
    DataTransferStatus,
    StopReason,
)


@dataclass(frozen=True)
class Policy:
    heartbeat_interval: int = 300
    # Vendors whose DataTransfer we understand; none yet, so every vendor is unknown.
    known_vendors: frozenset[str] = frozenset()


def ensure_accepted(charge_point: ChargePoint) -> None:
    """OCPP-J errata §3.8: before Accepted, only BootNotification is answered."""
    if not charge_point.accepted:
        raise ChargePointNotAccepted(
            charge_point.charge_point_id, charge_point.registration_status.value
        )


def authorize(aggregates: Aggregates, id_tag: str, now: datetime) -> Authorization:
    tag = aggregates.get(IdTag, IdTag.create_id(id_tag))
    return tag.authorization(now) if tag else unknown_tag()


class CentralSystem(OperatorUseCases):
    """The use cases of charge points; those of operators come from `OperatorUseCases`."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()

    # -- the connection -------------------------------------------------------------------

    def connect(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        connection_id: str,
        at: datetime,
        remote: str | None,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).connect(connection_id, at, remote)

    def disconnect(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        connection_id: str,
        at: datetime,
        reason: str,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).disconnect(connection_id, at, reason)

    # -- Core, charge point to CSMS -------------------------------------------------------

    def boot(
        self, aggregates: Aggregates, charge_point_id: str, boot: BootInfo, received_at: datetime
    ) -> BootDecision:
        status = charge_point_of(aggregates, charge_point_id).report_boot(boot, received_at)
        return BootDecision(status, self.policy.heartbeat_interval)

    def report_status(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        report: StatusReport,
        received_at: datetime,
    ) -> None:
        charge_point = charge_point_of(aggregates, charge_point_id)
        ensure_accepted(charge_point)
        charge_point.report_status(report, received_at)

    def start_transaction(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        connector_id: int,
        id_tag: str,
        meter_start: int,
        timestamp: ReportedTime,
        reservation_id: int | None,
        received_at: datetime,
    ) -> StartDecision:
        charge_point = charge_point_of(aggregates, charge_point_id)
        ensure_accepted(charge_point)
        tag = aggregates.get(IdTag, IdTag.create_id(id_tag))
        key = start_key(connector_id, id_tag, timestamp, meter_start)

        repeated = charge_point.repeated_start(key)
        if repeated is not None:
            first = aggregates.get(Transaction, Transaction.create_id(repeated))
            if first is not None:
                # The charge point lost our answer and asked again (OCPP16.md T3).
                answer = tag.authorization(received_at) if tag else unknown_tag()
                same = Authorization(first.authorization, answer.expiry_date, answer.parent_id_tag)
                return StartDecision(repeated, same, duplicate=True)

        transaction_id = self._transaction_ids(aggregates).allocate()
        older = charge_point.open_transaction_on(connector_id)
        if older is not None:
            self._abandon(aggregates, charge_point, older, transaction_id, received_at)
        # After the abandon: the transaction it ended no longer counts against the tag's
        # concurrency policy (its stop was lost; the connector is charging anew).
        authorization = tag.authorization_to_start(received_at) if tag else unknown_tag()

        aggregates.add(
            Transaction(
                transaction_id,
                charge_point.charge_point_id,
                connector_id,
                id_tag,
                meter_start,
                timestamp,
                reservation_id,
                authorization.status,
                received_at,
            )
        )
        charge_point.begin_transaction(connector_id, transaction_id, key, received_at)
        if tag is not None:
            tag.use_for(transaction_id)
        return StartDecision(transaction_id, authorization)

    def report_meter_values(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        connector_id: int,
        transaction_id: int | None,
        meter_values: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> None:
        charge_point = charge_point_of(aggregates, charge_point_id)
        ensure_accepted(charge_point)
        transaction = self._transaction_of(aggregates, charge_point, transaction_id)
        if transaction is None:
            charge_point.report_meter_values(
                connector_id, transaction_id, meter_values, received_at
            )
        else:
            transaction.report_meter_values(connector_id, meter_values, received_at)

    def stop_transaction(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        transaction_id: int,
        id_tag: str | None,
        meter_stop: int,
        timestamp: ReportedTime,
        reason: StopReason | None,
        transaction_data: tuple[MeterValue, ...],
        received_at: datetime,
    ) -> StopDecision:
        charge_point = charge_point_of(aggregates, charge_point_id)
        ensure_accepted(charge_point)
        authorization = None if id_tag is None else authorize(aggregates, id_tag, received_at)
        transaction = self._transaction_of(aggregates, charge_point, transaction_id)
        if transaction is None:
            charge_point.report_unknown_stop(
                transaction_id, id_tag, meter_stop, timestamp, reason, transaction_data, received_at
            )
            return StopDecision(authorization, known_transaction=False)
        if transaction.stop(meter_stop, timestamp, reason, id_tag, transaction_data, received_at):
            charge_point.end_transaction(transaction_id, received_at)
            self._release(aggregates, transaction)
        return StopDecision(authorization)

    def data_transfer(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        vendor_id: str,
        message_id: str | None,
        data: str | None,
        received_at: datetime,
    ) -> DataTransferStatus:
        charge_point = charge_point_of(aggregates, charge_point_id)
        ensure_accepted(charge_point)
        if vendor_id.casefold() in self.policy.known_vendors:
            answer = DataTransferStatus.UNKNOWN_MESSAGE_ID
        else:
            answer = DataTransferStatus.UNKNOWN_VENDOR_ID
        charge_point.receive_data_transfer(vendor_id, message_id, data, answer.value, received_at)
        return answer

    def record_findings(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        action: str,
        findings: tuple[str, ...],
        payload: str,
        received_at: datetime,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).record_findings(
            action, findings, payload, received_at
        )

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _transaction_ids(aggregates: Aggregates) -> TransactionIds:
        ids = aggregates.get(TransactionIds, TransactionIds.create_id())
        if ids is None:
            ids = TransactionIds()
            aggregates.add(ids)
        return ids

    @staticmethod
    def _transaction_of(
        aggregates: Aggregates, charge_point: ChargePoint, transaction_id: int | None
    ) -> Transaction | None:
        if transaction_id is None or transaction_id <= 0:
            return None
        transaction = aggregates.get(Transaction, Transaction.create_id(transaction_id))
        if transaction is None:
            return None
        if transaction.charge_point_id.casefold() != charge_point.charge_point_id.casefold():
            return None  # another charge point's id: unknown to this one
        return transaction

    def _abandon(
        self,
        aggregates: Aggregates,
        charge_point: ChargePoint,
        older_id: int,
        newer_id: int,
        received_at: datetime,
    ) -> None:
        older = aggregates.get(Transaction, Transaction.create_id(older_id))
        charge_point.end_transaction(older_id, received_at)
        if older is not None:
            older.abandon(newer_id, received_at)
            self._release(aggregates, older)

    @staticmethod
    def _release(aggregates: Aggregates, transaction: Transaction) -> None:
        tag = aggregates.get(IdTag, IdTag.create_id(transaction.id_tag))
        if tag is not None:
            tag.release(transaction.transaction_id)
