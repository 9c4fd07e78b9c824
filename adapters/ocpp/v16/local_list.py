"""Local Authorization List Management profile: list version and full/differential updates."""

from __future__ import annotations

from .common import IdTagInfo, IdToken, WireEnum, WireModel

__all__ = [
    "AuthorizationData",
    "GetLocalListVersionRequest",
    "GetLocalListVersionResponse",
    "SendLocalListRequest",
    "SendLocalListResponse",
    "UpdateStatus",
    "UpdateType",
]


class UpdateType(WireEnum):
    DIFFERENTIAL = "Differential"
    FULL = "Full"


class UpdateStatus(WireEnum):
    ACCEPTED = "Accepted"
    FAILED = "Failed"
    NOT_SUPPORTED = "NotSupported"
    VERSION_MISMATCH = "VersionMismatch"


class AuthorizationData(WireModel):
    """A list entry; without idTagInfo it deletes the idTag (Differential only)."""

    id_tag: IdToken
    id_tag_info: IdTagInfo | None = None


class GetLocalListVersionRequest(WireModel):
    """CSMS → CP: which list version do you have?"""


class GetLocalListVersionResponse(WireModel):
    """0 = the list is empty, -1 = not supported."""

    list_version: int


class SendLocalListRequest(WireModel):
    """CSMS → CP: replace (Full) or patch (Differential) the local list; version never 0/-1."""

    list_version: int
    local_authorization_list: list[AuthorizationData] | None = None
    update_type: UpdateType


class SendLocalListResponse(WireModel):
    status: UpdateStatus
