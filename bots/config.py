"""Configuration from environment variables, validated at start-up with every problem listed.

Each part of the bot reads its own variables in its own `from_env(env, problems)` function;
`load_settings` gathers them so a misconfigured start-up says everything that is wrong at once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bots.escalation.settings import EscalationSettings
from bots.slack.settings import SlackSettings
from bots.teams.settings import TeamsSettings
from canvas.settings import CanvasSettings
from catalog.settings import CatalogSettings

DEFAULT_PORT = 3978  # the Bot Framework convention; also what the Emulator expects
LOCAL_MODE_HOST = "127.0.0.1"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_IDLE_SECONDS = 10.0  # a connection idle, or still sending its request head
DEFAULT_BODY_SECONDS = 5.0  # for a request's body to arrive
MAX_LIMIT_SECONDS = 300.0


class ConfigError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The configuration has {len(problems)} problem(s):\n{lines}")


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str
    port: int
    log_level: str
    catalog_overlay: Path | None
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    body_seconds: float = DEFAULT_BODY_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str], problems: list[str]) -> ServerSettings:
        port = DEFAULT_PORT
        raw_port = env.get("PORT", "").strip()
        if raw_port:
            if raw_port.isdigit() and 1 <= int(raw_port) <= 65535:
                port = int(raw_port)
            else:
                problems.append(f"PORT must be a number from 1 to 65535, not {raw_port!r}")
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
            log_level = "INFO"
        return cls(
            host=env.get("HOST", "").strip() or "0.0.0.0",
            port=port,
            log_level=log_level,
            catalog_overlay=CatalogSettings.from_env(env, problems).overlay,
            idle_seconds=_seconds(
                env, "PASSBACK_HTTP_IDLE_SECONDS", DEFAULT_IDLE_SECONDS, problems
            ),
            body_seconds=_seconds(
                env, "PASSBACK_HTTP_BODY_SECONDS", DEFAULT_BODY_SECONDS, problems
            ),
        )


def _seconds(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_LIMIT_SECONDS):
        problems.append(
            f"{name} must be a number of seconds above 0 and up to {MAX_LIMIT_SECONDS:.0f}, "
            f"not {raw!r}"
        )
        return default
    return seconds


@dataclass(frozen=True, slots=True)
class Settings:
    server: ServerSettings
    escalation: EscalationSettings
    teams: TeamsSettings | None = None  # None: not configured (Settings built in code)
    slack: SlackSettings | None = None  # None: Slack is off
    canvas: CanvasSettings | None = None  # None: Canvas is off; answers are the catalog's alone


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """All settings from `env` (default: the process environment); ConfigError lists problems."""
    env = os.environ if env is None else env
    problems: list[str] = []
    server = ServerSettings.from_env(env, problems)
    teams = TeamsSettings.from_env(env, problems)
    slack = SlackSettings.from_env(env, problems)
    escalation = EscalationSettings.from_env(env, problems, slack)
    canvas = CanvasSettings.from_env(env, problems)
    if problems:
        raise ConfigError(problems)
    if not env.get("HOST", "").strip() and teams.enabled and not teams.authenticated:
        # Teams in local mode takes requests without a token: for an Emulator on this machine,
        # so by default only this machine can reach it. HOST=0.0.0.0 says otherwise.
        server = replace(server, host=LOCAL_MODE_HOST)
    return Settings(server=server, teams=teams, slack=slack, escalation=escalation, canvas=canvas)
