"""The labelled cases `passback eval` reads: one JSON object per line.

    {"text": "A Kimono Job has timed out and been cancelled.", "expect": ["kimono-job"]}
    {"text": "PUT for ONEROSTER ... for \\"s842620\\" ...", "expect": ["put-oneroster"],
     "fields": {"put-oneroster": {"result_sourced_id": "s842620"}}, "kind": "paste"}

- `text` (required): what someone would paste or type.
- `expect`: the catalog entry ids the matcher should find, in any order; `[]` (the default)
  for text that is no known error (a "no-match" case, counted for false positives).
- `fields`: for an expected entry id, the values it should pull out of the text, by field name.
- `kind`: a label of your own (`paste`, `paraphrase`, `typo` ...); accuracy is also given by kind.

A case that does not have this shape stops the run with its line and field; an id the catalog
does not know is a warning (`passback catalog list` shows the ids), as the case cannot pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

FORMAT = __doc__.split("\n\n", 1)[1].split("\nA case that")[0] if __doc__ else ""
_KEYS = {"text", "expect", "fields", "kind"}


class CaseProblem(ValueError):
    """The case cannot be scored: `field` says where."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")


def checked_case(case: Any, known: Set[str]) -> tuple[Mapping[str, Any], list[str]]:
    """The case and its warnings (unknown ids, unknown keys); CaseProblem when its shape is
    wrong."""
    if not isinstance(case, dict):
        raise CaseProblem("(line)", 'must be a JSON object like {"text": "...", "expect": [...]}')
    if not isinstance(case.get("text"), str):
        raise CaseProblem("text", "is required: the text to match, as a string")
    expect = case.get("expect", [])
    if not isinstance(expect, list) or not all(isinstance(i, str) for i in expect):
        raise CaseProblem("expect", 'must be a list of entry ids, like ["kimono-job"]')
    fields = case.get("fields", {})
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise CaseProblem("fields", 'must be an object: {"<entry id>": {"<field>": "<value>"}}')
    for entry_id, values in fields.items():
        if not isinstance(values, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in values.values()
        ):
            raise CaseProblem(
                f"fields.{entry_id}",
                "must be an object of field names and the values expected, like "
                '{"result_sourced_id": "s842620"}',
            )
    if "kind" in case and not isinstance(case["kind"], str):
        raise CaseProblem("kind", "must be a string")
    warnings = [
        f"expect[{i}]: {entry_id!r} is not an entry id in the catalog"
        for i, entry_id in enumerate(expect)
        if entry_id not in known
    ]
    warnings += [
        f"fields.{entry_id}: {entry_id!r} is not an entry id in the catalog"
        for entry_id in fields
        if entry_id not in known
    ]
    warnings += [
        f"{key}: is not a case key (text, expect, fields, kind)" for key in case if key not in _KEYS
    ]
    return {**case, "fields": fields}, warnings
