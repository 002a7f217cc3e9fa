"""Reading catalog YAML so that every value knows its file and line, and the problems found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

BASE_CATALOG = "infinite_campus.yaml"

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
class Document:
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


# A catalog has a few thousand values. YAML aliases (*name) repeat an anchored value without
# copying it, so nine lines can stand for billions of values (an "alias bomb") that the
# line index, the schema check and the merge would each walk.
MAX_VALUES = 200_000


def _values_when_expanded(text: str) -> int:
    """How many values the document stands for with every alias written out, from the
    parser's events alone (nothing is built); stops counting past MAX_VALUES."""
    sizes: dict[str, int] = {}
    open_: list[tuple[str | None, int]] = []  # (anchor, values so far) per open collection
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            size = 1 if isinstance(event, yaml.ScalarEvent) else sizes.get(event.anchor or "", 1)
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            open_.append((event.anchor, 1))
            continue
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            anchor, size = open_.pop()
            if anchor:
                sizes[anchor] = size
        else:
            continue
        if open_:
            anchor, count = open_[-1]
            open_[-1] = (anchor, min(count + size, MAX_VALUES + 1))
        total = max(total, size, *(count for _, count in open_))
        if total > MAX_VALUES:
            break
    return total


def read_document(file: str, text: str) -> Document:
    try:
        if _values_when_expanded(text) > MAX_VALUES:
            raise CatalogError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        f"stands for more than {MAX_VALUES:,} values once its YAML aliases "
                        "(*name) are expanded; write the values out instead",
                    )
                ]
            )
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
    return Document(file, data, lines)


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


def value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def read_file(path: str | Path) -> Document:
    file = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise CatalogError([Problem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([Problem(file, None, "", f"cannot be read: {exc}")]) from None
    return read_document(file, text)


def base_document() -> Document:
    ref = resources.files("catalog").joinpath(BASE_CATALOG)
    return read_document(f"catalog/{BASE_CATALOG}", ref.read_text("utf-8"))
