"""The `passback` command line: ask, match, eval, catalog; exit codes and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from catalog import UNLISTED, load_catalog
from tests.bots.cli.invoke import run
from tests.conftest import DATA

KIMONO = "A Kimono Job has timed out and been cancelled."
UNABLE = 'Unable to process score for s5150; missing "assignment_source_id" attribute'


def test_ask_prints_a_readable_answer(capsys) -> None:
    code, out, _ = run(capsys, "ask", UNABLE)
    assert code == 0
    assert out.startswith("Unable to Process Score\n")
    assert "If the assignment has no due date" in out and "If: " not in out
    assert "  1. In Canvas, add or update the assignment due date." in out
    assert "Student result: s5150" in out
    assert "https://community.canvaslms.com/t5/Instructor-Guide/" in out


def test_ask_reads_standard_input_and_names_who_to_escalate_to(capsys) -> None:
    code, out, _ = run(capsys, "ask", stdin=KIMONO)
    assert code == 0
    assert "Kimono Job Error" in out
    assert "escalate to the Canvas SIS Support Team" in " ".join(out.split())


def test_ask_without_a_match_suggests_and_explains_reporting(capsys) -> None:
    text = 'PUT for ONEROSTER:Result[result/results] for "s1" failed with HTTP Status: 500 with: []'
    code, out, _ = run(capsys, "ask", text)
    assert code == 0
    assert "I don't recognise this" in out
    assert "Did you mean one of these?" in out
    assert "HTTP status 500, not the documented 422" in out
    assert "Canvas Support" in out


def test_match_prints_the_agreed_json(capsys) -> None:
    code, out, _ = run(capsys, "match", KIMONO + "\n" + UNABLE)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"matches", "suggestions"}
    assert [m["id"] for m in data["matches"]] == ["kimono-job", "unable-to-process-score"]
    assert set(data["matches"][1]) == {"id", "title", "confidence", "fields", "occurrences"}
    assert data["matches"][1]["fields"] == {"result_sourced_id": "s5150"}


def test_match_jsonl_answers_each_line_in_order(capsys) -> None:
    lines = [json.dumps({"text": t}) for t in (UNABLE, "hello", KIMONO)]
    code, out, _ = run(capsys, "match", "--jsonl", stdin="\n".join(lines) + "\n")
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [[m["id"] for m in r["matches"]] for r in results] == [
        ["unable-to-process-score"],
        [],
        ["kimono-job"],
    ]


def test_match_jsonl_bad_line_is_a_message(capsys) -> None:
    code, _, err = run(capsys, "match", "--jsonl", stdin='{"text": "ok"}\nnot json\n')
    assert code == 1
    assert 'line 2 is not a JSON object with a "text" string' in err
    assert "Traceback" not in err


def test_eval_meets_the_bar_on_the_dev_set(capsys) -> None:
    code, out, _ = run(capsys, "eval", str(DATA / "dev.jsonl"), "--min-accuracy", "0.97")
    assert code == 0
    assert "accuracy:" in out and "false positives: 0 of" in out and "field accuracy:" in out
    assert "  paraphrase" in out  # accuracy by kind


@pytest.mark.parametrize("name", ["wild-dev.jsonl", "wild-heldout.jsonl"])
def test_eval_meets_the_bar_on_the_wild_sets(capsys, name: str) -> None:
    bars = ("--min-accuracy", "0.97", "--min-field-accuracy", "0.98", "--max-false-positives", "0")
    code, out, _ = run(capsys, "eval", str(DATA / name), *bars)
    assert code == 0, out
    assert "  near-miss" in out and "  spanish" in out


def test_eval_fails_on_a_false_positive(capsys, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"text": KIMONO, "expect": [], "kind": "near-miss"}) + "\n")
    code, out, _ = run(capsys, "eval", str(cases), "--max-false-positives", "0")
    assert code == 1
    assert "FAIL: 1 false positives, more than 0" in out


def test_eval_below_threshold_exits_1_and_lists_misses(capsys, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps({"text": KIMONO, "expect": ["kimono-job"], "fields": {}, "kind": "canonical"})
        + "\n"
        + json.dumps({"text": "hello", "expect": ["exchange"], "fields": {}, "kind": "wrong"})
        + "\n"
    )
    code, out, _ = run(capsys, "eval", str(cases), "--min-accuracy", "0.9")
    assert code == 1
    assert "MISS [wrong]" in out and "FAIL: accuracy 0.500 is below 0.9" in out


def test_eval_bad_file_is_a_message(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "eval", str(tmp_path / "missing.jsonl"))
    assert code == 1 and "cannot read" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"expect": []}\n')
    code, _, err = run(capsys, "eval", str(bad))
    assert code == 1 and "bad.jsonl:1: text: is required" in err


def test_catalog_list_and_check(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "catalog", "list")
    assert code == 0 and len(out.splitlines()) == 9 and "kimono-job" in out
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0 and "OK, 9 entries" in out
    overlay = tmp_path / "district.yaml"
    overlay.write_text("entries:\n  - id: kimono-job\n    title: ''\n")
    code, _, err = run(capsys, "catalog", "check", str(overlay))
    assert code == 1
    assert f"{overlay}:3: entries[0] (kimono-job).title:" in err


def test_the_list_of_errors_leaves_out_the_unlisted_answer(capsys) -> None:
    # What the bot says when nothing matched is not an error it knows.
    unlisted = load_catalog().unlisted
    for argv in (["catalog", "list"], ["ask", "list"]):
        code, out, _ = run(capsys, *argv)
        assert (code == 0 and "kimono-job" in out) or "Kimono" in out
        assert UNLISTED not in out.split() and unlisted.title not in out


def test_commands_refuse_an_invalid_overlay_with_the_same_message(capsys, tmp_path) -> None:
    overlay = tmp_path / "district.yaml"
    overlay.write_text("entries:\n  - id: kimono-job\n    resources: [{title: x, url: ftp://x}]\n")
    code, _, err = run(capsys, "ask", "--catalog", str(overlay), KIMONO)
    assert code == 1
    assert "The error catalog has 1 problem:" in err and "is not an https:// URL" in err


@pytest.mark.parametrize(
    "argv",
    [[], ["nope"], ["eval"], ["eval", "x.jsonl", "--min-accuracy", "2"], ["match", "--bogus"]],
)
def test_usage_errors_exit_2(capsys, argv: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err and "Traceback" not in err


def test_match_does_not_load_the_platform_sdks() -> None:
    probe = (
        "import sys; from bots.cli import main; main(['match', 'hello']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'slack_bolt', 'slack_sdk', "
        "'botbuilder', 'aiohttp'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_match_does_not_load_the_answer_view_or_the_settings() -> None:
    # Each costs start-up time `passback match` does not have (its target is < 0.5 s).
    probe = (
        "import sys; from bots.cli import main; main(['match', 'hello']); "
        "print(sorted({'bots.answer', 'bots.config', 'bots.startup', 'jsonschema'} & "
        "set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("argv", [["ask", ""], ["ask", "help"], ["ask", "list"]])
def test_ask_with_nothing_to_explain_lists_what_it_knows(capsys, argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "The errors I know:" in out and "Kimono Job Error (kimono-job)" in out


def test_ask_help_says_how_to_ask_and_ask_list_only_lists(capsys) -> None:
    _, helped, _ = run(capsys, "ask", "help")
    _, listed, _ = run(capsys, "ask", "list")
    assert "Paste a Canvas to Infinite Campus grade passback error" in helped
    assert "Try: passback ask" in helped
    assert "Paste a Canvas to Infinite Campus" not in listed and "Try:" not in listed
    assert listed.startswith("The errors I know:")
