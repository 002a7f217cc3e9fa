"""`python -m bots` is the `passback` command."""

import sys

from bots.cli import main

sys.exit(main())
