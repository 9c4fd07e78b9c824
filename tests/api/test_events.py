"""events: the log for auditors, in order of position, whole or one stream, in pages; each
event's attributes as plain JSON."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.events import read_events
from api.pagination import encode_cursor
from domain.charge_point import ChargePoint
from domain.csms import Csms
from domain.id_tag import IdTag
from tests.api.support import Api, bad_input_field
from tests.projections.history import History, energy
from tests.support.moments import at

EVENTS = """
query ($streamId: ID, $first: Int, $after: String) {
  events(streamId: $streamId, first: $first, after: $after) {
    edges { node { position streamId version type timestamp data } cursor }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CHARGE_POINT = str(ChargePoint.create_id("CP-1"))
TAG = str(IdTag.create_id("TAG-1"))


def history(api: Api) -> None:
    """Six events in two streams, committed one at a time so that positions are known."""
    steps = [
        lambda: api.history.tag("TAG-1", at(0)),
        lambda: api.history.register("CP-1", at(1)),
        lambda: api.history.connect("CP-1", at(2)),
        lambda: api.history.boot("CP-1", at(3)),
        lambda: api.history.tag("TAG-1", at(4), expiry_date=at(99)),
        lambda: api.history.disconnect("CP-1", at(5)),
    ]
    for step in steps:
        step()
        api.history.commit()


async def nodes(api: Api, **variables: Any) -> list[dict[str, Any]]:
    page = (await api.query(EVENTS, **variables))["events"]
    return [edge["node"] for edge in page["edges"]]


async def test_the_whole_log_in_order_of_position(api: Api) -> None:
    """Every event with its stream, version, type and time."""
    history(api)

    found = await nodes(api)

    assert [(n["position"], n["type"], n["streamId"], n["version"]) for n in found] == [
        (1, "IdTag.Registered", TAG, 1),
        (2, "ChargePoint.Registered", CHARGE_POINT, 1),
        (3, "ChargePoint.Connected", CHARGE_POINT, 2),
        (4, "ChargePoint.Booted", CHARGE_POINT, 3),
        (5, "IdTag.Updated", TAG, 2),
        (6, "ChargePoint.Disconnected", CHARGE_POINT, 4),
    ]
    assert all(n["timestamp"].endswith("+00:00") for n in found)


async def test_event_data_is_plain_json(api: Api) -> None:
    """camelCase attributes, enums as OCPP values, ISO times, value objects as objects; no
    envelope fields, and no key hashes."""
    history(api)

    registered, _, booted = (await nodes(api, first=4))[1:4]

    assert registered["data"] == {
        "chargePointId": "CP-1",
        "keyHashes": "<redacted>",
        "registeredAt": "2026-12-01T12:00:01+00:00",
    }
    assert booted["data"] == {
        "boot": {
            "vendor": "Vendor",
            "model": "Model",
            "chargePointSerialNumber": "SN-1",
            "chargeBoxSerialNumber": None,
            "firmwareVersion": "1.0",
            "iccid": None,
            "imsi": None,
            "meterType": None,
            "meterSerialNumber": None,
        },
        "answered": "Accepted",
        "receivedAt": "2026-12-01T12:00:03+00:00",
    }


async def test_a_charge_points_reported_timestamp_stays_in_the_data(api: Api) -> None:
    """A StartTransaction's reported time is data; the node's time is when it was recorded."""
    api.history.tag("TAG-1", at(0))
    api.history.register("CP-1", at(0))
    transaction_id = api.history.start("CP-1", 1, "TAG-1", 10, at(2))
    api.history.meter("CP-1", 1, transaction_id, energy(at(3), 20), at=at(3))
    api.history.commit()

    found = {n["type"]: n for n in await nodes(api)}

    started = found["Transaction.Started"]
    assert started["timestamp"] != "2026-12-01T12:00:02+00:00"  # the library's own time
    assert started["data"]["reportedTime"] == {
        "raw": "2026-12-01T12:00:02Z",
        "at": "2026-12-01T12:00:02+00:00",
    }
    assert "timestamp" not in started["data"]
    assert started["data"]["authorization"] == "Accepted"
    sampled = found["Transaction.MeterValuesSampled"]["data"]
    assert sampled["meterValues"][0]["sampledValues"] == [
        {
            "value": "20",
            "context": None,
            "format": None,
            "measurand": "Energy.Active.Import.Register",
            "phase": None,
            "location": None,
            "unit": "Wh",
        }
    ]


async def test_the_log_in_pages(api: Api) -> None:
    """first/after walk the log by position; the last page says there is no next one."""
    history(api)

    first = (await api.query(EVENTS, first=4))["events"]
    rest = (await api.query(EVENTS, first=4, after=first["pageInfo"]["endCursor"]))["events"]

    assert [e["node"]["position"] for e in first["edges"]] == [1, 2, 3, 4]
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": first["edges"][-1]["cursor"]}
    assert [e["node"]["position"] for e in rest["edges"]] == [5, 6]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_one_stream_in_pages(api: Api) -> None:
    """With streamId only that aggregate's events, with their log positions, paged."""
    history(api)

    first = (await api.query(EVENTS, streamId=CHARGE_POINT, first=3))["events"]
    after = first["pageInfo"]["endCursor"]
    rest = (await api.query(EVENTS, streamId=CHARGE_POINT, first=3, after=after))["events"]

    assert [(e["node"]["position"], e["node"]["version"]) for e in first["edges"]] == [
        (2, 1),
        (3, 2),
        (4, 3),
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [(e["node"]["position"], e["node"]["type"]) for e in rest["edges"]] == [
        (6, "ChargePoint.Disconnected")
    ]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert [n["position"] for n in await nodes(api, streamId=TAG.upper())] == [1, 5]
    assert await nodes(api, streamId="00000000-0000-0000-0000-000000000000") == []


async def test_a_cursor_belongs_to_its_stream(api: Api) -> None:
    """A stream's cursor is refused for the whole log and for another stream."""
    history(api)
    page = (await api.query(EVENTS, streamId=CHARGE_POINT, first=1))["events"]
    cursor = page["pageInfo"]["endCursor"]
    log_cursor = encode_cursor("event", 1)

    assert bad_input_field(await api.errors(EVENTS, after=cursor)) == "after"
    assert bad_input_field(await api.errors(EVENTS, streamId=TAG, after=cursor)) == "after"
    assert bad_input_field(await api.errors(EVENTS, streamId=TAG, after=log_cursor)) == "after"


async def test_a_stream_id_must_be_a_uuid(api: Api) -> None:
    """streamId is the aggregate's UUID; anything else is BAD_USER_INPUT naming it."""
    assert bad_input_field(await api.errors(EVENTS, streamId="CP-1")) == "streamId"


def test_an_in_memory_log_is_read_through_for_a_stream() -> None:
    """Without SQL to lean on (POPO), a stream is found by reading the log."""
    store = Csms(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    history = History(store)
    for step in (
        lambda: history.register("CP-1", at(0)),
        lambda: history.tag("TAG-1", at(0)),
        lambda: history.connect("CP-1", at(1)),
    ):
        step()
        history.commit()

    found = read_events(store, UUID(CHARGE_POINT), 1, 10)

    assert [(n.id, node.type, node.version) for n, node in found] == [
        (3, "ChargePoint.Connected", 2)
    ]
