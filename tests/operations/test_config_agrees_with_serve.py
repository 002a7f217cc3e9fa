"""`passback config check` and `passback serve` refuse the same configurations, the same way:
every problem listed, exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import clean_environment, free_port


def run(command: str, env: dict[str, str]) -> tuple[int, str]:
    argv = [sys.executable, "-m", "bots", *command.split()]
    done = subprocess.run(
        argv, env=clean_environment(env), capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout + done.stderr


def broken(tmp_path: Path) -> dict[str, tuple[dict[str, str], str]]:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("entries:\n  - id: [unclosed\n")
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    return {
        "overlay": ({"PASSBACK_CATALOG": str(overlay)}, "not valid YAML"),
        "no path": ({"PASSBACK_DATABASE_URL": "sqlite:///"}, "names no file"),
        "data dir": ({"PASSBACK_DATA_DIR": str(not_a_dir)}, "is not a directory"),
        "webhook secret": ({"PASSBACK_ESCALATION_WEBHOOK_SECRET": "abcde"}, "16 characters"),
        "slack secret": (
            {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "abcde"},
            "SLACK_SIGNING_SECRET is too short",
        ),
        "body limit": ({"PASSBACK_HTTP_BODY_SECONDS": "5s"}, "PASSBACK_HTTP_BODY_SECONDS must be"),
    }


@pytest.mark.parametrize(
    "case", ["overlay", "no path", "data dir", "webhook secret", "slack secret"]
)
def test_what_serve_refuses_config_check_refuses(tmp_path: Path, case: str) -> None:
    env, words = broken(tmp_path)[case]
    env = {
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "PASSBACK_DATA_DIR": str(tmp_path / "d"),
        **env,
    }
    check_code, check_said = run("config check", env)
    serve_code, serve_said = run("serve", env)
    assert (check_code, serve_code) == (1, 1), (check_said, serve_said)
    assert words in check_said and words in serve_said
    assert "Configuration OK" not in check_said
    assert "Traceback" not in check_said + serve_said


def test_both_list_every_problem_at_once(tmp_path: Path) -> None:
    env = {"HOST": "127.0.0.1", "PORT": "99999"}
    words = []
    for extra, said in broken(tmp_path).values():
        env.update(extra)
        words.append(said)
    env.pop("PASSBACK_DATABASE_URL")  # one database setting at a time: the data dir's
    words.remove("names no file")
    for command in ("config check", "serve"):
        code, said = run(command, env)
        assert code == 1
        for problem in [*words, "PORT must be a number"]:
            assert problem in said, (command, problem, said)
