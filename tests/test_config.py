"""Settings: one class, every field documented, environment variables read with the prefix."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from accord.config import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [n for n in Settings.model_fields if f"`ACCORD_{n.upper()}`" not in text]
    assert missing == [], f"add these to docs/configuration.md: {missing}"


def test_every_setting_has_help_text() -> None:
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


def test_settings_come_from_prefixed_environment_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    monkeypatch.setenv("ACCORD_DISPUTE_QUARANTINE_PARTNERS", "3")
    settings = Settings()
    assert settings.dispute_quarantine_partners == 3
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'accord.sqlite3'}"


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_IMPORT_BATCH_SIZE", "lots")
    with pytest.raises(ValidationError, match="import_batch_size"):
        Settings()
