"""`passback diagnose` and `passback config check` against the Canvas stand-in."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.bots.cli.invoke import run
from tests.canvas.standin.district import HOST_TOKEN, District
from tests.canvas.threaded import standin_thread
from tests.processes import free_port

UNABLE = 'Unable to process score for s12345; missing "assignment_source_id" attribute'
ITEM_KEYS = {"type", "id", "name", "url"}
CHECK_KEYS = {"entry_id", "cause", "status", "summary", "items"}


@pytest.fixture
def canvas(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[District, str]]:
    with standin_thread() as (district, url):
        monkeypatch.setenv("PASSBACK_CANVAS_URL", url)
        monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", HOST_TOKEN)
        yield district, url


def test_json_is_exactly_the_documented_shape(capsys, canvas) -> None:
    _, url = canvas
    code, out, err = run(capsys, "diagnose", "--json", "--course", f"{url}/courses/101", stdin="")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"course", "checks"}
    assert data["course"] == {"id": "101", "name": "Chemistry", "url": f"{url}/courses/101"}
    assert len(data["checks"]) == 7  # no text: every entry Canvas can check
    for check in data["checks"]:
        assert set(check) == CHECK_KEYS
        assert check["status"] in {"found", "clear", "not-checkable", "not-permitted", "error"}
        for item in check["items"]:
            assert set(item) == ITEM_KEYS and isinstance(item["id"], str)
            assert item["type"] in {
                "assignment",
                "section",
                "submission",
                "grading-period",
                "course",
            }


def test_a_canvas_link_in_the_text_picks_course_and_assignment(capsys, canvas) -> None:
    _, url = canvas
    code, out, _ = run(capsys, "diagnose", f"{UNABLE} see {url}/courses/101/assignments/3")
    assert code == 0
    assert out.startswith(f"Chemistry ({url}/courses/101)\n")
    assert "Unable to Process Score: found - Differentiated due dates" in out
    assert "  Checked in Canvas: 'Lab 5' has due dates for Period 1 and Period 2" in out
    assert f"  - Lab 5: {url}/courses/101/assignments/3/edit" in out


def test_as_a_teacher_of_the_course(capsys, canvas) -> None:
    code, out, _ = run(
        capsys, "diagnose", "--as", "tassist@district.org", "--course", "101", "--json", UNABLE
    )
    assert code == 0
    assert [c["entry_id"] for c in json.loads(out)["checks"]] == ["unable-to-process-score"]


def test_as_someone_who_may_not_see_the_course(capsys, canvas) -> None:
    district, _ = canvas
    code, out, err = run(
        capsys, "diagnose", "--as", "oother@district.org", "--course", "101", UNABLE
    )
    assert code == 1 and out == ""
    assert "only if you teach it" in err and "Chemistry" not in err
    assert {p for p, _ in district.requests} <= {
        "/api/v1/accounts/self/users",
        "/api/v1/courses/101/enrollments",
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((UNABLE,), "Which course?"),
        (("--course", "https://other.instructure.com/courses/101", UNABLE), "not on this"),
        (("--course", "Chemistry", UNABLE), "course URL or a course id"),
        ((f"{UNABLE} https://other.example/courses/5",), "not on this district's Canvas"),
    ],
)
def test_usage_exits_2(capsys, canvas, args: tuple[str, ...], words: str) -> None:
    code, _, err = run(capsys, "diagnose", *args)
    assert code == 2 and words in err and "Traceback" not in err


def test_a_link_with_a_backslash_or_user_info_is_not_on_this_canvas(capsys, canvas) -> None:
    _, url = canvas
    bad = url.replace("http://", "http://evil.example\\@") + "/courses/101"
    code, _, err = run(capsys, "diagnose", "--course", bad, UNABLE)
    assert code == 2 and "not on this district's Canvas" in err
    code, _, err = run(capsys, "diagnose", f"{UNABLE} {bad}")
    assert code == 2 and "not on this district's Canvas" in err


@pytest.mark.parametrize("url", ["https://[::1", "https://c.example:99999", "https://c.example:x"])
@pytest.mark.parametrize("argv", [("diagnose", "--course", "101"), ("config", "check")])
def test_a_malformed_canvas_url_is_a_listed_problem(capsys, monkeypatch, url, argv) -> None:
    monkeypatch.setenv("PASSBACK_CANVAS_URL", url)
    monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", "t")
    code, _, err = run(capsys, *argv, stdin="")
    assert code == 1 and "PASSBACK_CANVAS_URL is not a valid URL" in err
    assert "something went wrong" not in err


def test_help_names_assignment_urls_and_exit_codes(capsys) -> None:
    code, out, _ = run(capsys, "diagnose", "--help")
    assert code == 0 and "assignment URL" in out and "exit codes:" in out


def test_a_refused_developer_key_names_its_settings(capsys, canvas, monkeypatch) -> None:
    district, _ = canvas
    monkeypatch.delenv("PASSBACK_CANVAS_TOKEN")
    monkeypatch.setenv("PASSBACK_CANVAS_CLIENT_ID", district.client_id)
    monkeypatch.setenv("PASSBACK_CANVAS_CLIENT_SECRET", "wrong-secret")
    monkeypatch.setenv("PASSBACK_CANVAS_REFRESH_TOKEN", "rt-svc-9e8d")
    code, _, err = run(capsys, "diagnose", "--course", "101", UNABLE)
    assert code == 1 and "PASSBACK_CANVAS_CLIENT_SECRET" in err
    assert "PASSBACK_CANVAS_TOKEN" not in err and "wrong-secret" not in err


def test_a_failure_is_one_sentence_without_log_lines(canvas) -> None:
    """Outside pytest's log capture, as a user runs it: no WARNING line before the sentence."""
    _, url = canvas
    env = {**os.environ, "PASSBACK_CANVAS_URL": url, "PASSBACK_CANVAS_TOKEN": "revoked-token"}
    env.pop("PASSBACK_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "bots", "diagnose", "--course", "101", UNABLE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "refuses passback's token (it was revoked)" in line


def test_not_configured(capsys, monkeypatch) -> None:
    monkeypatch.delenv("PASSBACK_CANVAS_URL", raising=False)
    monkeypatch.delenv("PASSBACK_CANVAS_TOKEN", raising=False)
    code, _, err = run(capsys, "diagnose", "--course", "101", UNABLE)
    assert code == 1 and "Canvas is not configured" in err


def test_plain_http_only_for_loopback(capsys, monkeypatch) -> None:
    monkeypatch.setenv("PASSBACK_CANVAS_URL", "http://canvas.district.example")
    monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", "t")
    code, _, err = run(capsys, "diagnose", "--course", "101", stdin="")
    assert code == 1 and "must use https" in err


def test_a_bad_token_is_one_sentence_and_never_printed(capsys, canvas, monkeypatch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", "revoked-token")
    code, out, err = run(capsys, "diagnose", "--course", "101", UNABLE)
    assert code == 1 and "refuses passback's token (it was revoked)" in err
    assert "revoked-token" not in out + err + caplog.text


def test_canvas_down(capsys, monkeypatch) -> None:
    monkeypatch.setenv("PASSBACK_CANVAS_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", HOST_TOKEN)
    code, _, err = run(capsys, "diagnose", "--course", "101", UNABLE)
    assert code == 1 and "did not answer" in err


def test_config_check_masks_the_token_and_says_canvas_answers(capsys, canvas) -> None:
    code, out, _ = run(capsys, "config", "check")
    assert code == 0
    assert "canvas.token = ****" in out and HOST_TOKEN not in out
    assert "Canvas: answers at 127.0.0.1" in out and "(as 'Passback Service')" in out


def test_config_check_fails_when_canvas_refuses_the_token(capsys, canvas, monkeypatch) -> None:
    monkeypatch.setenv("PASSBACK_CANVAS_TOKEN", "expired-token")
    code, out, _ = run(capsys, "config", "check")
    assert code == 1 and "refuses passback's token (it has expired)" in out
    assert "expired-token" not in out


def test_as_an_admin_from_the_list(capsys, canvas, monkeypatch) -> None:
    monkeypatch.setenv("PASSBACK_CANVAS_ADMINS", "helpdesk@district.org")
    code, out, _ = run(
        capsys,
        "diagnose",
        "--as",
        "HelpDesk@district.org",
        "--course",
        "102",
        "--json",
        "A Kimono Job has timed out and been cancelled.",
    )
    assert code == 0
    (check,) = json.loads(out)["checks"]
    assert check["status"] == "not-checkable" and check["cause"] is None


def test_ask_says_what_canvas_shows_above_the_steps(capsys, canvas) -> None:
    _, url = canvas
    code, out, err = run(capsys, "ask", f"{UNABLE} {url}/courses/101/assignments/2")
    assert code == 0 and err == ""
    assert out.index("Checked in Canvas: 'Lab 4' has no due date.") < out.index("How to fix:")
    assert f"  Open in Canvas: {url}/courses/101/assignments/2/edit" in out


def test_ask_with_a_link_elsewhere_answers_and_says_why_canvas_did_not(capsys, canvas) -> None:
    code, out, err = run(capsys, "ask", f"{UNABLE} https://other.example/courses/5")
    assert code == 0 and "If the assignment has no due date" in out
    assert "Checked in Canvas" not in out
    assert err.startswith("Canvas: That link is not on this district's Canvas")
