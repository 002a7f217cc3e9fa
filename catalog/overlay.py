"""District overlays: what an overlay may say, and how it is merged into the base catalog.

Entries are matched by id and their top-level keys replaced; `source`, `unlisted` and `context`
are replaced whole; a field given again replaces the base field's spec, except its flags (`key`,
`student`): those say what the value is, not how it is written, so an overlay that only changes a
label or a pattern keeps them. An overlay may set `key` either way (which values make one support
case is a district's choice); it may not unmark a student field: student data stays marked.
"""

from __future__ import annotations

from typing import Any

from catalog.documents import Document, Problem
from catalog.validation import Where

FLAGS = ("key", "student")


def merge_overlay(base: Any, overlay: Any, where: Where) -> Any:
    """An overlay adds entries or replaces top-level keys of existing ones, matched by id."""
    merged = dict(base)
    for key in ("source", "unlisted", "context"):
        if key in overlay:
            merged[key] = overlay[key]
    merged["fields"] = _merge_fields(base.get("fields", {}), overlay.get("fields", {}))
    merged["resources"] = {**base.get("resources", {}), **overlay.get("resources", {})}
    entries = [dict(e) for e in base.get("entries", [])]
    index_of = {e.get("id"): i for i, e in enumerate(entries)}
    where.entry_sources = {i: (i, None) for i in range(len(entries))}
    for overlay_index, change in enumerate(overlay.get("entries", [])):
        if change.get("id") in index_of:
            i = index_of[change["id"]]
            entries[i].update(change)
            where.entry_sources[i] = (i, overlay_index)
        else:
            where.entry_sources[len(entries)] = (None, overlay_index)
            entries.append(dict(change))
    merged["entries"] = entries
    return merged


def overlay_shape_problems(doc: Document, base: Any) -> list[Problem]:
    """Before merging: the overlay must be a mapping whose entries each name an id, and may not
    unmark a field that holds student data in the base catalog."""
    data = doc.data
    if not isinstance(data, dict):
        return [Problem(doc.file, doc.line(()), "", "an overlay must be a YAML mapping")]
    allowed = {"version", "source", "fields", "resources", "unlisted", "context", "entries"}
    problems = [
        Problem(doc.file, doc.line((key,)), str(key), "is not known here")
        for key in data
        if key not in allowed
    ]
    entries = data.get("entries", [])
    if not isinstance(entries, list):
        return [*problems, Problem(doc.file, doc.line(("entries",)), "entries", "must be a list")]
    if "version" in data and data["version"] != 1:
        problems.append(
            Problem(
                doc.file,
                doc.line(("version",)),
                "version",
                f"must be 1, the catalog format this passback reads, not {data['version']!r}",
            )
        )
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(
                Problem(doc.file, doc.line(("entries", i)), f"entries[{i}]", "needs an id")
            )
            continue
        if entry["id"] in first:
            problems.append(
                Problem(
                    doc.file,
                    doc.line(("entries", i, "id")),
                    f"entries[{i}].id",
                    f"{entry['id']!r} is already changed by entries[{first[entry['id']]}] of "
                    "this overlay: change each entry once",
                )
            )
        first.setdefault(entry["id"], i)
    for key in ("fields", "resources"):
        if key in data and not isinstance(data[key], dict):
            problems.append(Problem(doc.file, doc.line((key,)), key, "must be a mapping"))
    if isinstance(data.get("fields"), dict) and isinstance(base, dict):
        problems += _unmarked_student_fields(doc, data["fields"], base.get("fields", {}))
    return problems


def _merge_fields(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, spec in overlay.items():
        old = base.get(name)
        if isinstance(spec, dict) and isinstance(old, dict):
            kept = {flag: old[flag] for flag in FLAGS if flag in old and flag not in spec}
            spec = {**spec, **kept}
        merged[name] = spec
    return merged


def _unmarked_student_fields(
    doc: Document, fields: dict[str, Any], base: dict[str, Any]
) -> list[Problem]:
    return [
        Problem(
            doc.file,
            doc.line(("fields", name, "student")),
            f"fields.{name}.student",
            "holds student data in the catalog this overlays; an overlay cannot unmark it",
        )
        for name, spec in fields.items()
        if isinstance(spec, dict)
        and spec.get("student") is False
        and isinstance(base.get(name), dict)
        and base[name].get("student")
    ]
