"""Load the catalog YAML (and a district's overlay), validate it, and build the model.

Every problem is reported with its file, line and field, all at once, so whoever edits the
catalog can fix it in one pass. The same message is shown by `passback catalog check`, by the
other CLI commands and by the server, which all refuse an invalid catalog.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from catalog.documents import (
    BASE_CATALOG,
    CatalogError,
    Problem,
    base_document,
    read_file,
)
from catalog.model import (
    UNLISTED,
    Catalog,
    Cause,
    Context,
    Entry,
    Escalation,
    FieldSpec,
    Resource,
    Source,
)
from catalog.overlay import merge_overlay, overlay_shape_problems
from catalog.validation import Where, schema_problems, semantic_problems

__all__ = ["BASE_CATALOG", "CatalogError", "Problem", "check_catalog", "load_catalog"]


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
        name: FieldSpec(
            name=name,
            label=spec["label"],
            pattern=spec["pattern"],
            near=spec.get("near"),
            key=spec.get("key", False),
            student=spec.get("student", False),
        )
        for name, spec in data["fields"].items()
    }
    entries = tuple(
        Entry(
            id=e["id"],
            title=e["title"],
            messages=tuple(" ".join(m.split()) for m in e["messages"]),
            causes=tuple(
                Cause(
                    meaning=c["meaning"],
                    steps=tuple(c["steps"]),
                    label=c.get("label"),
                    when=c.get("when"),
                    key=c.get("key"),
                    also=tuple(c.get("also", ())),
                )
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
        unlisted=Entry(
            id=UNLISTED,
            title=unlisted["title"],
            messages=(),
            causes=(Cause(meaning=unlisted["meaning"], steps=tuple(unlisted["steps"])),),
            resources=resource_list(unlisted["resources"]),
            escalation=escalation(unlisted["escalation"]),
        ),
        source=Source(data["source"]["title"], data["source"]["url"]),
        origin=origin,
        context=Context(**{key: tuple(terms) for key, terms in data.get("context", {}).items()}),
    )


def load_catalog(
    path: str | Path | None = None,
    overlay: str | Path | None = None,
    *,
    schema: bool | None = None,
) -> Catalog:
    """The catalog at `path` (default: the packaged one), with a district overlay on top.

    Raises CatalogError listing every problem found. A catalog from a file, or with an overlay,
    is always checked against the JSON schema and for patterns that could take more than linear
    time. The packaged catalog alone is checked for both by the test suite and by `passback
    catalog check` (`schema=True`), not on every start: each costs a tenth of a second. Should
    it fail to build all the same (edited in place), the schema check runs then and says what
    is wrong.
    """
    base = read_file(path) if path is not None else base_document()
    where = Where(base)
    if not isinstance(base.data, dict):
        raise CatalogError([Problem(base.file, 1, "", "the catalog must be a YAML mapping")])
    data: Any = base.data
    origin: tuple[str, ...] = (base.file,)
    if overlay is not None:
        extra = read_file(overlay)
        shape = overlay_shape_problems(extra, base.data)
        if shape:
            raise CatalogError(shape)
        where = Where(base, extra)
        data = merge_overlay(base.data, extra.data, where)
        origin = (base.file, extra.file)
    if schema is None:
        schema = path is not None or overlay is not None
    if not schema:
        try:
            trusted = path is None and overlay is None  # the packaged catalog: tested
            problems = semantic_problems(data, where, timing=not trusted)
            if not problems:
                return _build(data, origin)
        except (KeyError, TypeError, AttributeError, ValueError):
            problems = []
        problems = schema_problems(data, where) or problems
        raise CatalogError(
            problems or [Problem(base.file, None, "", "cannot be read as a catalog")]
        )
    problems = schema_problems(data, where)
    if not problems:
        problems = semantic_problems(data, where)
    if problems:
        raise CatalogError(problems)
    return _build(data, origin)


def check_catalog(path: str | Path | None = None, overlay: str | Path | None = None) -> list[str]:
    """Every problem as a printable line; empty when the catalog is valid."""
    try:
        load_catalog(path, overlay, schema=True)
    except CatalogError as exc:
        return [str(p) for p in exc.problems]
    return []
