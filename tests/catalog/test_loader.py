"""Loading, validating and overlaying catalogs: every problem with file, line and field."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from catalog import CatalogError, check_catalog, load_catalog
from catalog.loader import BASE_CATALOG

BASE_TEXT = (Path(__file__).parents[2] / "catalog" / BASE_CATALOG).read_text()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_packaged_catalog_is_valid() -> None:
    assert check_catalog() == []


def test_every_problem_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    broken = BASE_TEXT.replace("title: Kimono Job Error", "titel: Kimono Job Error").replace(
        "url: https://community.instructure.com/en/kb/articles/660852",
        "url: http://community.instructure.com/en/kb/articles/660852",
    )
    path = write(tmp_path, "broken.yaml", broken)
    problems = check_catalog(path)
    kimono_line = broken.splitlines().index("  - id: kimono-job") + 1
    titel_line = next(i for i, ln in enumerate(broken.splitlines(), 1) if "titel:" in ln)
    assert any(
        p.startswith(f"{path}:{kimono_line}: entries[6]:") and "'title' is required" in p
        for p in problems
    ), problems
    assert any(
        p == f"{path}:{titel_line}: entries[6].titel: 'titel' is not a known key" for p in problems
    ), problems
    assert any("is not an https:// URL" in p for p in problems), problems
    assert len(problems) >= 3


def test_semantic_problems_name_the_field(tmp_path: Path) -> None:
    broken = BASE_TEXT.replace(
        "A Kimono Job has timed out and been cancelled.",
        "A Kimono Job {job_id} has timed out.",
    ).replace("pattern: '[1-5][0-9][0-9]'", "pattern: '[1-5'")
    path = write(tmp_path, "broken.yaml", broken)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    rendered = caught.value.render()
    assert "entries[6].messages[0]: field {job_id} is not in fields" in rendered
    assert "fields.http_status.pattern: not a valid regex" in rendered
    assert rendered.startswith("The error catalog has 2 problems:")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    broken = BASE_TEXT.replace("- id: exchange", "- id: kimono-job")
    problems = check_catalog(write(tmp_path, "dup.yaml", broken))
    assert any("'kimono-job' is already used by entries[5]" in p for p in problems), problems


def test_invalid_yaml_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "version: 1\nentries: [\n  - id: x\n")
    (problem,) = check_catalog(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    assert check_catalog(tmp_path / "nope.yaml") == [
        f"{tmp_path / 'nope.yaml'}: (top level): file not found"
    ]


def test_overlay_overrides_steps_and_links_and_adds_entries(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "district.yaml",
        """
        entries:
          - id: kimono-job
            title: Grade sync timed out (Kimono)
            resources:
              - title: Our district guide
                url: https://intranet.example.org/grade-sync
          - id: category-mismatch
            title: Grading category mismatch
            messages:
              - Grading category {category} not found in OneRoster for {section_id}
            causes:
              - meaning: The Canvas assignment group has no matching Infinite Campus category.
                steps: [Rename the assignment group to match the category in Infinite Campus.]
            resources: []
            escalation: {support: false, to: your Canvas admins, when: If renaming does not help.}
        fields:
          category: {label: Category, pattern: '[A-Za-z]{1,40}'}
          section_id: {label: Section, pattern: '[0-9]{1,12}'}
        """,
    )
    catalog = load_catalog(overlay=overlay)
    kimono = catalog["kimono-job"]
    assert kimono.title == "Grade sync timed out (Kimono)"
    assert [r.url for r in kimono.resources] == ["https://intranet.example.org/grade-sync"]
    assert kimono.causes == load_catalog()["kimono-job"].causes  # untouched keys stay
    assert catalog["category-mismatch"].messages[0].startswith("Grading category {category}")
    assert catalog.origin == (f"catalog/{BASE_CATALOG}", str(overlay))


def test_overlay_problems_point_into_the_overlay(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "district.yaml",
        """
        entries:
          - id: kimono-job
            resources:
              - title: No scheme
                url: intranet/grade-sync
          - id: brand-new
            title: Missing its messages and causes
        """,
    )
    problems = check_catalog(overlay=overlay)
    # named as the overlay has them (its entries[0] and [1], their ids), not as merged
    assert any(
        p.startswith(f"{overlay}:6: entries[0] (kimono-job).resources[0].url:") for p in problems
    ), problems
    assert any(
        p.startswith(f"{overlay}:7: entries[1] (brand-new):") and "messages" in p for p in problems
    )


def test_overlay_entries_need_an_id(tmp_path: Path) -> None:
    overlay = write(tmp_path, "district.yaml", "entries:\n  - title: no id\n")
    assert check_catalog(overlay=overlay) == [f"{overlay}:2: entries[0]: needs an id"]


def test_a_cause_key_names_one_cause_of_its_entry(tmp_path: Path) -> None:
    broken = BASE_TEXT.replace("also: [student-dates, module-dates]", "also: [no-due-date]")
    problems = check_catalog(write(tmp_path, "dup-key.yaml", broken))
    assert any("cause key 'no-due-date' is already used by causes[0]" in p for p in problems), (
        problems
    )
    bad = BASE_TEXT.replace("key: score-removed", "key: Score Removed")
    assert any("causes[0].key" in p for p in check_catalog(write(tmp_path, "bad.yaml", bad)))


def test_a_near_pattern_must_compile_and_capture_only_the_value(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "district.yaml",
        """\
        fields:
          result_sourced_id:
            label: Student result
            pattern: '[a-z0-9]{1,20}'
            near: 'student (s[0-9]+'
          assignment_app_id:
            label: Assignment app id
            pattern: '[0-9]{1,20}'
            near: '(app) id (?P<value>[0-9]+)'
        """,
    )
    problems = check_catalog(overlay=overlay)
    assert any("fields.result_sourced_id.near: not a valid regex" in p for p in problems)
    assert any("fields.assignment_app_id.near: use (?:...) groups" in p for p in problems)


def test_an_overlay_replaces_the_context_words(tmp_path: Path) -> None:
    overlay = write(tmp_path, "district.yaml", "context:\n  elsewhere: [Synergy, Genesis]\n")
    catalog = load_catalog(overlay=overlay)
    assert catalog.context.elsewhere == ("Synergy", "Genesis")
    assert catalog.context.about == ()


def test_the_packaged_catalog_starts_without_the_schema_library() -> None:
    # `passback match` starts in under half a second: jsonschema is not imported for the
    # packaged catalog alone (the test above and `passback catalog check` validate it).
    code = (
        "import sys; from catalog import load_catalog; load_catalog(); "
        "print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_packaged_catalog_edited_in_place_still_says_what_is_wrong(monkeypatch) -> None:
    from catalog import documents, loader

    broken = BASE_TEXT.replace("    causes:\n", "    reasons:\n", 1)
    monkeypatch.setattr(
        loader, "base_document", lambda: documents.read_document("catalog/x.yaml", broken)
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    assert "'reasons' is not a known key" in caught.value.render()
