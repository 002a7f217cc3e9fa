"""Checking a catalog: its JSON schema, what a schema cannot say, and district overlays."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from catalog.adjacent_fields import adjacent_fields_risk
from catalog.documents import Document, Path_, Problem, format_path, value_at
from catalog.model import UNLISTED, hidden_field
from catalog.regex_safety import backtracking_risk

_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_UNCLOSED_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_}])")


@cache
def _schema() -> dict[str, Any]:
    return json.loads(resources.files("catalog").joinpath("schema.json").read_text("utf-8"))


def schema_problems(data: Any, where: Where) -> list[Problem]:
    from jsonschema import Draft7Validator  # imported here: only loading needs it

    validator = Draft7Validator(_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for key in error.instance:
                if key not in known:  # point at the unknown key itself
                    problems.append(where.problem((*path, key), f"{key!r} is not a known key"))
            continue
        problems.append(where.problem(path, _explain(error)))
    return list(dict.fromkeys(problems))  # one blank title is one problem, not two


def _explain(error: Any) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "pattern" and error.schema.get("pattern", "").startswith("^https"):
        return f"{error.instance!r} is not an https:// URL"
    if error.validator == "pattern" and error.schema.get("pattern") == "\\S":
        return "must not be blank"
    if error.validator == "minLength" and error.schema.get("minLength") == 1:
        return "must not be blank"
    return error.message


class Where:
    """Maps a path in the merged catalog back to the file and line it came from."""

    def __init__(self, base: Document, overlay: Document | None = None):
        self.base = base
        self.overlay = overlay
        # entries[i] of the merged catalog -> index of that entry in each source document
        self.entry_sources: dict[int, tuple[int | None, int | None]] = {}

    def problem(self, path: Path_, message: str) -> Problem:
        doc, source_path = self._locate(path)
        return Problem(doc.file, doc.line(source_path), self._name(path, doc, source_path), message)

    def _name(self, path: Path_, doc: Document, source_path: Path_) -> str:
        """The field as its file has it: with an overlay, an entry is named by its index in
        the file the problem is in and its id, never by its place in the merged catalog."""
        if self.overlay is None or len(path) < 2 or path[0] != "entries":
            return format_path(path)
        entry_id = value_at(doc.data, (*source_path[:2], "id"))
        rest = format_path(source_path[2:])
        named = f"entries[{source_path[1]}] ({entry_id})" if entry_id else format_path(path[:2])
        return named + ("." + rest.lstrip(".") if rest and not rest.startswith("[") else rest)

    def _locate(self, path: Path_) -> tuple[Document, Path_]:
        if self.overlay is None:
            return self.base, path
        if len(path) >= 2 and path[0] == "entries" and isinstance(path[1], int):
            base_index, overlay_index = self.entry_sources.get(path[1], (path[1], None))
            key = path[2] if len(path) > 2 else None
            if overlay_index is not None:
                overlay_entry = value_at(self.overlay.data, ("entries", overlay_index))
                in_overlay = isinstance(overlay_entry, dict) and (
                    key is None or key in overlay_entry
                )
                if in_overlay or base_index is None:  # base_index None: an overlay-only entry
                    return self.overlay, ("entries", overlay_index, *path[2:])
            return self.base, ("entries", path[1] if base_index is None else base_index, *path[2:])
        if path and isinstance(self.overlay.data, dict) and path[0] in self.overlay.data:
            return self.overlay, path
        return self.base, path


def semantic_problems(data: dict[str, Any], where: Where, *, timing: bool = True) -> list[Problem]:
    """`timing`: also check that no pattern can take more than linear time (a tenth of a second
    on a start; the packaged catalog alone is checked by its tests and `catalog check`)."""
    problems: list[Problem] = []
    fields = data["fields"]
    for name, spec in fields.items():
        try:
            compiled = re.compile(spec["pattern"])
        except re.error as exc:
            problems.append(where.problem(("fields", name, "pattern"), f"not a valid regex: {exc}"))
            continue
        if compiled.groups:
            problems.append(
                where.problem(("fields", name, "pattern"), "use (?:...) groups, not capturing ones")
            )
        # Used whole (fullmatch) and inside templates: something after it may fail.
        risk = timing and backtracking_risk(spec["pattern"], tail_free=False)
        if risk:
            problems.append(where.problem(("fields", name, "pattern"), risk))
        if "near" in spec:
            problems += _near_problems(spec["near"], ("fields", name, "near"), where, timing)
        free_text = name in ("description", "detail") or hidden_field(name)
        if compiled.match("") and not free_text:
            problems.append(where.problem(("fields", name, "pattern"), "must not match empty text"))
        for flag in ("key", "student"):
            if spec.get(flag) and hidden_field(name):
                message = f"is never reported (it starts with _), so it cannot be a {flag} field"
                problems.append(where.problem(("fields", name, flag), message))
    patterns = {name: spec["pattern"] for name, spec in fields.items()}
    seen: dict[str, int] = {}
    for i, entry in enumerate(data["entries"]):
        if entry["id"] in seen:
            problems.append(
                where.problem(
                    ("entries", i, "id"),
                    f"{entry['id']!r} is already used by entries[{seen[entry['id']]}]",
                )
            )
        seen.setdefault(entry["id"], i)
        if entry["id"] == UNLISTED:
            problems.append(
                where.problem(
                    ("entries", i, "id"),
                    f"{UNLISTED!r} is what the bot says about errors the catalog does not list "
                    "(the unlisted section): give this entry another id",
                )
            )
        problems += _cause_key_problems(entry, i, where)
        used: set[str] = set()
        for j, message in enumerate(entry["messages"]):
            slots = _SLOT.findall(message)
            for slot in slots:
                if slot not in fields:
                    problems.append(
                        where.problem(
                            ("entries", i, "messages", j), f"field {{{slot}}} is not in fields"
                        )
                    )
            if _UNCLOSED_SLOT.search(message):
                problems.append(
                    where.problem(("entries", i, "messages", j), "has an unclosed { in it")
                )
            risk = timing and adjacent_fields_risk(message, patterns)
            if risk:
                problems.append(where.problem(("entries", i, "messages", j), risk))
            if not re.search(r"[A-Za-z]{3}", _SLOT.sub(" ", message)):
                problems.append(
                    where.problem(("entries", i, "messages", j), "has no words to recognise it by")
                )
            used.update(slots)
        for name in entry.get("documented", {}):
            if name not in used:
                problems.append(
                    where.problem(
                        ("entries", i, "documented", name),
                        f"field {name!r} is not in this entry's messages",
                    )
                )
    return problems


def _cause_key_problems(entry: dict[str, Any], i: int, where: Where) -> list[Problem]:
    """A cause key names one cause of its entry: used twice, a diagnosis could not pick."""
    problems = []
    owner: dict[str, int] = {}
    causes = entry.get("causes")
    for j, cause in enumerate(causes if isinstance(causes, list) else ()):
        if not isinstance(cause, dict):
            continue
        keys = ([cause["key"]] if "key" in cause else []) + list(cause.get("also", ()))
        for key in keys:
            if key in owner:
                problems.append(
                    where.problem(
                        ("entries", i, "causes", j),
                        f"cause key {key!r} is already used by causes[{owner[key]}]",
                    )
                )
            owner.setdefault(key, j)
    return problems


def _near_problems(near: str, path: Path_, where: Where, timing: bool) -> list[Problem]:
    try:
        compiled = re.compile(near)
    except re.error as exc:
        return [where.problem(path, f"not a valid regex: {exc}")]
    if compiled.groups > 1 or (compiled.groups and set(compiled.groupindex) != {"value"}):
        return [where.problem(path, "use (?:...) groups; only (?P<value>...) may capture")]
    risk = timing and backtracking_risk(near)  # searched for: nothing after it can fail
    if risk:
        return [where.problem(path, risk)]
    if compiled.match(""):
        return [where.problem(path, "must not match empty text")]
    return []
