"""The ``claimcheck`` command line: :func:`main` (the ``claimcheck`` script and
``python -m claimcheck``), one module per command."""

from ._app import main

__all__ = ["main"]
