"""Load the catalog YAML (and a district's overlay), validate it, and build the model.

Every problem is reported with its file, line and field, all at once, so whoever edits the
catalog can fix it in one pass. The same message is shown by `passback catalog check`, by the
other CLI commands and by the server, which all refuse an invalid catalog.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from catalog.model import (
    Catalog,
    Cause,
    Entry,
    Escalation,
    FieldSpec,
    Resource,
    Source,
    Unlisted,
)

BASE_CATALOG = "infinite_campus.yaml"
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_UNCLOSED_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_}])")

try:  # the C loader is several times faster; PyPI wheels ship it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(top level)'}: {self.message}"


class CatalogError(Exception):
    """The catalog (or an overlay) cannot be used; `problems` says every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"The error catalog has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


@dataclass(slots=True)
class _Document:
    """Parsed YAML plus the line of every value, keyed by its path."""

    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _read(file: str, text: str) -> _Document:
    try:
        data = yaml.load(text, Loader=_Loader)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError([Problem(file, line, "", f"not valid YAML: {problem}")]) from None
    lines: dict[Path_, int] = {}
    if root is not None:
        _index_lines(root, (), lines, depth=0)
    return _Document(file, data, lines)


def _index_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], depth: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if depth > 20:
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                _index_lines(value, child, lines, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines, depth + 1)


@cache
def _schema() -> dict[str, Any]:
    return json.loads(resources.files("catalog").joinpath("schema.json").read_text("utf-8"))


def _schema_problems(data: Any, where: _Where) -> list[Problem]:
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
    return problems


def _explain(error: Any) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "pattern" and error.schema.get("pattern", "").startswith("^https"):
        return f"{error.instance!r} is not an https:// URL"
    if error.validator == "pattern" and error.schema.get("pattern") == "\\S":
        return "must not be blank"
    return error.message


class _Where:
    """Maps a path in the merged catalog back to the file and line it came from."""

    def __init__(self, base: _Document, overlay: _Document | None = None):
        self.base = base
        self.overlay = overlay
        # entries[i] of the merged catalog -> index of that entry in each source document
        self.entry_sources: dict[int, tuple[int | None, int | None]] = {}

    def problem(self, path: Path_, message: str) -> Problem:
        doc, source_path = self._locate(path)
        return Problem(doc.file, doc.line(source_path), format_path(path), message)

    def _locate(self, path: Path_) -> tuple[_Document, Path_]:
        if self.overlay is None:
            return self.base, path
        if len(path) >= 2 and path[0] == "entries" and isinstance(path[1], int):
            base_index, overlay_index = self.entry_sources.get(path[1], (path[1], None))
            key = path[2] if len(path) > 2 else None
            overlay_entry = (
                _at(self.overlay.data, ("entries", overlay_index))
                if overlay_index is not None
                else None
            )
            if isinstance(overlay_entry, dict) and (key is None or key in overlay_entry):
                return self.overlay, ("entries", overlay_index, *path[2:])
            return self.base, ("entries", base_index, *path[2:])
        if path and isinstance(self.overlay.data, dict) and path[0] in self.overlay.data:
            return self.overlay, path
        return self.base, path


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _merge(base: Any, overlay: Any, where: _Where) -> Any:
    """An overlay adds entries or replaces top-level keys of existing ones, matched by id."""
    merged = dict(base)
    for key in ("source", "unlisted"):
        if key in overlay:
            merged[key] = overlay[key]
    merged["fields"] = {**base.get("fields", {}), **overlay.get("fields", {})}
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


def _overlay_shape_problems(doc: _Document) -> list[Problem]:
    """Before merging: the overlay must be a mapping whose entries each name an id."""
    data = doc.data
    if not isinstance(data, dict):
        return [Problem(doc.file, doc.line(()), "", "an overlay must be a YAML mapping")]
    allowed = {"version", "source", "fields", "resources", "unlisted", "entries"}
    problems = [
        Problem(doc.file, doc.line((key,)), str(key), "is not known here")
        for key in data
        if key not in allowed
    ]
    entries = data.get("entries", [])
    if not isinstance(entries, list):
        return [*problems, Problem(doc.file, doc.line(("entries",)), "entries", "must be a list")]
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(
                Problem(doc.file, doc.line(("entries", i)), f"entries[{i}]", "needs an id")
            )
    for key in ("fields", "resources"):
        if key in data and not isinstance(data[key], dict):
            problems.append(Problem(doc.file, doc.line((key,)), key, "must be a mapping"))
    return problems


def _semantic_problems(data: dict[str, Any], where: _Where) -> list[Problem]:
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
        free_text = name in ("description", "detail") or name.startswith("_")
        if compiled.match("") and not free_text:
            problems.append(where.problem(("fields", name, "pattern"), "must not match empty text"))
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


def _build(data: dict[str, Any], origin: tuple[str, ...]) -> Catalog:
    def resource_list(items: list[dict[str, str]]) -> tuple[Resource, ...]:
        return tuple(Resource(r["title"], r["url"]) for r in items)

    def escalation(raw: dict[str, Any]) -> Escalation:
        return Escalation(
            support=raw["support"],
            to=raw["to"],
            when=raw["when"],
            admin_only=raw.get("admin_only", False),
        )

    fields = {
        name: FieldSpec(name=name, label=spec["label"], pattern=spec["pattern"])
        for name, spec in data["fields"].items()
    }
    entries = tuple(
        Entry(
            id=e["id"],
            title=e["title"],
            messages=tuple(" ".join(m.split()) for m in e["messages"]),
            causes=tuple(
                Cause(meaning=c["meaning"], steps=tuple(c["steps"]), label=c.get("label"))
                for c in e["causes"]
            ),
            resources=resource_list(e["resources"]),
            escalation=escalation(e["escalation"]),
            phrases=tuple(e.get("phrases", ())),
            documented=MappingProxyType(
                {k: tuple(map(str, v)) for k, v in e.get("documented", {}).items()}
            ),
            wrapper=e.get("wrapper", False),
        )
        for e in data["entries"]
    )
    unlisted = data["unlisted"]
    return Catalog(
        entries=entries,
        fields=MappingProxyType(fields),
        unlisted=Unlisted(
            title=unlisted["title"],
            meaning=unlisted["meaning"],
            steps=tuple(unlisted["steps"]),
            resources=resource_list(unlisted["resources"]),
            escalation=escalation(unlisted["escalation"]),
        ),
        source=Source(data["source"]["title"], data["source"]["url"]),
        origin=origin,
    )


def _read_file(path: str | Path) -> _Document:
    file = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise CatalogError([Problem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([Problem(file, None, "", f"cannot be read: {exc}")]) from None
    return _read(file, text)


def _base_document() -> _Document:
    ref = resources.files("catalog").joinpath(BASE_CATALOG)
    return _read(f"catalog/{BASE_CATALOG}", ref.read_text("utf-8"))


def load_catalog(path: str | Path | None = None, overlay: str | Path | None = None) -> Catalog:
    """The catalog at `path` (default: the packaged one), with a district overlay on top.

    Raises CatalogError listing every problem found.
    """
    base = _read_file(path) if path is not None else _base_document()
    where = _Where(base)
    if not isinstance(base.data, dict):
        raise CatalogError([Problem(base.file, 1, "", "the catalog must be a YAML mapping")])
    data: Any = base.data
    origin = (base.file,)
    if overlay is not None:
        extra = _read_file(overlay)
        shape = _overlay_shape_problems(extra)
        if shape:
            raise CatalogError(shape)
        where = _Where(base, extra)
        data = _merge(base.data, extra.data, where)
        origin = (base.file, extra.file)
    problems = _schema_problems(data, where)
    if not problems:
        problems = _semantic_problems(data, where)
    if problems:
        raise CatalogError(problems)
    return _build(data, origin)


def check_catalog(path: str | Path | None = None, overlay: str | Path | None = None) -> list[str]:
    """Every problem as a printable line; empty when the catalog is valid."""
    try:
        load_catalog(path, overlay)
    except CatalogError as exc:
        return [str(p) for p in exc.problems]
    return []
