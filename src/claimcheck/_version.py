"""The one place the version is written."""

__version__ = "0.1.0.dev0"

VERSION_LINE = f"claimcheck {__version__}"
"""What ``claimcheck --version`` says."""
