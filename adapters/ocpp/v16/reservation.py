"""Reservation profile: reserve a connector (0 = any) for an idTag, cancel a reservation."""

from __future__ import annotations

from .common import IdToken, WireEnum, WireModel

__all__ = [
    "CancelReservationRequest",
    "CancelReservationResponse",
    "CancelReservationStatus",
    "ReservationStatus",
    "ReserveNowRequest",
    "ReserveNowResponse",
]


class ReservationStatus(WireEnum):
    ACCEPTED = "Accepted"
    FAULTED = "Faulted"
    OCCUPIED = "Occupied"
    REJECTED = "Rejected"
    UNAVAILABLE = "Unavailable"


class CancelReservationStatus(WireEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class ReserveNowRequest(WireModel):
    """CSMS → CP: hold a connector for idTag (or its parentIdTag group) until expiryDate."""

    connector_id: int
    expiry_date: str
    id_tag: IdToken
    parent_id_tag: IdToken | None = None
    reservation_id: int


class ReserveNowResponse(WireModel):
    status: ReservationStatus


class CancelReservationRequest(WireModel):
    """CSMS → CP: drop a reservation."""

    reservation_id: int


class CancelReservationResponse(WireModel):
    status: CancelReservationStatus
