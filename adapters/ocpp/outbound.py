"""Errors of CSMS-initiated calls.

GatewayError
├── ChargePointOffline      not connected, or the connection closed while waiting
├── CallTimedOut            no answer within the call timeout
└── CallErrorReceived       the charge point answered with a CALLERROR
"""

from __future__ import annotations

from typing import Any


class GatewayError(Exception):
    def __init__(self, charge_point_id: str, action: str, message: str) -> None:
        super().__init__(message)
        self.charge_point_id = charge_point_id
        self.action = action

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.charge_point_id!r}, {self.action!r})"


class ChargePointOffline(GatewayError):
    def __init__(self, charge_point_id: str, action: str) -> None:
        super().__init__(charge_point_id, action, f"charge point {charge_point_id!r} is offline")


class CallTimedOut(GatewayError):
    def __init__(self, charge_point_id: str, action: str, timeout: float) -> None:
        super().__init__(
            charge_point_id,
            action,
            f"charge point {charge_point_id!r} did not answer {action} within {timeout:g} s",
        )
        self.timeout = timeout


class CallErrorReceived(GatewayError):
    def __init__(
        self,
        charge_point_id: str,
        action: str,
        code: str,
        description: str,
        details: dict[str, Any],
    ) -> None:
        super().__init__(
            charge_point_id,
            action,
            f"charge point {charge_point_id!r} answered {action} with {code}: {description}",
        )
        self.code = code
        self.description = description
        self.details = details


class InvalidResponse(GatewayError):
    def __init__(self, charge_point_id: str, action: str, problem: str) -> None:
        super().__init__(
            charge_point_id,
            action,
            f"charge point {charge_point_id!r} answered {action} off-schema: {problem}",
        )
        self.problem = problem


class CommandNotAllowed(GatewayError):
    """OCPP forbids this call in the charge point's registration status (OCPP16.md §1.1)."""

    def __init__(self, charge_point_id: str, action: str, status: str) -> None:
        super().__init__(
            charge_point_id,
            action,
            f"charge point {charge_point_id!r} is {status}: {action} is not allowed",
        )
        self.status = status
