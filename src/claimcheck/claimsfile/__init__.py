"""Claims files: :func:`load` reads and validates TOML into a :class:`~claimcheck.ClaimSet`.
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
from ._load import load

__all__ = [
    "CONFIG_FILE",
    "Config",
    "Kind",
    "find_config",
    "find_store",
    "load",
    "load_config",
    "warn_no_store",
]
