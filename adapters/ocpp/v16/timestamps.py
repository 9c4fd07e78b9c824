"""OCPP date-times: read what chargers really send (T5), write what every charger understands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["ParsedTimestamp", "format_timestamp", "parse_timestamp"]

# RFC 3339 / ISO 8601 extended format, relaxed: 't'/'z' in any case, a space for 'T', fractions
# of any length (',' too), offsets as +hh:mm, +hhmm or +hh, optional seconds.
_DATE_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt ]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)


@dataclass(frozen=True, slots=True)
class ParsedTimestamp:
    """A wire date-time as received and as understood.

    Attributes:
        raw: the string as sent (None when the field was absent).
        at: the moment in UTC (microseconds at most), or None when it could not be read.
        findings: conformance findings, one human-readable line each (empty when clean).
    """

    raw: str | None
    at: datetime | None
    findings: list[str] = field(default_factory=list)


def _zone(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        msg = "offset out of range"
        raise ValueError(msg)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _read(raw: str) -> tuple[datetime, list[str]]:
    match = _DATE_TIME.fullmatch(raw.strip())
    if match is None:
        msg = "not an ISO 8601 date-time"
        raise ValueError(msg)
    findings: list[str] = []
    fraction = match["fraction"] or ""
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    second = int(match["second"] or 0)
    extra = timedelta()
    if second == 60:  # a leap second: read as the last microsecond of that minute
        second, micro = 59, 999_999
        findings.append(f"{raw!r} has a leap second; read as :59.999999")
    hour = int(match["hour"])
    if hour == 24 and match["minute"] == "00" and second == 0 and micro == 0:
        hour, extra = 0, timedelta(days=1)  # ISO 8601 end of day
    zone = _zone(match["zone"])
    if zone is None:
        findings.append(f"{raw!r} has no UTC offset; read as UTC")
        zone = UTC
    moment = datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        hour,
        int(match["minute"]),
        second,
        micro,
        tzinfo=zone,
    )
    return (moment + extra).astimezone(UTC), findings


def parse_timestamp(raw: str | None) -> ParsedTimestamp:
    """Read an OCPP date-time leniently; never raises.

    Accepts RFC 3339 / ISO 8601 with `Z` or an offset, fractions of any length (truncated to
    microseconds), lowercase `t`/`z` and a space instead of `T`. A time without offset is read
    as UTC with a finding; empty or unreadable text gives `at=None` with a finding. An absent
    field (`None`) gives `at=None` without a finding: optional times may be absent.

    Args:
        raw: the string from the payload, or None when the field was absent.

    Returns:
        The raw text, the UTC moment (or None) and the findings.
    """
    if raw is None:
        return ParsedTimestamp(raw=None, at=None)
    # Fast path for what nearly every charger sends: RFC 3339 with `Z` or an offset.
    if len(raw) >= 20 and raw[10] == "T":
        try:
            moment = datetime.fromisoformat(raw)
            if moment.tzinfo is not None:
                return ParsedTimestamp(raw=raw, at=moment.astimezone(UTC))
        except (ValueError, OverflowError):
            pass  # the careful reading below says what is wrong
    if not raw.strip():
        return ParsedTimestamp(raw=raw, at=None, findings=[f"{raw!r} is an empty date-time"])
    try:
        at, findings = _read(raw)
    except (ValueError, OverflowError):
        return ParsedTimestamp(raw=raw, at=None, findings=[f"{raw!r} is not an ISO 8601 date-time"])
    return ParsedTimestamp(raw=raw, at=at, findings=findings)


def format_timestamp(moment: datetime) -> str:
    """Write a moment as `YYYY-MM-DDTHH:MM:SSZ`: UTC, no fraction, understood by all chargers.

    Args:
        moment: a timezone-aware datetime.

    Returns:
        The OCPP date-time text.

    Raises:
        ValueError: the datetime is naive (we never guess our own time zone).
    """
    if moment.utcoffset() is None:
        msg = f"cannot send a naive datetime: {moment.isoformat()}"
        raise ValueError(msg)
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )
