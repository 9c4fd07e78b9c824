"""The charge points view: what each charge point said about itself, its connectors and its
configuration keys.

Rows are keyed by the casefolded charge point id (`key`), which is also the pagination cursor;
`charge_point_id` keeps the spelling the operator registered. Neither the authorization key hash
nor the AuthorizationKey configuration key is ever copied here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.values import BootInfo, ConfigurationKey
from domain.vocabulary import AvailabilityType, ChargePointErrorCode, ConnectorStatus
from projections.batch import BatchView
from projections.charge_points.rows import (
    ChargePointRow,
    ConfigurationRow,
    ConnectorRow,
    charge_point_row,
    configuration_row,
    connector_row,
)
from projections.storage import Executor, Statement


@dataclass(frozen=True)
class ChargePointsSql:
    """The statements of one backend; parameter names are shared by both."""

    register: Statement
    set_registration_status: Statement
    touch: Statement
    connect: Statement
    disconnect: Statement
    boot: Statement
    report_connector: Statement
    begin_transaction: Statement
    end_transaction: Statement
    change_availability: Statement
    clear_configuration: Statement
    forget_configuration_key: Statement
    report_configuration_key: Statement
    change_configuration_key: Statement
    get_charge_point: Statement
    list_charge_points: Statement
    connectors_of: Statement
    configuration_of: Statement


class ChargePointsWriter:
    """The changes of one batch; every verb names the charge point by its aggregate id.

    Transactions beginning and ending on connectors (a quarter of all events) are kept back
    and written as two set statements when another kind of change comes, or at the end:
    the last begin per connector, then the ends. Only those two write `transaction_id`, an
    end clears it only where it still names the ended transaction, and ids are never
    reused, so this ends where the events' order would.
    """

    def __init__(self, executor: Executor, statements: ChargePointsSql) -> None:
        self._executor = executor
        self._sql = statements
        self._begun: dict[tuple[UUID, int], dict[str, object]] = {}
        self._ended: list[dict[str, object]] = []

    def _execute(self, statement: Statement, params: dict[str, object]) -> None:
        self.flush()
        self._executor.execute(statement, params)

    def _execute_many(self, statement: Statement, params: Sequence[dict[str, object]]) -> None:
        self.flush()
        self._executor.executemany(statement, params)

    def flush(self) -> None:
        if self._begun:
            self._executor.execute_rows(self._sql.begin_transaction, list(self._begun.values()))
            self._begun.clear()
        if self._ended:
            self._executor.execute_rows(self._sql.end_transaction, self._ended)
            self._ended = []

    def register(
        self, aggregate_id: UUID, charge_point_id: str, registration_status: str, at: datetime
    ) -> None:
        self._execute(
            self._sql.register,
            {
                "id": aggregate_id,
                "key": charge_point_id.casefold(),
                "charge_point_id": charge_point_id,
                "registration_status": registration_status,
                "at": at,
            },
        )

    def set_registration_status(self, aggregate_id: UUID, status: str, at: datetime) -> None:
        self._execute(
            self._sql.set_registration_status, {"id": aggregate_id, "status": status, "at": at}
        )

    def touch(self, aggregate_id: UUID, at: datetime) -> None:
        """Something not shown here changed (the authorization key)."""
        self._execute(self._sql.touch, {"id": aggregate_id, "at": at})

    def connect(self, aggregate_id: UUID, at: datetime) -> None:
        self._execute(self._sql.connect, {"id": aggregate_id, "at": at})

    def disconnect(self, aggregate_id: UUID, at: datetime) -> None:
        self._execute(self._sql.disconnect, {"id": aggregate_id, "at": at})

    def boot(self, aggregate_id: UUID, boot: BootInfo, at: datetime) -> None:
        self._execute(
            self._sql.boot,
            {
                "id": aggregate_id,
                "vendor": boot.vendor,
                "model": boot.model,
                "charge_point_serial_number": boot.charge_point_serial_number,
                "charge_box_serial_number": boot.charge_box_serial_number,
                "firmware_version": boot.firmware_version,
                "iccid": boot.iccid,
                "imsi": boot.imsi,
                "meter_type": boot.meter_type,
                "meter_serial_number": boot.meter_serial_number,
                "at": at,
            },
        )

    def report_connector(
        self,
        aggregate_id: UUID,
        connector_id: int,
        status: str,
        error_code: str,
        info: str | None,
        vendor_id: str | None,
        vendor_error_code: str | None,
        timestamp: datetime | None,
        timestamp_raw: str | None,
        received_at: datetime,
    ) -> None:
        """The connector's new state; its open transaction stays as it was."""
        self._execute(
            self._sql.report_connector,
            {
                "id": aggregate_id,
                "connector_id": connector_id,
                "status": status,
                "error_code": error_code,
                "info": info,
                "vendor_id": vendor_id,
                "vendor_error_code": vendor_error_code,
                "timestamp": timestamp,
                "timestamp_raw": timestamp_raw,
                "at": received_at,
            },
        )

    def begin_transaction(
        self, aggregate_id: UUID, connector_id: int, transaction_id: int, at: datetime
    ) -> None:
        """A connector never reported yet shows as Charging, as the domain has it."""
        self._begun[(aggregate_id, connector_id)] = {  # the last begin per connector wins
            "id": aggregate_id,
            "connector_id": connector_id,
            "transaction_id": transaction_id,
            "status": ConnectorStatus.CHARGING.value,
            "error_code": ChargePointErrorCode.NO_ERROR.value,
            "at": at,
        }

    def end_transaction(self, aggregate_id: UUID, transaction_id: int) -> None:
        self._ended.append({"id": aggregate_id, "transaction_id": transaction_id})

    def change_availability(
        self,
        aggregate_id: UUID,
        connector_id: int,
        availability: str,
        scheduled: bool,
        at: datetime,
    ) -> None:
        """ChangeAvailability was Accepted (`scheduled=False`) or Scheduled.

        As in the domain, a change now clears what was scheduled. A connector never reported
        yet gets a row that says what the change implies: Unavailable when made Inoperative
        now, else Available (its StatusNotification follows and corrects that).
        """
        inoperative_now = availability == AvailabilityType.INOPERATIVE.value and not scheduled
        status = ConnectorStatus.UNAVAILABLE if inoperative_now else ConnectorStatus.AVAILABLE
        self._execute(
            self._sql.change_availability,
            {
                "id": aggregate_id,
                "connector_id": connector_id,
                "status": status.value,
                "error_code": ChargePointErrorCode.NO_ERROR.value,
                "availability": None if scheduled else availability,
                "scheduled_availability": availability if scheduled else None,
                "at": at,
            },
        )

    def report_configuration(
        self,
        aggregate_id: UUID,
        keys: Sequence[ConfigurationKey],
        unknown_keys: Sequence[str],
        complete: bool,
        at: datetime,
    ) -> None:
        """A GetConfiguration answer: a complete one replaces every key, a partial one the keys
        it names; keys it calls unknown are forgotten."""
        if complete:
            self._execute(self._sql.clear_configuration, {"id": aggregate_id})
        self._execute_many(
            self._sql.forget_configuration_key,
            [{"id": aggregate_id, "name_key": name.casefold()} for name in unknown_keys],
        )
        self._execute_many(
            self._sql.report_configuration_key,
            [
                {
                    "id": aggregate_id,
                    "name_key": entry.key.casefold(),
                    "key": entry.key,
                    "readonly": entry.readonly,
                    "value": entry.value,
                    "at": at,
                }
                for entry in keys
            ],
        )

    def change_configuration(self, aggregate_id: UUID, key: str, value: str, at: datetime) -> None:
        """ChangeConfiguration was accepted: a known key keeps its spelling and readonly flag,
        a new one is writable."""
        self._execute(
            self._sql.change_configuration_key,
            {
                "id": aggregate_id,
                "name_key": key.casefold(),
                "key": key,
                "readonly": False,
                "value": value,
                "at": at,
            },
        )


class ChargePointsView(BatchView[ChargePointsWriter]):
    """Charge points and their connectors; the backends set `sql`."""

    sql: ChargePointsSql

    def writer(self, executor: Executor) -> ChargePointsWriter:
        return ChargePointsWriter(executor, self.sql)

    def flush(self, writer: ChargePointsWriter) -> None:
        writer.flush()

    def get_charge_point(self, charge_point_id: str) -> ChargePointRow | None:
        """The charge point, whatever the case of `charge_point_id`."""
        records = self.query(self.sql.get_charge_point, {"key": charge_point_id.casefold()})
        return charge_point_row(records[0]) if records else None

    def list_charge_points(self, first: int, after: str | None = None) -> list[ChargePointRow]:
        """Up to `first` charge points ordered by key, those after the key `after`."""
        if first < 0:
            msg = f"first must not be negative, got {first}"
            raise ValueError(msg)
        params = {"after": "" if after is None else after.casefold(), "first": first}
        return [charge_point_row(r) for r in self.query(self.sql.list_charge_points, params)]

    def connectors_of(self, keys: list[str]) -> dict[str, list[ConnectorRow]]:
        """The connectors of many charge points at once (connector 0 too), by connector id.

        Every key asked for is in the answer, those of unknown charge points with no
        connectors; keys are matched case-insensitively and answered as given.
        """
        wanted = {key: key.casefold() for key in keys}
        found: dict[str, list[ConnectorRow]] = {folded: [] for folded in wanted.values()}
        if found:
            records = self.query(self.sql.connectors_of, {"keys": list(found)})
            for record in records:
                found[record["charge_point_key"]].append(connector_row(record))
        return {key: found[folded] for key, folded in wanted.items()}

    def configuration_of(self, keys: list[str]) -> dict[str, list[ConfigurationRow]]:
        """The configuration keys of many charge points at once, by key regardless of case.

        Every charge point key asked for is in the answer (unknown ones with no keys); they
        are matched case-insensitively and answered as given.
        """
        wanted = {key: key.casefold() for key in keys}
        found: dict[str, list[ConfigurationRow]] = {folded: [] for folded in wanted.values()}
        if found:
            records = self.query(self.sql.configuration_of, {"keys": list(found)})
            for record in records:
                found[record["charge_point_key"]].append(configuration_row(record))
        return {key: found[folded] for key, folded in wanted.items()}
