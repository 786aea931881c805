"""The ``claimcheck`` command line: :func:`main`."""

from ._main import main

__all__ = ["main"]
