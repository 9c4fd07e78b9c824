"""idTag and idTags: the registry as operators set it, found whatever the case, in pages."""

from __future__ import annotations

from domain.vocabulary import AuthorizationStatus
from tests.api.support import Api
from tests.support.moments import at

ID_TAG = "query ($idTag: String!) { idTag(idTag: $idTag) { idTag status expiryDate parentIdTag } }"
PAGE = """
query ($first: Int, $after: String) {
  idTags(first: $first, after: $after) {
    edges { node { idTag } cursor }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_an_id_tag_whatever_the_case(api: Api) -> None:
    """Status, expiry and parent as set; any spelling finds it; an unknown tag is null."""
    api.history.system.set_id_tag(
        api.history.aggregates, "Tag-B", AuthorizationStatus.BLOCKED, at(60), "PARENT", at(0)
    )
    api.project()

    for spelling in ("Tag-B", "TAG-b"):
        assert (await api.query(ID_TAG, idTag=spelling))["idTag"] == {
            "idTag": "Tag-B",
            "status": "BLOCKED",
            "expiryDate": "2026-12-01T12:01:00+00:00",
            "parentIdTag": "PARENT",
        }
    assert (await api.query(ID_TAG, idTag="other"))["idTag"] is None


async def test_id_tags_come_in_pages_ordered_by_tag(api: Api) -> None:
    """first/after walk the registry by tag regardless of case."""
    for id_tag in ("b", "A", "c"):
        api.history.tag(id_tag, at(0))
    api.project()

    first = (await api.query(PAGE, first=2))["idTags"]
    rest = (await api.query(PAGE, first=2, after=first["pageInfo"]["endCursor"]))["idTags"]

    assert [edge["node"]["idTag"] for edge in first["edges"]] == ["A", "b"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["idTag"] for edge in rest["edges"]] == ["c"]
    assert rest["pageInfo"]["hasNextPage"] is False
