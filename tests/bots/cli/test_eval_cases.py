"""`passback eval` on cases of the wrong shape: the line and field in words, never a crash;
ids the catalog does not know are warned about; the format is in --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bots.cli.invoke import run

KIMONO = "A Kimono Job has timed out and been cancelled."


def cases(tmp_path: Path, *lines: object) -> str:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return str(path)


@pytest.mark.parametrize(
    ("case", "where"),
    [
        (
            {"text": KIMONO, "expect": ["kimono-job"], "fields": {"kimono-job": "x"}},
            "fields.kimono-job",
        ),
        ({"text": KIMONO, "fields": {"kimono-job": {"job_id": ["a"]}}}, "fields.kimono-job"),
        ({"text": KIMONO, "fields": [1]}, "fields"),
        ({"text": KIMONO, "expect": "kimono-job"}, "expect"),
        ({"text": KIMONO, "expect": [7]}, "expect"),
        ({"text": 5}, "text"),
        ({"text": KIMONO, "kind": 3}, "kind"),
        ([KIMONO], "(line)"),
    ],
)
def test_a_case_of_the_wrong_shape_names_its_line_and_field(
    capsys, tmp_path: Path, case: object, where: str
) -> None:
    good = {"text": KIMONO, "expect": ["kimono-job"]}
    code, _, err = run(capsys, "eval", cases(tmp_path, good, case))
    assert code == 1
    assert f"cases.jsonl:2: {where}: " in err
    assert "Traceback" not in err and "AttributeError" not in err


def test_unknown_ids_are_warned_about(capsys, tmp_path: Path) -> None:
    path = cases(
        tmp_path,
        {"text": KIMONO, "expect": ["kimono-jobb"], "fields": {"kimono-jobb": {"x": "1"}}},
        {"text": KIMONO, "expect": ["kimono-job"], "exepct": []},
    )
    code, out, err = run(capsys, "eval", path)
    assert code == 0  # no bar was set; the report still says the miss
    assert "cases.jsonl:1: expect[0]: 'kimono-jobb' is not an entry id in the catalog" in err
    assert "cases.jsonl:1: fields.kimono-jobb: 'kimono-jobb' is not an entry id" in err
    assert "cases.jsonl:2: exepct: is not a case key" in err
    assert "accuracy: 0.500" in out


def test_the_case_format_is_in_the_help(capsys) -> None:
    code, out, _ = run(capsys, "eval", "--help")
    assert code == 0
    for words in ('"text"', '"expect"', '"fields"', '"kind"', "no-match", "--min-accuracy"):
        assert words in out
