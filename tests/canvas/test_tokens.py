"""Access tokens refreshed through the scoped developer key, before and after they expire."""

from __future__ import annotations

import logging

import pytest

from canvas import errors
from canvas.api import CanvasClient
from canvas.settings import CanvasSettings, open_client
from canvas.tokens import RefreshedToken
from canvas.transport import Transport
from tests.canvas.conftest import FAST, Canvas
from tests.canvas.standin.district import District

SECRETS = ("dk-s3cret-1b2c", "rt-svc-9e8d")


def refreshed(canvas: Canvas, **overrides: str) -> tuple[CanvasClient, RefreshedToken]:
    d: District = canvas.district
    source = RefreshedToken(
        canvas.session,
        canvas.base_url,
        user_agent="passback/test",
        client_id=overrides.get("client_id", d.client_id),
        client_secret=overrides.get("client_secret", d.client_secret),
        refresh_token=overrides.get("refresh_token", "rt-svc-9e8d"),
    )
    transport = Transport(
        canvas.session, canvas.base_url, source, user_agent="passback/test", limits=FAST
    )
    return CanvasClient(transport), source


async def test_one_refresh_serves_many_requests(canvas: Canvas) -> None:
    client, source = refreshed(canvas)
    reader = client.reader()
    assert (await reader.users_self()).name == "Passback Service"
    await reader.sections("101")
    assert source.refreshes == 1
    (issued,) = canvas.district.issued
    api = [auth for path, auth in canvas.district.requests if path.startswith("/api/")]
    assert api and all(auth == f"Bearer {issued}" for auth in api)


async def test_an_expired_token_is_refreshed_and_the_request_retried(canvas: Canvas) -> None:
    client, source = refreshed(canvas)
    reader = client.reader()
    await reader.users_self()
    canvas.district.expire_issued_tokens()
    assert (await reader.users_self()).id == "1"
    assert source.refreshes == 2


async def test_a_token_near_its_end_is_refreshed_before_use(canvas: Canvas) -> None:
    canvas.district.access_seconds = 60  # inside the two minutes passback keeps in hand
    client, source = refreshed(canvas)
    await client.reader().users_self()
    await client.reader().users_self()
    assert source.refreshes == 2
    assert not any(
        auth == "" and path.startswith("/api/") for path, auth in canvas.district.requests
    )


@pytest.mark.parametrize(
    "overrides", [{"refresh_token": "rt-unknown"}, {"client_secret": "wrong-secret"}]
)
async def test_a_refused_refresh_is_one_typed_error_with_no_secret_in_it(
    canvas: Canvas, overrides: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="passback.canvas")
    client, _ = refreshed(canvas, **overrides)
    with pytest.raises(errors.TokenInvalid) as caught:
        await client.reader().users_self()
    assert "authorize passback again" in str(caught.value)
    shown = str(caught.value) + caplog.text + repr(client.transport.__dict__)
    for secret in (*SECRETS, *overrides.values()):
        assert secret not in shown
    assert "/login/oauth2/token -> 40" in caplog.text


async def test_settings_with_a_developer_key_open_a_refreshing_client(canvas: Canvas) -> None:
    problems: list[str] = []
    settings = CanvasSettings.from_env(
        {
            "PASSBACK_CANVAS_URL": canvas.base_url,
            "PASSBACK_CANVAS_CLIENT_ID": canvas.district.client_id,
            "PASSBACK_CANVAS_CLIENT_SECRET": canvas.district.client_secret,
            "PASSBACK_CANVAS_REFRESH_TOKEN": "rt-svc-9e8d",
        },
        problems,
    )
    assert problems == [] and settings is not None and settings.refreshed
    assert not any(s in repr(settings) for s in SECRETS)
    client = open_client(settings, canvas.session)
    assert (await client.reader().users_self()).name == "Passback Service"
    assert canvas.district.issued
