"""Stop and start the server on the same database: state and the id sequence continue."""

from __future__ import annotations

from ocpp.v16 import call
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus

from domain.charge_point import ChargePoint
from domain.transaction import Transaction
from domain.vocabulary import ConnectorStatus
from tests.support.charge_point import ocpp_charge_point
from tests.support.server import running_csms


async def test_state_and_ids_survive_a_restart(database_url: str) -> None:
    """Connector states, open transactions and transaction ids continue after a restart."""
    async with running_csms(database_url) as csms:
        await csms.register("CP-R")
        async with ocpp_charge_point(csms.url("CP-R"), "CP-R") as cp:
            await cp.call(
                call.StatusNotification(
                    connector_id=1,
                    error_code=ChargePointErrorCode.no_error,
                    status=ChargePointStatus.charging,
                )
            )
            first = await cp.call(
                call.StartTransaction(
                    connector_id=1, id_tag="T", meter_start=0, timestamp="2026-12-01T10:00:00Z"
                )
            )

    async with running_csms(database_url) as csms:
        cache = csms.runtime.cache
        charge_point = await csms.runtime.services.read(ChargePoint, ChargePoint.create_id("CP-R"))
        assert charge_point is not None
        assert charge_point.connectors[1].status is ConnectorStatus.CHARGING
        assert charge_point.open_transaction_on(1) == first.transaction_id
        # The charge point reconnects without booting and goes on where it was.
        async with ocpp_charge_point(csms.url("CP-R"), "CP-R") as cp:
            await cp.call(
                call.StopTransaction(
                    meter_stop=700,
                    timestamp="2026-12-01T11:00:00Z",
                    transaction_id=first.transaction_id,
                )
            )
            second = await cp.call(
                call.StartTransaction(
                    connector_id=2, id_tag="T", meter_start=0, timestamp="2026-12-01T11:01:00Z"
                )
            )
        assert second.transaction_id > first.transaction_id
        stopped = cache.get(Transaction, Transaction.create_id(first.transaction_id))
        assert stopped is not None
        assert stopped.energy_wh == 700
