"""OCPP-J CALLERRORs, spelled as OCPP 1.6 spells them (typos included, OCPP16.md §2.2), and
the one table that maps domain errors to them.

    OcppError                       .code is the CALLERROR code
    ├── NotImplementedError_        NotImplemented: the action is not known
    ├── NotSupported                a 1.6 action we do not handle
    ├── InternalError
    ├── ProtocolError               payload incomplete
    ├── SecurityError               e.g. a request before the charge point is Accepted
    ├── FormationViolation
    ├── PropertyConstraintViolation
    ├── OccurenceConstraintViolation
    ├── TypeConstraintViolation
    └── GenericError
"""

from __future__ import annotations

from typing import ClassVar

from domain.errors import (
    ChargePointNotAccepted,
    DomainError,
    TransactionIdsExhausted,
    UnknownChargePoint,
)


class OcppError(Exception):
    code: ClassVar[str] = "GenericError"

    def __init__(self, description: str = "") -> None:
        super().__init__(description)
        self.description = description

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.description!r})"


class NotImplementedAction(OcppError):
    code = "NotImplemented"


class NotSupported(OcppError):
    code = "NotSupported"


class InternalError(OcppError):
    code = "InternalError"


class ProtocolError(OcppError):
    code = "ProtocolError"


class SecurityError(OcppError):
    code = "SecurityError"


class FormationViolation(OcppError):
    code = "FormationViolation"


class PropertyConstraintViolation(OcppError):
    code = "PropertyConstraintViolation"


class OccurenceConstraintViolation(OcppError):
    code = "OccurenceConstraintViolation"


class TypeConstraintViolation(OcppError):
    code = "TypeConstraintViolation"


class GenericError(OcppError):
    code = "GenericError"


BY_CODE: dict[str, type[OcppError]] = {
    cls.code: cls
    for cls in (
        NotImplementedAction,
        NotSupported,
        InternalError,
        ProtocolError,
        SecurityError,
        FormationViolation,
        PropertyConstraintViolation,
        OccurenceConstraintViolation,
        TypeConstraintViolation,
        GenericError,
    )
}

ERROR_CODES: dict[type[DomainError], type[OcppError]] = {
    ChargePointNotAccepted: SecurityError,
    UnknownChargePoint: SecurityError,
    TransactionIdsExhausted: InternalError,
}


def from_domain(error: DomainError) -> OcppError:
    for cls in type(error).__mro__:
        if cls in ERROR_CODES:
            return ERROR_CODES[cls](str(error))  # type: ignore[index]
    return InternalError(str(error))
