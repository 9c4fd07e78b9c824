"""The `csms` command: settings from flags over CSMS_* variables, bad values exit 2 with one
line naming the setting, and the registry commands record events."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main
from adapters.runtime import Runtime
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
