"""Fixtures for the safe-media tests."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.media.limits import MediaLimits


@pytest.fixture
def limits() -> MediaLimits:
    """The default limits of a node."""
    return MediaLimits.from_settings(Settings())


@pytest.fixture
def tight_limits() -> MediaLimits:
    """Small limits, so that tests can break each one with tiny files."""
    return MediaLimits.from_settings(
        Settings(
            max_file_bytes=10_000,
            max_image_pixels=100_000,
            max_video_seconds=2.0,
            max_video_frames=2,
            max_pdf_pages=3,
            max_text_bytes=1_000,
            hash_timeout_seconds=30.0,
        )
    )
