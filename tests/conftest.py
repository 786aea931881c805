"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

# The team's shared reference material (real pages and PDFs), next to the project checkout.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared directory (``../shared`` from the project root); skips the test without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared corpus not available at {SHARED_DIR}")
    return SHARED_DIR
