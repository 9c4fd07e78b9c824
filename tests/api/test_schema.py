"""The committed schema is the live one: a change to the API shows in review."""

from __future__ import annotations

from pathlib import Path

import api
from api.schema import export_schema

COMMITTED = Path(api.__file__).with_name("schema.graphql")


def test_the_committed_schema_is_the_live_one() -> None:
    """api/schema.graphql equals the schema the code builds."""
    assert COMMITTED.read_text() == export_schema(), (
        "api/schema.graphql is out of date: run scripts/export-schema and commit the result"
    )
