"""Teams settings: the Bot Framework's conventional variables, every mistake said in words."""

from __future__ import annotations

import pytest

from bots.config import ConfigError, load_settings
from bots.teams.settings import TeamsSettings

APP_ID = "3f5b2c1d-8e7a-4b6c-9d0e-1f2a3b4c5d6e"
TENANT = "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"


def read(env: dict[str, str]) -> tuple[TeamsSettings, list[str]]:
    problems: list[str] = []
    return TeamsSettings.from_env(env, problems), problems


def test_no_variables_is_local_emulator_mode() -> None:
    settings, problems = read({})
    assert problems == []
    assert settings.enabled
    assert not settings.authenticated
    assert settings.app_type == "MultiTenant"


def test_load_settings_carries_teams() -> None:
    settings = load_settings({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s3cret"})
    assert settings.teams is not None
    assert settings.teams.authenticated
    assert settings.teams.app_id == APP_ID


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"}, "MultiTenant"),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppPassword": "x",
                "MicrosoftAppType": "multitenant",
            },
            "MultiTenant",
        ),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppPassword": "x",
                "MicrosoftAppType": "SingleTenant",
                "MicrosoftAppTenantId": TENANT,
            },
            "SingleTenant",
        ),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppType": "UserAssignedMSI",
                "MicrosoftAppTenantId": TENANT,
            },
            "UserAssignedMSI",
        ),
    ],
)
def test_valid_app_types(env: dict[str, str], expected: str) -> None:
    settings, problems = read(env)
    assert problems == []
    assert settings.app_type == expected
    assert settings.authenticated


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"MicrosoftAppId": "my-bot"}, "MicrosoftAppId must be the bot's Microsoft App ID, a GUID"),
        ({"MicrosoftAppId": APP_ID}, "MicrosoftAppPassword is required with MicrosoftAppId"),
        ({"MicrosoftAppPassword": "x"}, "MicrosoftAppPassword is set but MicrosoftAppId is not"),
        (
            {"MicrosoftAppType": "Global"},
            "MicrosoftAppType must be one of MultiTenant, SingleTenant",
        ),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppPassword": "x",
                "MicrosoftAppType": "SingleTenant",
            },
            "MicrosoftAppTenantId is required for a SingleTenant bot",
        ),
        (
            {"MicrosoftAppId": APP_ID, "MicrosoftAppType": "UserAssignedMSI"},
            "MicrosoftAppTenantId is required for a UserAssignedMSI bot",
        ),
        ({"MicrosoftAppTenantId": "contoso/evil"}, "MicrosoftAppTenantId must be a tenant GUID"),
        ({"PASSBACK_TEAMS": "maybe"}, "PASSBACK_TEAMS must be on or off"),
    ],
)
def test_mistakes_are_sentences(env: dict[str, str], sentence: str) -> None:
    _, problems = read(env)
    assert any(sentence in p for p in problems), problems


def test_all_problems_at_once_and_the_password_never_shown() -> None:
    env = {
        "MicrosoftAppId": "not-a-guid",
        "MicrosoftAppPassword": "hunter2-secret",
        "MicrosoftAppType": "Sometimes",
        "PORT": "x",
    }
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    text = str(caught.value)
    assert "MicrosoftAppId must be" in text
    assert "MicrosoftAppType must be" in text
    assert "PORT must be" in text
    assert "hunter2-secret" not in text


def test_repr_hides_the_password() -> None:
    settings, _ = read({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "hunter2-secret"})
    assert "hunter2-secret" not in repr(settings)


def test_teams_can_be_turned_off() -> None:
    settings, problems = read({"PASSBACK_TEAMS": "off"})
    assert problems == []
    assert not settings.enabled
