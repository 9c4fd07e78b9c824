"""The use cases of operators: registration, the id-tag registry, and the record of commands
sent to charge points with what their answers changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.charge_point import ChargePoint
from domain.errors import UnknownChargePoint, UnknownCommand
from domain.id_tag import IdTag
from domain.ports import Aggregates
from domain.remote_command import RemoteCommand
from domain.values import ConfigurationKey
from domain.vocabulary import (
    AuthorizationStatus,
    AvailabilityType,
    CommandFailure,
    RegistrationStatus,
)


def charge_point_of(aggregates: Aggregates, charge_point_id: str) -> ChargePoint:
    charge_point = aggregates.get(ChargePoint, ChargePoint.create_id(charge_point_id))
    if charge_point is None:
        raise UnknownChargePoint(charge_point_id)
    return charge_point


class OperatorUseCases:
    # -- operators ------------------------------------------------------------------------

    def register_charge_point(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        key_hashes: tuple[str, ...],
        at: datetime,
    ) -> ChargePoint:
        """Register a charge point, or update the key of one already registered."""
        charge_point = aggregates.get(ChargePoint, ChargePoint.create_id(charge_point_id))
        if charge_point is None:
            charge_point = ChargePoint(charge_point_id, key_hashes, at)
            aggregates.add(charge_point)
        else:
            charge_point.change_authorization_key(key_hashes, at)
        return charge_point

    def set_registration_status(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        status: RegistrationStatus,
        at: datetime,
    ) -> ChargePoint:
        charge_point = charge_point_of(aggregates, charge_point_id)
        charge_point.change_registration_status(status, at)
        return charge_point

    def set_id_tag(
        self,
        aggregates: Aggregates,
        id_tag: str,
        status: AuthorizationStatus,
        expiry_date: datetime | None,
        parent_id_tag: str | None,
        at: datetime,
        *,
        concurrent_transactions: bool = True,
    ) -> IdTag:
        tag = aggregates.get(IdTag, IdTag.create_id(id_tag))
        if tag is None:
            tag = IdTag(id_tag, status, expiry_date, parent_id_tag, concurrent_transactions, at)
            aggregates.add(tag)
        else:
            tag.update(status, expiry_date, parent_id_tag, concurrent_transactions, at)
        return tag

    # -- commands to the charge point -------------------------------------------------------

    def request_command(
        self,
        aggregates: Aggregates,
        command_id: UUID,
        charge_point_id: str,
        action: str,
        request: dict[str, Any],
        requested_by: str,
        at: datetime,
    ) -> RemoteCommand:
        charge_point = charge_point_of(aggregates, charge_point_id)
        command = RemoteCommand(
            command_id, charge_point.charge_point_id, action, request, requested_by, at
        )
        aggregates.add(command)
        return command

    def record_command_answer(
        self, aggregates: Aggregates, command_id: UUID, response: dict[str, Any], at: datetime
    ) -> RemoteCommand:
        command = self._command(aggregates, command_id)
        command.record_answer(response, at)
        return command

    def record_command_failure(
        self,
        aggregates: Aggregates,
        command_id: UUID,
        failure: CommandFailure,
        error_code: str | None,
        description: str,
        at: datetime,
    ) -> RemoteCommand:
        command = self._command(aggregates, command_id)
        command.record_failure(failure, error_code, description, at)
        return command

    def record_availability(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        connector_id: int,
        availability: AvailabilityType,
        scheduled: bool,
        at: datetime,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).change_availability(
            connector_id, availability, scheduled, at
        )

    def record_configuration(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        keys: tuple[ConfigurationKey, ...],
        unknown_keys: tuple[str, ...],
        complete: bool,
        at: datetime,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).report_configuration(
            keys, unknown_keys, complete, at
        )

    def record_configuration_change(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        key: str,
        value: str,
        reboot_required: bool,
        at: datetime,
    ) -> None:
        charge_point_of(aggregates, charge_point_id).change_configuration(
            key, value, reboot_required, at
        )

    def rotate_authorization_key(
        self,
        aggregates: Aggregates,
        charge_point_id: str,
        key_hashes: tuple[str, ...],
        at: datetime,
    ) -> None:
        """The charge point accepted a new AuthorizationKey: from now on only it is valid."""
        charge_point_of(aggregates, charge_point_id).change_authorization_key(key_hashes, at)

    @staticmethod
    def _command(aggregates: Aggregates, command_id: UUID) -> RemoteCommand:
        command = aggregates.get(RemoteCommand, command_id)
        if command is None:
            raise UnknownCommand(command_id)
        return command
