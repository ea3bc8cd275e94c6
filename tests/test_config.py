"""Settings: one class, every field documented, environment variables read with the prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import Settings
from accord.errors import Invalid
from tests.conftest import CliRun

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [n for n in Settings.fields() if f"`ACCORD_{n.upper()}`" not in text]
    assert missing == [], f"add these to docs/configuration.md: {missing}"


def test_every_setting_has_help_text() -> None:
    assert [n for n, f in Settings.fields().items()
            if not f.metadata["description"]] == []


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
    with pytest.raises(Invalid,
                       match="ACCORD_IMPORT_BATCH_SIZE: should be a whole number, not 'lots'"):
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


@pytest.mark.parametrize(("variable", "raw", "rule"), [
    ("ACCORD_IMPORT_BATCH_SIZE", "0", "should be at least 1"),
    ("ACCORD_IMPORT_BATCH_SIZE", "2.5", "should be a whole number, not '2.5'"),
    ("ACCORD_FETCH_TIMEOUT_SECONDS", "0", "should be more than 0"),
    ("ACCORD_REVIEW_UNDO_SECONDS", "3601", "should be at most 3600"),
    ("ACCORD_HASH_TIMEOUT_SECONDS", "soon", "should be a number, not 'soon'"),
    ("ACCORD_HASH_TIMEOUT_SECONDS", "nan", "should be a number, not 'nan'"),
    ("ACCORD_METRICS_PUBLIC", "maybe", "should be true or false"),
    ("ACCORD_SOFT_TARGET_TYPES", "1,eight", "should be a whole number, not 'eight'"),
])
def test_a_value_outside_its_rule_is_refused_with_the_rule(
        monkeypatch: pytest.MonkeyPatch, variable: str, raw: str, rule: str) -> None:
    monkeypatch.setenv(variable, raw)
    with pytest.raises(Invalid) as refused:
        Settings()
    assert refused.value.message.startswith(f"setting {variable}: {rule}")


@pytest.mark.parametrize(("raw", "read"), [
    ("1", True), ("yes", True), ("On", True), ("true", True),
    ("0", False), ("no", False), ("OFF", False), ("false", False),
])
def test_a_flag_reads_the_usual_words(monkeypatch: pytest.MonkeyPatch, raw: str,
                                      read: bool) -> None:
    monkeypatch.setenv("ACCORD_METRICS_PUBLIC", raw)
    assert Settings().metrics_public is read


def test_values_are_read_as_their_types(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    monkeypatch.setenv("ACCORD_AUDIT_WITNESS_FILE", str(tmp_path / "witness.jsonl"))
    monkeypatch.setenv("ACCORD_API_RATE_LIMIT", " 2.5 ")
    monkeypatch.setenv("ACCORD_PDQ_MATCH_THRESHOLD", "40")
    monkeypatch.setenv("ACCORD_TAXONOMY_PATH", "")  # an empty optional path is unset
    settings = Settings()
    assert settings.home == tmp_path and isinstance(settings.home, Path)
    assert settings.audit_witness_file == tmp_path / "witness.jsonl"
    assert settings.api_rate_limit == 2.5
    assert settings.pdq_match_threshold == 40
    assert settings.taxonomy_path is None


def test_a_bad_setting_reads_in_the_readers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_IMPORT_BATCH_SIZE", "0")
    with pytest.raises(Invalid) as refused:
        Settings()
    message, _ = refused.value.localized("fr")
    assert "ACCORD_IMPORT_BATCH_SIZE" in message and "au moins 1" in message


def test_replace_checks_the_changes_and_keeps_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_NODE_ID", "from-env")
    settings = Settings(review_undo_seconds=5)
    monkeypatch.setenv("ACCORD_NODE_ID", "changed-later")
    tuned = settings.replace(import_batch_size=10)
    assert (tuned.import_batch_size, tuned.review_undo_seconds, tuned.node_id) == (
        10, 5, "from-env")
    assert settings.import_batch_size == Settings.default("import_batch_size")
    with pytest.raises(Invalid, match="ACCORD_IMPORT_BATCH_SIZE"):
        settings.replace(import_batch_size=0)
    with pytest.raises(TypeError, match="import_batch_sise"):
        settings.replace(import_batch_sise=10)


def test_secrets_stay_out_of_the_settings_repr() -> None:
    settings = Settings(audit_key="k" * 40, secrets_key="s" * 44, web_secret_key="w" * 32,
                        metrics_token="t" * 20,
                        database_url="postgresql+psycopg://accord:hunter2@db/accord")
    shown = repr(settings)
    assert "k" * 40 not in shown and "s" * 44 not in shown and "w" * 32 not in shown
    assert "t" * 20 not in shown and "hunter2" not in shown
    assert "pdq_match_threshold=31" in shown


def test_a_bad_setting_is_a_cli_error_in_the_chosen_language(
        cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_PDQ_MATCH_THRESHOLD", "-3")
    result = cli("--lang", "es", "signal", "list")
    assert result.exit_code == 2
    assert "ACCORD_PDQ_MATCH_THRESHOLD: debe ser al menos 0" in result.stderr
    assert "Traceback" not in result.stderr
