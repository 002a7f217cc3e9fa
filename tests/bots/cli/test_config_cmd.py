"""`passback config check` shows the effective configuration with secrets masked."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bots.cli import main
from bots.masking import SECRET_URL, describe, mask_url

WORKFLOWS_URL = (
    "https://prod-01.westus.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke"
    "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Sup3rSecretSignature"
)


@dataclass(frozen=True)
class Example:
    pin: str = field(default="", repr=False)  # secret by declaration, whatever its name
    callback_url: str = field(default="", repr=False, metadata=SECRET_URL)
    port: int = 3978
    app_id: str = ""
    api_url: str = ""


def test_settings_declare_what_is_secret() -> None:
    lines = describe(
        Example(
            pin="1234",
            callback_url="https://hooks.example.org/in?token=abc123&team=grades",
            api_url="https://u:pw@slack.example.org/api/",
        )
    )
    assert lines == [
        "pin = ****",
        "callback_url = https://hooks.example.org/in?token=****&team=grades",
        "port = 3978",
        "app_id = (not set)",
        "api_url = https://u:****@slack.example.org/api/",
    ]


def test_secret_parts_of_urls_are_masked() -> None:
    masked = mask_url(WORKFLOWS_URL)
    assert "Sup3rSecretSignature" not in masked and masked.endswith("&sv=1.0&sig=****")
    assert masked.startswith("https://prod-01.westus.logic.azure.com:443/workflows/0a1b/")
    assert mask_url("postgresql://bot:pa55@db:5432/pb") == "postgresql://bot:****@db:5432/pb"
    assert mask_url("https://x.example/a?access_token=t&api_key=k") == (
        "https://x.example/a?access_token=****&api_key=****"
    )
    assert mask_url("http://[::1") == "****"


def test_check_masks_the_workflows_signature_and_database_password(monkeypatch, capsys) -> None:
    monkeypatch.setenv("PASSBACK_TEAMS_ESCALATION_WEBHOOK_URL", WORKFLOWS_URL)
    monkeypatch.setenv("PASSBACK_DATABASE_URL", "postgresql://bot:pa55word@db:5432/passback")
    monkeypatch.setenv("PASSBACK_ESCALATION_WEBHOOK_URL", "https://tickets.example.org/in?key=k9")
    monkeypatch.setenv("PASSBACK_ESCALATION_WEBHOOK_SECRET", "0123456789abcdef-secret")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    for secret in ("Sup3rSecretSignature", "pa55word", "k9", "0123456789abcdef-secret"):
        assert secret not in out
    assert "escalation.teams_webhook_url = https://prod-01.westus.logic.azure.com:443/" in out
    assert "escalation.database_url = postgresql://bot:****@db:5432/passback" in out


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


def test_check_shows_the_http_limits_and_takes_shorter_ones(monkeypatch, capsys) -> None:
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "server.idle_seconds = 10.0" in out and "server.body_seconds = 5.0" in out
    monkeypatch.setenv("PASSBACK_HTTP_IDLE_SECONDS", "2.5")
    monkeypatch.setenv("PASSBACK_HTTP_BODY_SECONDS", "1")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "server.idle_seconds = 2.5" in out and "server.body_seconds = 1.0" in out


@pytest.mark.parametrize("value", ["ten", "0", "-3", "nan", "inf", "301"])
def test_an_http_limit_that_is_not_a_sane_time_is_refused_in_words(
    monkeypatch, capsys, value: str
) -> None:
    monkeypatch.setenv("PASSBACK_HTTP_IDLE_SECONDS", value)
    monkeypatch.setenv("PASSBACK_HTTP_BODY_SECONDS", value)
    assert main(["config", "check"]) == 1
    err = capsys.readouterr().err
    for name in ("PASSBACK_HTTP_IDLE_SECONDS", "PASSBACK_HTTP_BODY_SECONDS"):
        assert f"{name} must be a number of seconds above 0 and up to 300, not '{value}'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["config"], ["config", "show"]])
def test_usage(argv, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
