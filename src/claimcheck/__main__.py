"""``python -m claimcheck``: the command line."""

from .cli import main

raise SystemExit(main())
