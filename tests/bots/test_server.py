"""`passback serve`: configuration checked at start-up, health endpoint, a real process."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bots.config import ConfigError, load_settings
from bots.server import build_app
from catalog import Catalog
from tests.processes import Processes


def test_defaults_need_no_configuration() -> None:
    settings = load_settings({})
    assert settings.server.port == 3978
    assert settings.server.log_level == "INFO"


def test_every_problem_is_listed_at_once(tmp_path) -> None:
    env = {"PORT": "eighty", "LOG_LEVEL": "LOUD", "PASSBACK_CATALOG": str(tmp_path / "x.yaml")}
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    text = str(caught.value)
    assert "PORT must be a number from 1 to 65535, not 'eighty'" in text
    assert "LOG_LEVEL must be one of" in text
    assert "PASSBACK_CATALOG points to" in text


async def test_healthz(catalog: Catalog) -> None:
    app = build_app(load_settings({}), catalog)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_the_address_in_a_browser_says_what_it_is(catalog: Catalog) -> None:
    app = build_app(load_settings({}), catalog)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/")
        assert response.status == 200 and response.content_type == "text/plain"
        assert "passback is running" in await response.text()
        assert (await client.get("/nothing-here")).status == 404


async def test_bad_configuration_is_words_not_a_traceback(processes: Processes) -> None:
    refused = processes.start({"PORT": "0x50", "LOG_LEVEL": "chatty"})
    assert await refused.exited(60) == 1  # as `passback config check` says it
    assert "PORT must be a number" in refused.err and "LOG_LEVEL must be one of" in refused.err
    assert "Traceback" not in refused.output


async def test_serve_answers_health_checks_on_its_port(processes: Processes) -> None:
    served = await processes.serve()  # waits for /healthz to answer 200
    await served.stop()
    assert served.url in served.err  # the banner, as a log record
    assert "Traceback" not in served.err


async def test_a_bug_is_a_500_in_words_and_a_log_line_without_values(
    catalog: Catalog, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    from aiohttp import web

    settings = load_settings({"PASSBACK_TEAMS": "off", "PASSBACK_DATA_DIR": str(tmp_path)})
    app = build_app(settings, catalog)

    async def broken(request: web.Request) -> web.Response:
        raise ValueError("PUT for ONEROSTER s7731905 failed")  # a message quoting a paste

    app.router.add_get("/broken", broken)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/broken")
        assert response.status == 500
        assert await response.json() == {"error": "internal error"}
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and all(r.exc_info is None for r in errors)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /broken failed with ValueError" in logged
    assert "s7731905" not in logged and "ONEROSTER" not in logged
