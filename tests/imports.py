"""What a module imports, read from its source (for the tests that keep packages apart)."""

from __future__ import annotations

import ast
from pathlib import Path


def imported_names(path: Path) -> list[str]:
    """The modules `path` imports by absolute name (`a.b` for `import a.b`, `from a.b import c`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names
