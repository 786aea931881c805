"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: a quick default; `HYPOTHESIS_PROFILE=thorough pytest` for a long hunt.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The team's shared reference material (real pages and PDFs), next to the project checkout.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared directory (``../shared`` from the project root); skips the test without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared corpus not available at {SHARED_DIR}")
    return SHARED_DIR
