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
from adapters.settings import Settings, SettingsError, StoreSettings, load_settings

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
    key = add.add_mutually_exclusive_group()
    key.add_argument(
        "--authorization-key",
        help="HTTP Basic password the charge point must present (kept when not given)",
    )
    key.add_argument(
        "--remove-authorization-key",
        action="store_true",
        help="let the charge point connect without credentials again",
    )
    _database_flag(add)
    add.set_defaults(run=_add_charge_point)

    id_tags = commands.add_parser("id-tags", help="manage the id-tag registry")
    tag_commands = id_tags.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_tag = tag_commands.add_parser("set", help="create or update an id tag")
    set_tag.add_argument("id_tag", metavar="TAG")
    set_tag.add_argument("--status", required=True, choices=ID_TAG_STATUSES)
    # What is not given is kept from the tag as it is (a new tag: none, none, allowed).
    expiry = set_tag.add_mutually_exclusive_group()
    expiry.add_argument("--expiry", type=_datetime, help="ISO 8601 date-time (UTC if naive)")
    expiry.add_argument("--no-expiry", action="store_true", help="the tag never expires")
    parent = set_tag.add_mutually_exclusive_group()
    parent.add_argument("--parent", help="parentIdTag: the group this tag belongs to")
    parent.add_argument("--no-parent", action="store_true", help="the tag is in no group")
    concurrency = set_tag.add_mutually_exclusive_group()
    concurrency.add_argument(
        "--forbid-concurrent-transactions",
        dest="concurrent",
        action="store_false",
        default=None,
        help="answer ConcurrentTx while this tag has a transaction open",
    )
    concurrency.add_argument(
        "--allow-concurrent-transactions",
        dest="concurrent",
        action="store_true",
        help="let this tag charge on several connectors at once (the default)",
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


def _settings(parser: argparse.ArgumentParser, args: argparse.Namespace) -> StoreSettings:
    kind = Settings if args.run is _serve else StoreSettings
    names = kind.model_fields
    try:
        return load_settings(kind, **{name: getattr(args, name, None) for name in names})
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
    from adapters.serve import CannotListen, serve

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(settings, args.command_name))
    except CannotListen as error:
        print(f"csms: error: {error}", file=sys.stderr)
        return 2
    return 0


def _add_charge_point(settings: StoreSettings, args: argparse.Namespace) -> int:
    from adapters.aggregates import UnitOfWork
    from adapters.runtime import Runtime
    from domain.charge_point import ChargePoint
    from domain.credentials import password_hashes

    key = args.authorization_key
    with Runtime(settings.database_url) as runtime:

        def register(unit: UnitOfWork) -> tuple[ChargePoint, bool]:
            known = unit.get(ChargePoint, ChargePoint.create_id(args.charge_point_id))
            if key is not None:
                hashes = password_hashes(key)
            elif args.remove_authorization_key or known is None:
                hashes = ()
            else:  # re-adding must not silently drop the credentials it has
                hashes = known.key_hashes
            charge_point = runtime.csms.register_charge_point(
                unit, args.charge_point_id, hashes, datetime.now(UTC)
            )
            return charge_point, known is not None

        charge_point, existed = runtime.writer.run_now(register)
    verb = "updated" if existed else "registered"
    auth = "with an authorization key" if charge_point.key_hashes else "without authorization key"
    print(f"charge point {charge_point.charge_point_id} {verb} {auth}")
    return 0


def _set_id_tag(settings: StoreSettings, args: argparse.Namespace) -> int:
    from adapters.aggregates import UnitOfWork
    from adapters.runtime import Runtime
    from domain.id_tag import IdTag
    from domain.vocabulary import AuthorizationStatus

    status = AuthorizationStatus(args.status)
    with Runtime(settings.database_url) as runtime:

        def set_tag(unit: UnitOfWork) -> IdTag:
            known = unit.get(IdTag, IdTag.create_id(args.id_tag))
            expiry = None if args.no_expiry else args.expiry
            if expiry is None and not args.no_expiry and known is not None:
                expiry = known.expiry_date
            parent = None if args.no_parent else args.parent
            if parent is None and not args.no_parent and known is not None:
                parent = known.parent_id_tag
            concurrent = args.concurrent
            if concurrent is None:
                concurrent = known.concurrent_transactions if known is not None else True
            return runtime.csms.set_id_tag(
                unit,
                args.id_tag,
                status,
                expiry,
                parent,
                datetime.now(UTC),
                concurrent_transactions=concurrent,
            )

        tag = runtime.writer.run_now(set_tag)
    expiry = tag.expiry_date.isoformat() if tag.expiry_date else "never"
    concurrency = "allowed" if tag.concurrent_transactions else "forbidden"
    print(
        f"id tag {tag.id_tag}: {tag.status.value}, expires {expiry}, parent {tag.parent_id_tag},"
        f" concurrent transactions {concurrency}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
