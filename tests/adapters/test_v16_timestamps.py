"""Reading chargers' date-times leniently and writing ours in the one safe form (T5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.ocpp.v16 import ParsedTimestamp, format_timestamp, parse_timestamp
from adapters.ocpp.v16.lenient import parse_timestamp as lenient_parse_timestamp

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-01T12:00:00Z", NOON),
        ("2026-12-01T12:00:00.000Z", NOON),
        ("2026-12-01T13:00:00+01:00", NOON),
        ("2026-12-01T07:30:00-04:30", NOON),
        ("2026-12-01T13:00:00+0100", NOON),
        ("2026-12-01T13:00:00+01", NOON),
        ("2026-12-01t12:00:00z", NOON),
        ("2026-12-01 12:00:00Z", NOON),
        ("2026-12-01T12:00Z", NOON),
        ("2026-12-01T12:00:00.123456789Z", NOON.replace(microsecond=123456)),
        ("2026-12-01T12:00:00.5Z", NOON.replace(microsecond=500000)),
        ("2026-12-01T12:00:00,25Z", NOON.replace(microsecond=250000)),
        ("2026-11-30T24:00:00Z", datetime(2026, 12, 1, tzinfo=UTC)),
        (" 2026-12-01T12:00:00Z ", NOON),
    ],
)
def test_rfc3339_and_iso8601_variants_are_read_without_findings(
    raw: str, expected: datetime
) -> None:
    """Z, offsets, any fraction length, lowercase t/z and a space for T all read cleanly."""
    parsed = parse_timestamp(raw)
    assert parsed == ParsedTimestamp(raw=raw, at=expected, findings=[])
    assert parsed.at is not None
    assert parsed.at.tzinfo is UTC


def test_a_naive_time_is_read_as_utc_with_a_finding() -> None:
    """Growatt-style local time without offset is read as UTC, and flagged."""
    parsed = parse_timestamp("2026-12-01T12:00:00")
    assert parsed.at == NOON
    assert parsed.findings == ["'2026-12-01T12:00:00' has no UTC offset; read as UTC"]


@pytest.mark.parametrize(
    ("raw", "finding"),
    [
        ("", "'' is an empty date-time"),
        ("   ", "'   ' is an empty date-time"),
        ("yesterday", "'yesterday' is not an ISO 8601 date-time"),
        ("2026-13-01T12:00:00Z", "'2026-13-01T12:00:00Z' is not an ISO 8601 date-time"),
        ("2026-12-01T12:00:00+25:00", "'2026-12-01T12:00:00+25:00' is not an ISO 8601 date-time"),
        ("1764590400", "'1764590400' is not an ISO 8601 date-time"),
        ("0001-01-01T00:00:00+01:00", "'0001-01-01T00:00:00+01:00' is not an ISO 8601 date-time"),
    ],
)
def test_empty_or_unreadable_text_gives_no_time_and_a_finding(raw: str, finding: str) -> None:
    """Nothing usable: `at` is None (use receipt time), the raw text is kept."""
    assert parse_timestamp(raw) == ParsedTimestamp(raw=raw, at=None, findings=[finding])


def test_an_absent_time_is_no_finding() -> None:
    """Optional times (StatusNotification.timestamp) may be absent."""
    assert parse_timestamp(None) == ParsedTimestamp(raw=None, at=None, findings=[])


def test_a_leap_second_is_kept_inside_its_minute() -> None:
    """23:59:60 reads as 23:59:59.999999 with a finding."""
    parsed = parse_timestamp("2016-12-31T23:59:60Z")
    assert parsed.at == datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert parsed.findings == ["'2016-12-31T23:59:60Z' has a leap second; read as :59.999999"]


def test_parse_timestamp_is_also_importable_from_lenient() -> None:
    """The lenient module offers the timestamp reader next to parse_lenient."""
    assert lenient_parse_timestamp is parse_timestamp


def test_format_timestamp_writes_utc_seconds_with_z() -> None:
    """We send `YYYY-MM-DDTHH:MM:SSZ`: UTC, no fraction, no +00:00."""
    assert format_timestamp(NOON.replace(microsecond=999999)) == "2026-12-01T12:00:00Z"
    plus_two = timezone(timedelta(hours=2))
    assert format_timestamp(datetime(2026, 12, 1, 14, 0, tzinfo=plus_two)) == (
        "2026-12-01T12:00:00Z"
    )
    assert format_timestamp(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
    assert parse_timestamp(format_timestamp(NOON)).at == NOON


def test_format_timestamp_refuses_naive_datetimes() -> None:
    """We never guess our own time zone."""
    with pytest.raises(ValueError, match="naive"):
        format_timestamp(datetime(2026, 12, 1, 12, 0))  # naive on purpose
