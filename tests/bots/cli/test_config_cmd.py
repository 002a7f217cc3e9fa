"""`passback config check` shows the effective configuration with secrets masked."""

from __future__ import annotations

import pytest

from bots.cli import main
from bots.cli.config_cmd import mask


def test_masks_secrets_by_name_and_passwords_in_urls() -> None:
    assert mask("app_password", "hunter2") == "****"
    assert mask("bot_token", "xoxb-1") == "****"
    assert mask("signing_secret", "abc") == "****"
    assert (
        mask("database_url", "postgresql://bot:pa55@db:5432/pb")
        == "postgresql://bot:****@db:5432/pb"
    )
    assert mask("port", 3978) == "3978"
    assert mask("app_id", "") == "(not set)"


def test_check_prints_settings_without_secrets(monkeypatch, capsys) -> None:
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-000000000001")
    monkeypatch.setenv("MicrosoftAppPassword", "very-secret-password")
    monkeypatch.setenv("PORT", "4000")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "server.port = 4000" in out
    assert "very-secret-password" not in out
    assert "Configuration OK." in out


def test_check_lists_every_problem(monkeypatch, capsys) -> None:
    monkeypatch.setenv("PORT", "99999")
    monkeypatch.setenv("LOG_LEVEL", "SHOUTY")
    assert main(["config", "check"]) == 1
    err = capsys.readouterr().err
    assert "PORT must be a number" in err and "LOG_LEVEL must be one of" in err


@pytest.mark.parametrize("argv", [["config"], ["config", "show"]])
def test_usage(argv, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
