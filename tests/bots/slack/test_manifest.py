"""deploy/slack/manifest.yml asks for exactly what the bot uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from bots.slack.listeners import COMMAND

MANIFEST = Path(__file__).resolve().parents[3] / "deploy" / "slack" / "manifest.yml"


def test_the_manifest_has_the_command_events_interactivity_and_exactly_the_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # for DMs
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == [
        "app_mention",
        "message.im",
    ]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "commands",
        "groups:history",
        "im:history",
        "users:read",
        "users:read.email",
    ]
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_the_http_lines_point_at_the_events_endpoint() -> None:
    marked = [line for line in MANIFEST.read_text().splitlines() if "# HTTP mode" in line]
    assert len(marked) == 3
    assert all(line.split("#")[1].strip().split()[1].endswith("/slack/events") for line in marked)
