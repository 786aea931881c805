"""Claims files: :func:`load` reads and validates TOML into a :class:`~claimcheck.ClaimSet`."""

from ._load import load

__all__ = [
    "load",
]
