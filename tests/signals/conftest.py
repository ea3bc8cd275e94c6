"""Fixtures for the signal-type tests."""

from __future__ import annotations

import pytest

from accord.config import Settings


@pytest.fixture
def settings() -> Settings:
    """Default node settings (the limits every test here hashes under)."""
    return Settings()
