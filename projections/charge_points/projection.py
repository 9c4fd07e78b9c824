"""Which charge point events change the charge points view, and how."""

from __future__ import annotations

from typing import Any

from domain.charge_point import SECRET_KEY, ChargePoint
from domain.vocabulary import RegistrationStatus
from projections.batch import BatchProjection, event_class
from projections.charge_points.view import ChargePointsView, ChargePointsWriter


def _registered(event: Any, writer: ChargePointsWriter) -> None:
    # A charge point starts Accepted (ChargePoint.__init__); operators change that later.
    writer.register(
        event.originator_id,
        event.charge_point_id,
        RegistrationStatus.ACCEPTED.value,
        event.registered_at,
    )


def _registration_status_changed(event: Any, writer: ChargePointsWriter) -> None:
    writer.set_registration_status(event.originator_id, event.status.value, event.changed_at)


def _authorization_key_changed(event: Any, writer: ChargePointsWriter) -> None:
    writer.touch(event.originator_id, event.changed_at)


def _connected(event: Any, writer: ChargePointsWriter) -> None:
    writer.connect(event.originator_id, event.connected_at)


def _disconnected(event: Any, writer: ChargePointsWriter) -> None:
    writer.disconnect(event.originator_id, event.disconnected_at)


def _booted(event: Any, writer: ChargePointsWriter) -> None:
    writer.boot(event.originator_id, event.boot, event.received_at)


def _status_reported(event: Any, writer: ChargePointsWriter) -> None:
    report = event.report
    writer.report_connector(
        event.originator_id,
        connector_id=report.connector_id,
        status=report.status.value,
        error_code=report.error_code.value,
        info=report.info,
        vendor_id=report.vendor_id,
        vendor_error_code=report.vendor_error_code,
        timestamp=report.timestamp.at,
        timestamp_raw=report.timestamp.raw,
        received_at=event.received_at,
    )


def _transaction_begun(event: Any, writer: ChargePointsWriter) -> None:
    writer.begin_transaction(
        event.originator_id, event.connector_id, event.transaction_id, event.received_at
    )


def _transaction_ended(event: Any, writer: ChargePointsWriter) -> None:
    writer.end_transaction(event.originator_id, event.transaction_id)


def _availability_changed(event: Any, writer: ChargePointsWriter) -> None:
    writer.change_availability(
        event.originator_id,
        event.connector_id,
        event.availability.value,
        event.scheduled,
        event.changed_at,
    )


def _configuration_reported(event: Any, writer: ChargePointsWriter) -> None:
    # The domain never records AuthorizationKey; the view makes sure of it all the same.
    keys = [k for k in event.keys if k.key.casefold() != SECRET_KEY]
    writer.report_configuration(
        event.originator_id, keys, event.unknown_keys, event.complete, event.reported_at
    )


def _configuration_changed(event: Any, writer: ChargePointsWriter) -> None:
    if event.key.casefold() != SECRET_KEY:
        writer.change_configuration(event.originator_id, event.key, event.value, event.changed_at)


class ChargePointsProjection(BatchProjection[ChargePointsView]):
    name = "charge_points"
    handlers = {
        event_class(ChargePoint, "Registered"): _registered,
        event_class(ChargePoint, "RegistrationStatusChanged"): _registration_status_changed,
        event_class(ChargePoint, "AuthorizationKeyChanged"): _authorization_key_changed,
        event_class(ChargePoint, "Connected"): _connected,
        event_class(ChargePoint, "Disconnected"): _disconnected,
        event_class(ChargePoint, "Booted"): _booted,
        event_class(ChargePoint, "StatusReported"): _status_reported,
        event_class(ChargePoint, "TransactionBegun"): _transaction_begun,
        event_class(ChargePoint, "TransactionEnded"): _transaction_ended,
        event_class(ChargePoint, "AvailabilityChanged"): _availability_changed,
        event_class(ChargePoint, "ConfigurationReported"): _configuration_reported,
        event_class(ChargePoint, "ConfigurationChanged"): _configuration_changed,
    }
