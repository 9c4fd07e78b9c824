"""OutboundGateway: CSMS-initiated calls, each recorded as a RemoteCommand with its outcome.

In order: the request is validated against the OCPP schema only (operators may send what the
certification needs, T18) and recorded; the call goes to the charge point's live session (one
CALL in flight per connection, T11); the answer, or why there is none, is recorded, together
with the state the answer changes (availability, configuration, the Basic-auth key).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

from adapters.aggregates import UnitOfWork
from adapters.ocpp import v16
from adapters.ocpp.context import Services
from adapters.ocpp.outbound import (
    CallErrorReceived,
    CallTimedOut,
    ChargePointOffline,
    CommandNotAllowed,
    GatewayError,
    InvalidResponse,
)
from adapters.ocpp.session import ChargePointSession
from domain.charge_point import ChargePoint
from domain.credentials import authorization_key_hashes, password_hashes
from domain.errors import UnknownChargePoint
from domain.values import ConfigurationKey
from domain.vocabulary import AvailabilityType, CommandFailure, RegistrationStatus

logger = logging.getLogger(__name__)

AUTHORIZATION_KEY = "authorizationkey"
NOT_WHILE_PENDING = frozenset(
    {v16.Action.REMOTE_START_TRANSACTION, v16.Action.REMOTE_STOP_TRANSACTION}
)
REDACTED = "<redacted>"

Effect = Callable[[UnitOfWork, Services, str, Any, Any], None]


class OutboundGateway:
    def __init__(
        self,
        services: Services,
        sessions: Callable[[str], ChargePointSession | None] = lambda _id: None,
    ) -> None:
        self.services = services
        self.sessions = sessions

    async def send(
        self,
        charge_point_id: str,
        action: v16.Action,
        payload: dict[str, Any],
        requested_by: str,
    ) -> dict[str, Any]:
        """Send one call and return the charge point's (validated) response payload.

        Raises:
            pydantic.ValidationError: the request does not match the OCPP schema.
            domain.errors.UnknownChargePoint: no such charge point is registered.
            ChargePointOffline, CallTimedOut, CallErrorReceived, InvalidResponse.
        """
        request = v16.load(v16.REQUEST_MODELS[action], payload)
        await self._ensure_allowed(charge_point_id, action)
        wire = v16.dump(request)
        csms, writer, clock = self.services.csms, self.services.writer, self.services.clock
        command_id = uuid4()
        requested_at = clock()
        recorded = _redacted(action, wire)
        await writer.submit(
            lambda unit: csms.request_command(
                unit,
                command_id,
                charge_point_id,
                action.value,
                recorded,
                requested_by,
                requested_at,
            )
        )
        try:
            session = self.sessions(charge_point_id)
            if session is None:
                raise ChargePointOffline(charge_point_id, action.value)
            answer = await session.call(action.value, wire)
            try:
                response = v16.load(v16.RESPONSE_MODELS[action], answer)
            except ValidationError as error:
                raise InvalidResponse(charge_point_id, action.value, v16.describe(error)) from None
        except GatewayError as error:
            await self._record_failure(command_id, error)
            raise
        effect = EFFECTS.get(action)
        answered_at = clock()
        response_wire = v16.dump(response)
        services = self.services

        def record(unit: UnitOfWork) -> None:
            csms.record_command_answer(unit, command_id, response_wire, answered_at)
            if effect is not None:
                effect(unit, services, charge_point_id, request, response)

        await writer.submit(record)
        return response_wire

    async def _ensure_allowed(self, charge_point_id: str, action: v16.Action) -> None:
        """Pending: no remote start or stop; Rejected: nothing (OCPP16.md §1.1)."""
        charge_point = await self.services.read(ChargePoint, ChargePoint.create_id(charge_point_id))
        if charge_point is None:
            raise UnknownChargePoint(charge_point_id)
        status = charge_point.registration_status
        if status is RegistrationStatus.REJECTED or (
            status is RegistrationStatus.PENDING and action in NOT_WHILE_PENDING
        ):
            raise CommandNotAllowed(charge_point_id, action.value, status.value)

    async def _record_failure(self, command_id: Any, error: GatewayError) -> None:
        failure, code = _failure(error)
        at = self.services.clock()
        csms = self.services.csms
        try:
            await self.services.writer.submit(
                lambda unit: csms.record_command_failure(
                    unit, command_id, failure, code, str(error), at
                )
            )
        except Exception:
            logger.exception("could not record the failure of command %s", command_id)


def _failure(error: GatewayError) -> tuple[CommandFailure, str | None]:
    if isinstance(error, CallErrorReceived):
        return CommandFailure.CALL_ERROR, error.code
    if isinstance(error, CallTimedOut):
        return CommandFailure.TIMED_OUT, None
    if isinstance(error, InvalidResponse):
        return CommandFailure.INVALID_RESPONSE, None
    return CommandFailure.OFFLINE, None


def _redacted(action: v16.Action, wire: dict[str, Any]) -> dict[str, Any]:
    """The request as recorded: an AuthorizationKey never reaches the log in clear."""
    if (
        action is v16.Action.CHANGE_CONFIGURATION
        and str(wire.get("key", "")).casefold() == AUTHORIZATION_KEY
    ):
        return {**wire, "value": REDACTED}
    return wire


# -- what answers change --------------------------------------------------------------------


def _availability(
    unit: UnitOfWork,
    services: Services,
    charge_point_id: str,
    request: v16.ChangeAvailabilityRequest,
    response: v16.ChangeAvailabilityResponse,
) -> None:
    if response.status is v16.AvailabilityStatus.REJECTED:
        return
    services.csms.record_availability(
        unit,
        charge_point_id,
        request.connector_id,
        AvailabilityType(request.type.value),
        response.status is v16.AvailabilityStatus.SCHEDULED,
        services.clock(),
    )


def _configuration_report(
    unit: UnitOfWork,
    services: Services,
    charge_point_id: str,
    request: v16.GetConfigurationRequest,
    response: v16.GetConfigurationResponse,
) -> None:
    keys = tuple(
        ConfigurationKey(k.key, k.readonly, k.value) for k in response.configuration_key or []
    )
    services.csms.record_configuration(
        unit,
        charge_point_id,
        keys,
        tuple(response.unknown_key or []),
        not request.key,  # no key asked = every key reported
        services.clock(),
    )


def _configuration_change(
    unit: UnitOfWork,
    services: Services,
    charge_point_id: str,
    request: v16.ChangeConfigurationRequest,
    response: v16.ChangeConfigurationResponse,
) -> None:
    status = response.status
    if request.key.casefold() == AUTHORIZATION_KEY:
        # The new password counts only once the charge point said Accepted (T22); the old
        # one stops working at the same moment.
        if status is v16.ConfigurationStatus.ACCEPTED:
            services.csms.rotate_authorization_key(
                unit, charge_point_id, _key_hashes(request.value), services.clock()
            )
        return
    if status in (v16.ConfigurationStatus.ACCEPTED, v16.ConfigurationStatus.REBOOT_REQUIRED):
        services.csms.record_configuration_change(
            unit,
            charge_point_id,
            request.key,
            request.value,
            status is v16.ConfigurationStatus.REBOOT_REQUIRED,
            services.clock(),
        )


def _key_hashes(value: str) -> tuple[str, ...]:
    try:
        return authorization_key_hashes(value)
    except ValueError:  # not hex: the charge point took the text as it is
        return password_hashes(value)


EFFECTS: dict[v16.Action, Effect] = {
    v16.Action.CHANGE_AVAILABILITY: _availability,
    v16.Action.GET_CONFIGURATION: _configuration_report,
    v16.Action.CHANGE_CONFIGURATION: _configuration_change,
}
