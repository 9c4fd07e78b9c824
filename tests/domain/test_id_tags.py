"""The id-tag registry answers Authorize."""

from __future__ import annotations

from datetime import timedelta

from domain.central_system import CentralSystem, authorize
from domain.vocabulary import AuthorizationStatus
from tests.support.aggregates import InMemoryAggregates
from tests.support.moments import T0, at

ACCEPTED = AuthorizationStatus.ACCEPTED


def test_unknown_tag_is_invalid(aggregates: InMemoryAggregates) -> None:
    """A tag we never heard of answers Invalid."""
    assert authorize(aggregates, "NOBODY", T0).status is AuthorizationStatus.INVALID


def test_lookup_ignores_case_and_keeps_the_spelling(
    csms: CentralSystem, aggregates: InMemoryAggregates
) -> None:
    """`abc` finds the tag registered as `ABC`, which keeps its spelling."""
    tag = csms.set_id_tag(aggregates, "ABC", ACCEPTED, None, None, T0)
    assert authorize(aggregates, "abc", T0).status is ACCEPTED
    assert tag.id_tag == "ABC"


def test_blocked_and_parent(csms: CentralSystem, aggregates: InMemoryAggregates) -> None:
    """Blocked answers Blocked; a group member answers its parentIdTag."""
    csms.set_id_tag(aggregates, "B1", AuthorizationStatus.BLOCKED, None, None, T0)
    csms.set_id_tag(aggregates, "CHILD", ACCEPTED, None, "FLEET", T0)
    assert authorize(aggregates, "B1", T0).status is AuthorizationStatus.BLOCKED
    child = authorize(aggregates, "CHILD", T0)
    assert (child.status, child.parent_id_tag) == (ACCEPTED, "FLEET")


def test_passed_expiry_answers_expired_whatever_the_status(
    csms: CentralSystem, aggregates: InMemoryAggregates
) -> None:
    """A tag past its expiry date answers Expired even if stored Accepted."""
    csms.set_id_tag(aggregates, "OLD", ACCEPTED, T0 + timedelta(hours=1), None, T0)
    assert authorize(aggregates, "OLD", T0).status is ACCEPTED
    late = authorize(aggregates, "OLD", T0 + timedelta(hours=2))
    assert late.status is AuthorizationStatus.EXPIRED
    assert late.expiry_date == T0 + timedelta(hours=1)


def test_setting_the_same_values_records_nothing(
    csms: CentralSystem, aggregates: InMemoryAggregates
) -> None:
    """Only a change is an event."""
    csms.set_id_tag(aggregates, "T", ACCEPTED, None, None, T0)
    csms.set_id_tag(aggregates, "t", ACCEPTED, None, None, at(1))
    csms.set_id_tag(aggregates, "T", AuthorizationStatus.BLOCKED, None, None, at(2))
    assert aggregates.event_names() == ["IdTag.Registered", "IdTag.Updated"]
