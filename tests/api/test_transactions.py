"""transaction and transactions: a transaction as started and stopped, its meter values (late
ones too) and the energy it delivered, running or stopped; lists newest first."""

from __future__ import annotations

from typing import Any

from domain.values import MeterValue, SampledValue
from domain.vocabulary import (
    Location,
    Measurand,
    Phase,
    ReadingContext,
    StopReason,
    UnitOfMeasure,
    ValueFormat,
)
from tests.api.support import Api
from tests.projections.history import energy, reported
from tests.support.moments import at

TRANSACTION = """
query ($id: Int!) {
  transaction(id: $id) {
    id chargePointId connectorId idTag meterStart meterStop startTimestamp stopTimestamp
    stopReason energyWh reservationId
    meterValues { timestamp sampledValue { value measurand unit phase context location format } }
  }
}
"""
LIST = """
query ($chargePointId: ID, $idTag: String, $first: Int, $after: String) {
  transactions(chargePointId: $chargePointId, idTag: $idTag, first: $first, after: $after) {
    edges { node { id } cursor }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def session(api: Api, charge_point_id: str = "CP-1", id_tag: str = "Tag-1") -> None:
    api.history.tag(id_tag, at(0))
    api.history.register(charge_point_id, at(0))
    api.history.boot(charge_point_id, at(1))


def readings(moment: int, *sampled: SampledValue) -> MeterValue:
    return MeterValue(reported(at(moment)), sampled)


async def transaction(api: Api, transaction_id: int) -> Any:
    return (await api.query(TRANSACTION, id=transaction_id))["transaction"]


async def test_a_stopped_transaction(api: Api) -> None:
    """Start, stop, reason and every meter value; energy is meterStop - meterStart."""
    session(api)
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 1000, at(2))
    api.history.meter("CP-1", 1, transaction_id, energy(at(3), 1200), at=at(3))
    api.history.stop(
        "CP-1", transaction_id, 1750, at(4), energy(at(4), 1750), reason=StopReason.EV_DISCONNECTED
    )
    api.project()

    assert await transaction(api, transaction_id) == {
        "id": transaction_id,
        "chargePointId": "CP-1",
        "connectorId": 1,
        "idTag": "TAG-1",
        "meterStart": 1000,
        "meterStop": 1750,
        "startTimestamp": "2026-12-01T12:00:02+00:00",
        "stopTimestamp": "2026-12-01T12:00:04+00:00",
        "stopReason": "EV_DISCONNECTED",
        "energyWh": 750.0,
        "reservationId": None,
        "meterValues": [
            {
                "timestamp": "2026-12-01T12:00:03+00:00",
                "sampledValue": [
                    {
                        "value": "1200",
                        "measurand": "ENERGY_ACTIVE_IMPORT_REGISTER",
                        "unit": "WH",
                        "phase": None,
                        "context": None,
                        "location": None,
                        "format": None,
                    }
                ],
            },
            {
                "timestamp": "2026-12-01T12:00:04+00:00",
                "sampledValue": [
                    {
                        "value": "1750",
                        "measurand": "ENERGY_ACTIVE_IMPORT_REGISTER",
                        "unit": "WH",
                        "phase": None,
                        "context": None,
                        "location": None,
                        "format": None,
                    }
                ],
            },
        ],
    }


async def test_a_running_transaction_has_the_energy_of_its_latest_register_reading(
    api: Api,
) -> None:
    """kWh becomes Wh; per-phase, signed and other readings are not the total."""
    session(api)
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 1000, at(2))
    register = Measurand.ENERGY_ACTIVE_IMPORT_REGISTER
    api.history.meter(
        "CP-1",
        1,
        transaction_id,
        readings(3, SampledValue("1.5", measurand=register, unit=UnitOfMeasure.KWH)),
        readings(
            4,
            SampledValue("2.25", measurand=register, unit=UnitOfMeasure.KWH),
            SampledValue("9999", measurand=register, phase=Phase.L1),
            SampledValue("opaque", measurand=register, format=ValueFormat.SIGNED_DATA),
            SampledValue("7000", measurand=Measurand.POWER_ACTIVE_IMPORT, unit=UnitOfMeasure.W),
        ),
        at=at(4),
    )
    api.project()

    found = await transaction(api, transaction_id)

    assert (found["meterStop"], found["stopReason"], found["stopTimestamp"]) == (None, None, None)
    assert found["energyWh"] == 1250.0
    assert [len(v["sampledValue"]) for v in found["meterValues"]] == [1, 4]


async def test_the_latest_reading_goes_by_the_charge_points_clock(api: Api) -> None:
    """A reading sent late with an older timestamp does not count as the latest; one
    without measurand or unit is the register in Wh (the OCPP defaults)."""
    session(api)
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 100, at(2))
    api.history.meter("CP-1", 1, transaction_id, readings(10, SampledValue("600")), at=at(10))
    api.history.meter("CP-1", 1, transaction_id, energy(at(5), 300), at=at(11))
    api.project()

    assert (await transaction(api, transaction_id))["energyWh"] == 500.0


async def test_a_running_transaction_without_readings_has_no_energy(api: Api) -> None:
    """No Energy.Active.Import.Register reading yet: energyWh is null."""
    session(api)
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 100, at(2))
    api.history.meter(
        "CP-1",
        1,
        transaction_id,
        readings(3, SampledValue("16", measurand=Measurand.CURRENT_IMPORT, unit=UnitOfMeasure.A)),
        at=at(3),
    )
    api.project()

    assert (await transaction(api, transaction_id))["energyWh"] is None


async def test_meter_values_after_the_stop_still_belong_to_the_transaction(api: Api) -> None:
    """Values sent after the StopTransaction are listed; energy stays meterStop - meterStart."""
    session(api)
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 0, at(2))
    api.history.stop("CP-1", transaction_id, 400, at(3))
    late = readings(
        3,
        SampledValue(
            "230",
            context=ReadingContext.TRANSACTION_END,
            measurand=Measurand.VOLTAGE,
            phase=Phase.L1_N,
            location=Location.OUTLET,
            unit=UnitOfMeasure.V,
            format=ValueFormat.RAW,
        ),
    )
    api.history.meter("CP-1", 1, transaction_id, late, at=at(5))
    api.project()

    found = await transaction(api, transaction_id)

    assert found["energyWh"] == 400.0
    assert found["meterValues"] == [
        {
            "timestamp": "2026-12-01T12:00:03+00:00",
            "sampledValue": [
                {
                    "value": "230",
                    "measurand": "VOLTAGE",
                    "unit": "V",
                    "phase": "L1_N",
                    "context": "TRANSACTION_END",
                    "location": "OUTLET",
                    "format": "RAW",
                }
            ],
        }
    ]


async def test_an_unknown_transaction_is_null(api: Api) -> None:
    """No transaction of that id: null."""
    assert await transaction(api, 12345) is None


async def test_transactions_newest_first_filtered_and_paged(api: Api) -> None:
    """Filters ignore case; pages go from the newest to older ones."""
    session(api, "CP-A", "T1")
    session(api, "CP-B", "T2")
    started = [
        api.history.start("CP-A", 1, "T1", 0, at(2)),
        api.history.start("CP-B", 1, "T1", 0, at(3)),
        api.history.start("CP-A", 2, "T2", 0, at(4)),
        api.history.start("CP-B", 2, "T2", 0, at(5)),
    ]
    api.project()

    async def ids(**variables: Any) -> list[int]:
        page = (await api.query(LIST, **variables))["transactions"]
        return [edge["node"]["id"] for edge in page["edges"]]

    assert await ids() == started[::-1]
    assert await ids(chargePointId="cp-a") == [started[2], started[0]]
    assert await ids(idTag="t1") == [started[1], started[0]]
    assert await ids(chargePointId="CP-B", idTag="T2") == [started[3]]
    first = (await api.query(LIST, first=3))["transactions"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await api.query(LIST, first=3, after=first["pageInfo"]["endCursor"]))["transactions"]
    assert [edge["node"]["id"] for edge in rest["edges"]] == [started[0]]
    assert rest["pageInfo"] == {"hasNextPage": False, "endCursor": rest["edges"][0]["cursor"]}


async def test_meter_values_of_a_page_are_read_at_once(api: Api) -> None:
    """Every transaction of a page gets its own values (one loader for all of them)."""
    session(api)
    first = api.history.start("CP-1", 1, "TAG-1", 0, at(2))
    second = api.history.start("CP-1", 2, "TAG-1", 10, at(3))
    api.history.meter("CP-1", 1, first, energy(at(4), 50), at=at(4))
    api.history.meter("CP-1", 2, second, energy(at(4), 70), at=at(4))
    api.project()

    page = await api.query("{ transactions { edges { node { id energyWh } } } }")

    assert [edge["node"] for edge in page["transactions"]["edges"]] == [
        {"id": second, "energyWh": 60.0},
        {"id": first, "energyWh": 50.0},
    ]
