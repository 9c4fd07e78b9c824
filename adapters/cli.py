"""The `csms` command: `serve`, `charge-points add`, `id-tags set`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from adapters.logs import configure_logging
from adapters.settings import Settings, SettingsError, load_settings

logger = logging.getLogger("csms")

ID_TAG_STATUSES = ("Accepted", "Blocked", "Expired", "Invalid")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csms", description="OCPP 1.6J Central System")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the gateway, the API and the projections")
    _serve_flags(serve, "serve")
    for name, about in (
        ("gateway", "run only the OCPP gateway"),
        ("api", "run only the GraphQL API (commands to charge points answer offline)"),
        ("projections", "run only the projections that build the read models"),
    ):
        _serve_flags(commands.add_parser(name, help=about), name)

    charge_points = commands.add_parser("charge-points", help="manage charge points")
    cp_commands = charge_points.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = cp_commands.add_parser("add", help="register a charge point (or change its key)")
    add.add_argument("charge_point_id", metavar="ID")
    add.add_argument(
        "--authorization-key", help="HTTP Basic password the charge point must present"
    )
    _database_flag(add)
    add.set_defaults(run=_add_charge_point)

    id_tags = commands.add_parser("id-tags", help="manage the id-tag registry")
    tag_commands = id_tags.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_tag = tag_commands.add_parser("set", help="create or update an id tag")
    set_tag.add_argument("id_tag", metavar="TAG")
    set_tag.add_argument("--status", required=True, choices=ID_TAG_STATUSES)
    set_tag.add_argument("--expiry", type=_datetime, help="ISO 8601 date-time (UTC if naive)")
    set_tag.add_argument("--parent", help="parentIdTag: the group this tag belongs to")
    set_tag.add_argument(
        "--forbid-concurrent-transactions",
        action="store_true",
        help="answer ConcurrentTx while this tag has a transaction open",
    )
    _database_flag(set_tag)
    set_tag.set_defaults(run=_set_id_tag)
    return parser


def _serve_flags(parser: argparse.ArgumentParser, command: str) -> None:
    _database_flag(parser)
    parser.add_argument("--ocpp-host", help="interface for charge points (0.0.0.0)")
    parser.add_argument("--ocpp-port", help="port for charge points (9000)")
    parser.add_argument("--http-host", help="interface for the HTTP API (0.0.0.0)")
    parser.add_argument("--http-port", help="port for the HTTP API (8000)")
    parser.add_argument("--heartbeat-interval", help="seconds, sent in BootNotification (300)")
    parser.add_argument("--call-timeout", help="seconds to wait for a charge point (30)")
    parser.add_argument(
        "--accept-unknown-charge-points",
        action="store_const",
        const=True,
        default=None,
        help="register unknown identities on first contact instead of answering 404",
    )
    parser.set_defaults(run=_serve, command_name=command)


def _database_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", help="postgresql://... or sqlite:///path (default sqlite:///var/csms.db)"
    )


def _datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"not an ISO 8601 date-time: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _settings(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Settings:
    names = (
        "database_url",
        "ocpp_host",
        "ocpp_port",
        "http_host",
        "http_port",
        "heartbeat_interval",
        "call_timeout",
        "accept_unknown_charge_points",
    )
    try:
        return load_settings(**{name: getattr(args, name, None) for name in names})
    except SettingsError as error:
        parser.exit(2, f"csms: error: {error}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = _settings(parser, args)
    configure_logging()
    result: int = args.run(settings, args)
    return result


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.serve import serve

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings, args.command_name))
    return 0


def _add_charge_point(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.runtime import Runtime
    from domain.credentials import password_hashes

    key = args.authorization_key
    key_hashes = () if key is None else password_hashes(key)
    with Runtime(settings.database_url) as runtime:
        charge_point = runtime.writer.run_now(
            lambda unit: runtime.csms.register_charge_point(
                unit, args.charge_point_id, key_hashes, datetime.now(UTC)
            )
        )
    auth = "with an authorization key" if key else "without authorization key"
    print(f"charge point {charge_point.charge_point_id} registered {auth}")
    return 0


def _set_id_tag(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.runtime import Runtime
    from domain.vocabulary import AuthorizationStatus

    status = AuthorizationStatus(args.status)
    with Runtime(settings.database_url) as runtime:
        tag = runtime.writer.run_now(
            lambda unit: runtime.csms.set_id_tag(
                unit,
                args.id_tag,
                status,
                args.expiry,
                args.parent,
                datetime.now(UTC),
                concurrent_transactions=not args.forbid_concurrent_transactions,
            )
        )
    expiry = tag.expiry_date.isoformat() if tag.expiry_date else "never"
    print(f"id tag {tag.id_tag}: {tag.status.value}, expires {expiry}, parent {tag.parent_id_tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
