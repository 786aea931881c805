"""Claims files: :func:`load` reads and validates TOML into a :class:`~claimcheck.ClaimSet`;
:func:`ignore_entries` reads one ``[[ignore]]`` array of any TOML file.
Configuration files: :func:`find_config` finds one for a claims file (``claimcheck.toml``, or
``[tool.claimcheck]`` in ``pyproject.toml``), :func:`load_config` reads one into a
:class:`Config`; :func:`find_store` is the one rule for where the snapshot store is when none is
named."""

from ._config import (
    CONFIG_FILE,
    Config,
    Kind,
    find_config,
    find_store,
    load_config,
    warn_no_store,
)
from ._load import ignore_entries, load

__all__ = [
    "CONFIG_FILE",
    "Config",
    "Kind",
    "find_config",
    "find_store",
    "ignore_entries",
    "load",
    "load_config",
    "warn_no_store",
]
