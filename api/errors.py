"""The one place where errors become GraphQL errors, each with `extensions.code`.

BAD_USER_INPUT          an argument is invalid (the message names the field)
NOT_FOUND               no such charge point (for commands)
CHARGE_POINT_OFFLINE    not connected to this process, or the connection closed
TIMEOUT                 no answer within --call-timeout
CALL_ERROR              the charge point answered with a CALLERROR (+ ocppErrorCode)
INVALID_RESPONSE        the charge point's answer does not match the OCPP schema
"""

from __future__ import annotations

from graphql import GraphQLError

from adapters.ocpp.outbound import (
    CallErrorReceived,
    CallTimedOut,
    ChargePointOffline,
    CommandNotAllowed,
    GatewayError,
    InvalidResponse,
)
from domain.errors import DomainError, UnknownChargePoint


def bad_input(field: str, message: str) -> GraphQLError:
    return GraphQLError(
        f"{field}: {message}", extensions={"code": "BAD_USER_INPUT", "field": field}
    )


def to_graphql_error(error: Exception) -> GraphQLError:
    if isinstance(error, CallErrorReceived):
        return GraphQLError(
            str(error),
            extensions={
                "code": "CALL_ERROR",
                "ocppErrorCode": error.code,
                "ocppErrorDescription": error.description,
                "ocppErrorDetails": error.details,
            },
        )
    if isinstance(error, CallTimedOut):
        return GraphQLError(str(error), extensions={"code": "TIMEOUT"})
    if isinstance(error, ChargePointOffline):
        return GraphQLError(str(error), extensions={"code": "CHARGE_POINT_OFFLINE"})
    if isinstance(error, CommandNotAllowed):
        return GraphQLError(str(error), extensions={"code": "NOT_ACCEPTED"})
    if isinstance(error, InvalidResponse):
        return GraphQLError(str(error), extensions={"code": "INVALID_RESPONSE"})
    if isinstance(error, UnknownChargePoint):
        return GraphQLError(str(error), extensions={"code": "NOT_FOUND"})
    if isinstance(error, GatewayError | DomainError):
        return GraphQLError(str(error), extensions={"code": "BAD_REQUEST"})
    return GraphQLError("internal error", extensions={"code": "INTERNAL_SERVER_ERROR"})
