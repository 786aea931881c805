"""Claims files: :func:`load` reads and validates TOML into a :class:`~claimcheck.ClaimSet`;
:func:`ignore_entries` reads one ``[[ignore]]`` array of any TOML file."""

from ._load import ignore_entries, load

__all__ = [
    "ignore_entries",
    "load",
]
