"""Settings: one class, every field documented, environment variables read with the prefix."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from accord.config import Settings
from tests.conftest import CliRun

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


def test_keywords_beat_the_environment_which_beats_the_env_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "ACCORD_NODE_ID=from-file\nACCORD_REVIEW_UNDO_SECONDS=5\nACCORD_IMPORT_BATCH_SIZE=7\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("accord_review_undo_seconds", "9")  # names match in any case
    monkeypatch.setenv("ACCORD_IMPORT_BATCH_SIZE", "11")
    settings = Settings(import_batch_size=13)
    assert settings.node_id == "from-file"
    assert settings.review_undo_seconds == 9
    assert settings.import_batch_size == 13


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_IMPORT_BATCH_SIZE", "lots")
    with pytest.raises(ValidationError, match="import_batch_size"):
        Settings()


@pytest.mark.parametrize(("raw", "read"), [
    ('["10.1.0.0/16", "127.0.0.1"]', ("10.1.0.0/16", "127.0.0.1")),
    ("127.0.0.1/32", ("127.0.0.1/32",)),  # a crash (SettingsError) before: JSON only
    ("10.1.0.0/16, ::1", ("10.1.0.0/16", "::1")),
    ("", ()),
])
def test_a_list_setting_reads_json_or_comma_separated_text(
    monkeypatch: pytest.MonkeyPatch, raw: str, read: tuple[str, ...]
) -> None:
    monkeypatch.setenv("ACCORD_OUTBOUND_ALLOW", raw)
    monkeypatch.setenv("ACCORD_FETCH_ALLOWED_HOSTS", raw)
    assert Settings().outbound_allow == Settings().fetch_allowed_hosts == read
    monkeypatch.setenv("ACCORD_SOFT_TARGET_TYPES", "1, 8,14")
    assert Settings().soft_target_types == (1, 8, 14)


def test_a_broken_list_setting_is_a_clear_cli_error_not_a_traceback(cli: CliRun,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_OUTBOUND_ALLOW", '["10.1.0.0/16"')
    result = cli("partner", "list")
    assert result.exit_code == 2
    assert "ACCORD_OUTBOUND_ALLOW" in result.stderr
    assert "neither a JSON list nor comma-separated values" in result.stderr
    assert "Traceback" not in result.stderr
