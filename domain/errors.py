"""Broken domain invariants. Expected outcomes (an invalid id tag, a stop for an unknown
transaction) are values, not exceptions.

    DomainError
    ├── UnknownChargePoint          the identity was never registered
    ├── ChargePointNotAccepted      a Pending or Rejected charge point sent a request
    ├── UnknownCommand              no remote command has that id
    └── TransactionIdsExhausted     the int32 range of OCPP transaction ids is used up
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every domain error."""


class UnknownChargePoint(DomainError):
    def __init__(self, charge_point_id: str) -> None:
        self.charge_point_id = charge_point_id
        super().__init__(f"charge point {charge_point_id!r} is not registered")

    def __repr__(self) -> str:
        return f"UnknownChargePoint({self.charge_point_id!r})"


class ChargePointNotAccepted(DomainError):
    def __init__(self, charge_point_id: str, status: str) -> None:
        self.charge_point_id = charge_point_id
        self.status = status
        super().__init__(f"charge point {charge_point_id!r} is {status}, not Accepted")

    def __repr__(self) -> str:
        return f"ChargePointNotAccepted({self.charge_point_id!r}, {self.status!r})"


class UnknownCommand(DomainError):
    def __init__(self, command_id: object) -> None:
        self.command_id = command_id
        super().__init__(f"no remote command {command_id}")

    def __repr__(self) -> str:
        return f"UnknownCommand({self.command_id!r})"


class TransactionIdsExhausted(DomainError):
    def __init__(self) -> None:
        super().__init__("no OCPP transaction ids left in the int32 range")

    def __repr__(self) -> str:
        return "TransactionIdsExhausted()"
