"""The playground tests need Playwright, which only `make test-teams` installs
(tests/playground/requirements.txt): without it plain `make test` skips this folder instead
of failing to import it."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("playwright") else ["test_*.py"]
