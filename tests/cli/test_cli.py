"""The `csms` command: settings from flags over CSMS_* variables, bad values exit 2 with one
line naming the setting, and the registry commands record events."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.runtime import Runtime
from adapters.settings import load_settings
from domain.charge_point import ChargePoint
from domain.id_tag import IdTag
from domain.vocabulary import AuthorizationStatus


@pytest.mark.parametrize(
    ("argv", "env", "says"),
    [
        (["serve", "--ocpp-port", "abc"], {}, "--ocpp-port (CSMS_OCPP_PORT) = 'abc'"),
        (["serve", "--http-port", "70000"], {}, "--http-port (CSMS_HTTP_PORT) = '70000'"),
        (
            ["serve"],
            {"CSMS_HEARTBEAT_INTERVAL": "0"},
            "--heartbeat-interval (CSMS_HEARTBEAT_INTERVAL)",
        ),
        (["gateway", "--call-timeout", "-1"], {}, "--call-timeout (CSMS_CALL_TIMEOUT) = '-1'"),
        (["api", "--database-url", "mysql://x/y"], {}, "--database-url (CSMS_DATABASE_URL)"),
    ],
)
def test_a_bad_setting_exits_2_naming_it(
    argv: list[str],
    env: dict[str, str],
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One line on stderr names the flag and its variable; nothing starts."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert says in error
    assert len(error.strip().splitlines()) == 1


def test_an_unknown_command_or_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own errors keep exit code 2."""
    for argv in (
        ["fly"],
        ["serve", "--no-such-flag"],
        ["id-tags", "set", "T", "--status", "Maybe"],
    ):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
    assert "error" in capsys.readouterr().err


def test_registry_commands_record_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """charge-points add and id-tags set write events a server then reads."""
    url = f"sqlite:///{tmp_path / 'csms.db'}"
    assert (
        main(
            [
                "charge-points",
                "add",
                "CP-CLI",
                "--authorization-key",
                "k" * 16,
                "--database-url",
                url,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "id-tags",
                "set",
                "Tag-1",
                "--status",
                "Blocked",
                "--expiry",
                "2030-01-01T00:00:00",
                "--parent",
                "FLEET",
                "--forbid-concurrent-transactions",
                "--database-url",
                url,
            ]
        )
        == 0
    )
    assert "CP-CLI registered with an authorization key" in capsys.readouterr().out
    with Runtime(url) as runtime:
        charge_point = runtime.app.repository.get(ChargePoint.create_id("cp-cli"))
        assert len(charge_point.key_hashes) == 1
        assert "k" * 16 not in charge_point.key_hashes[0]
        tag = runtime.app.repository.get(IdTag.create_id("TAG-1"))
        assert (tag.id_tag, tag.status, tag.parent_id_tag) == (
            "Tag-1",
            AuthorizationStatus.BLOCKED,
            "FLEET",
        )
        assert tag.expiry_date is not None
        assert tag.expiry_date.tzinfo is not None
        assert tag.concurrent_transactions is False


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the issue promises when nothing is set."""
    for name in list(os.environ):
        if name.startswith("CSMS_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database_url == "sqlite:///var/csms.db"
    assert (settings.ocpp_host, settings.ocpp_port) == ("0.0.0.0", 9000)
    assert (settings.http_host, settings.http_port) == ("0.0.0.0", 8000)
    assert settings.heartbeat_interval == 300
    assert settings.call_timeout == 30
    assert settings.accept_unknown_charge_points is False
    monkeypatch.setenv("CSMS_ACCEPT_UNKNOWN_CHARGE_POINTS", "true")
    assert load_settings().accept_unknown_charge_points is True


def test_registry_commands_read_only_the_database_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server's setting in the environment, even a bad one, does not stop `id-tags set`."""
    monkeypatch.setenv("CSMS_OCPP_PORT", "abc")
    url = f"sqlite:///{tmp_path / 'csms.db'}"
    assert main(["id-tags", "set", "T", "--status", "Accepted", "--database-url", url]) == 0
    monkeypatch.setenv("CSMS_DATABASE_URL", "mysql://x/y")
    with pytest.raises(SystemExit) as stopped:
        main(["charge-points", "add", "CP"])
    assert stopped.value.code == 2
    assert "--database-url (CSMS_DATABASE_URL)" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["ocpp", "http"])
def test_a_host_or_port_that_cannot_be_listened_on_exits_2_naming_it(
    which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'csms.db'}"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        free = {"ocpp": ["--ocpp-port", "0"], "http": ["--http-port", "0"]}
        other = "http" if which == "ocpp" else "ocpp"
        for bad in (
            ["--" + which + "-host", "nosuch.invalid"],
            ["--" + which + "-port", str(port)],
        ):
            argv = ["serve", "--database-url", url, "--ocpp-host", "127.0.0.1"]
            argv += ["--http-host", "127.0.0.1", *free[other], *bad]
            if bad[0].endswith("host"):
                argv += ["--" + which + "-port", "0"]
            assert main(argv) == 2
            error = capsys.readouterr().err.strip()
            assert len(error.splitlines()) == 1
            assert error.startswith(f"csms: error: --{which}-host/--{which}-port")
            assert f"CSMS_{which.upper()}_HOST" in error


def test_re_adding_a_charge_point_keeps_its_key_unless_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'csms.db'}"
    cp_id = ChargePoint.create_id("CP")

    def hashes() -> tuple[str, ...]:
        with Runtime(url) as runtime:
            return tuple(runtime.app.repository.get(cp_id).key_hashes)

    db = ["--database-url", url]
    assert main(["charge-points", "add", "CP", "--authorization-key", "k" * 16, *db]) == 0
    first = hashes()
    assert len(first) == 1
    assert main(["charge-points", "add", "CP", *db]) == 0
    assert hashes() == first
    assert "CP updated with an authorization key" in capsys.readouterr().out
    assert main(["charge-points", "add", "CP", "--remove-authorization-key", *db]) == 0
    assert hashes() == ()
    with pytest.raises(SystemExit) as stopped:
        main(
            ["charge-points", "add", "CP", "--authorization-key", "x", "--remove-authorization-key"]
        )
    assert stopped.value.code == 2


def test_id_tags_set_keeps_what_it_is_not_told(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'csms.db'}"
    db = ["--database-url", url]

    def tag() -> IdTag:
        with Runtime(url) as runtime:
            found: IdTag = runtime.app.repository.get(IdTag.create_id("T"))
            return found

    setting = ["id-tags", "set", "T", "--status"]
    full = ["--expiry", "2030-01-01T00:00:00Z", "--parent", "FLEET"]
    assert main([*setting, "Accepted", *full, "--forbid-concurrent-transactions", *db]) == 0
    assert main([*setting, "Blocked", *db]) == 0
    kept = tag()
    assert kept.status is AuthorizationStatus.BLOCKED
    assert kept.expiry_date is not None
    assert (kept.parent_id_tag, kept.concurrent_transactions) == ("FLEET", False)
    cleared = ["--no-expiry", "--no-parent", "--allow-concurrent-transactions"]
    assert main([*setting, "Accepted", *cleared, *db]) == 0
    now = tag()
    assert (now.expiry_date, now.parent_id_tag, now.concurrent_transactions) == (None, None, True)
