"""Field values outside a documented message: "app id 551902 can't be created", "student s4410".

When a message is retyped, described or damaged, its template cannot say where each value is.
A field's `near` pattern in the catalog says how the value looks in running text; a value is
reported only when exactly one distinct value of that shape is on the error's line (two
student ids, or a 500 where the entry documents 422, give none: a wrong id would send an
admin to the wrong student).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from catalog import Catalog
from matcher.candidates import canonical

_SLOT = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")  # reported fields only, not "_hidden" ones


class FieldFinder:
    def __init__(self, catalog: Catalog):
        near = {
            name: re.compile(spec.near, re.IGNORECASE)
            for name, spec in catalog.fields.items()
            if spec.near
        }
        self._near = near
        self._slots: dict[str, tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]] = {}
        for entry in catalog.entries:
            names = dict.fromkeys(n for m in entry.messages for n in _SLOT.findall(m))
            self._slots[entry.id] = tuple(
                (name, near[name], frozenset(canonical(v) for v in entry.documented.get(name, ())))
                for name in names
                if name in near
            )

    def plausible(self, name: str, value: str, text: str) -> bool:
        """`value` of field `name` may be one: it has a digit, as ids do, or looks like one in
        running `text` (or nothing says how one looks). "two" in "Unable to process score for
        two students" is not a student id."""
        pattern = self._near.get(name)
        if pattern is None or any(ch.isdigit() for ch in value):
            return True
        return any(
            (m.group("value") if pattern.groups else m.group()).rstrip(".:-") == value
            for m in pattern.finditer(text)
        )

    def missing(self, entry_id: str, have: Mapping[str, str]) -> bool:
        """Some field of `entry_id` that could be found in running text is not in `have`."""
        return any(name not in have for name, _, _ in self._slots.get(entry_id, ()))

    def find(self, entry_id: str, have: Mapping[str, str], window: str) -> dict[str, str]:
        """Values of `entry_id`'s fields missing from `have`, each one plainly in `window`."""
        found = {}
        for name, pattern, documented in self._slots.get(entry_id, ()):
            if name in have:
                continue
            values = set()
            for m in pattern.finditer(window):
                value = (m.group("value") if pattern.groups else m.group()).rstrip(".:-")
                if value and (not documented or canonical(value) in documented):
                    values.add(value)
            if len(values) == 1:
                found[name] = values.pop()
        return found
