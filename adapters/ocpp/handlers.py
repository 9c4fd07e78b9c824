"""One handler per action a charge point sends us. Each translates the request, runs one use
case (through the batching writer when it records something) and returns the response."""

from __future__ import annotations

from adapters.ocpp import v16
from adapters.ocpp.context import CallContext
from adapters.ocpp.routing import Router
from adapters.ocpp.translate import (
    boot_info,
    connector_id,
    id_tag_info,
    meter_values,
    reported_time,
    status_report,
    stop_reason,
)
from domain.id_tag import IdTag, unknown_tag

router = Router()
Action = v16.Action


@router.on(Action.BOOT_NOTIFICATION, v16.BootNotificationRequest)
async def boot_notification(
    ctx: CallContext, request: v16.BootNotificationRequest
) -> v16.BootNotificationResponse:
    boot = boot_info(request)
    decision = await ctx.record(
        lambda unit: ctx.csms.boot(unit, ctx.charge_point_id, boot, ctx.received_at)
    )
    return v16.BootNotificationResponse(
        status=v16.RegistrationStatus(decision.status.value),
        current_time=v16.format_timestamp(ctx.now()),
        interval=decision.interval,
    )


@router.on(Action.HEARTBEAT, v16.HeartbeatRequest)
async def heartbeat(ctx: CallContext, request: v16.HeartbeatRequest) -> v16.HeartbeatResponse:
    # Liveness only: the session already noted that the charge point spoke; no event.
    return v16.HeartbeatResponse(current_time=v16.format_timestamp(ctx.now()))


@router.on(Action.AUTHORIZE, v16.AuthorizeRequest)
async def authorize(ctx: CallContext, request: v16.AuthorizeRequest) -> v16.AuthorizeResponse:
    tag = await ctx.read(IdTag, IdTag.create_id(request.id_tag))
    answer = tag.authorization(ctx.received_at) if tag else unknown_tag()
    return v16.AuthorizeResponse(id_tag_info=id_tag_info(answer))


@router.on(Action.STATUS_NOTIFICATION, v16.StatusNotificationRequest, lenient=True)
async def status_notification(
    ctx: CallContext, request: v16.StatusNotificationRequest
) -> v16.StatusNotificationResponse:
    report = status_report(request, ctx.findings, ctx.received_at)
    await ctx.record(
        lambda unit: ctx.csms.report_status(unit, ctx.charge_point_id, report, ctx.received_at)
    )
    return v16.StatusNotificationResponse()


@router.on(Action.START_TRANSACTION, v16.StartTransactionRequest, lenient=True)
async def start_transaction(
    ctx: CallContext, request: v16.StartTransactionRequest
) -> v16.StartTransactionResponse:
    connector = connector_id(Action.START_TRANSACTION, request.connector_id, ctx.findings)
    timestamp = reported_time(request.timestamp, "timestamp", ctx.findings, ctx.received_at)
    started = await ctx.record(
        lambda unit: ctx.csms.start_transaction(
            unit,
            ctx.charge_point_id,
            connector,
            request.id_tag,
            request.meter_start,
            timestamp,
            request.reservation_id,
            ctx.received_at,
        )
    )
    return v16.StartTransactionResponse(
        transaction_id=started.transaction_id,
        id_tag_info=id_tag_info(started.authorization),
    )


@router.on(Action.METER_VALUES, v16.MeterValuesRequest, lenient=True)
async def meter_values_(
    ctx: CallContext, request: v16.MeterValuesRequest
) -> v16.MeterValuesResponse:
    connector = connector_id(Action.METER_VALUES, request.connector_id, ctx.findings)
    values = meter_values(request.meter_value, "meterValue", ctx.findings, ctx.received_at)
    await ctx.record(
        lambda unit: ctx.csms.report_meter_values(
            unit,
            ctx.charge_point_id,
            connector,
            request.transaction_id,
            values,
            ctx.received_at,
        )
    )
    return v16.MeterValuesResponse()


@router.on(Action.STOP_TRANSACTION, v16.StopTransactionRequest, lenient=True)
async def stop_transaction(
    ctx: CallContext, request: v16.StopTransactionRequest
) -> v16.StopTransactionResponse:
    timestamp = reported_time(request.timestamp, "timestamp", ctx.findings, ctx.received_at)
    data = meter_values(
        request.transaction_data or [], "transactionData", ctx.findings, ctx.received_at
    )
    stopped = await ctx.record(
        lambda unit: ctx.csms.stop_transaction(
            unit,
            ctx.charge_point_id,
            request.transaction_id,
            request.id_tag,
            request.meter_stop,
            timestamp,
            stop_reason(request.reason),
            data,
            ctx.received_at,
        )
    )
    if stopped.authorization is None:
        return v16.StopTransactionResponse()
    return v16.StopTransactionResponse(id_tag_info=id_tag_info(stopped.authorization))


@router.on(Action.DATA_TRANSFER, v16.DataTransferRequest)
async def data_transfer(
    ctx: CallContext, request: v16.DataTransferRequest
) -> v16.DataTransferResponse:
    status = await ctx.record(
        lambda unit: ctx.csms.data_transfer(
            unit,
            ctx.charge_point_id,
            request.vendor_id,
            request.message_id,
            request.data,
            ctx.received_at,
        )
    )
    return v16.DataTransferResponse(status=v16.DataTransferStatus(status.value))


# Charge-point actions of profiles that later work adds; until then they answer NotSupported.
UNSUPPORTED = frozenset(
    {
        Action.DIAGNOSTICS_STATUS_NOTIFICATION,
        Action.FIRMWARE_STATUS_NOTIFICATION,
        Action.SECURITY_EVENT_NOTIFICATION,
        Action.SIGN_CERTIFICATE,
        Action.LOG_STATUS_NOTIFICATION,
        Action.SIGNED_FIRMWARE_STATUS_NOTIFICATION,
    }
)
