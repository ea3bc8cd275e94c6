"""The command line's errors are English unless ``accord --lang LANG`` asks for another of the
six UN languages (issue 20); the values in them are printed as given."""

from __future__ import annotations

from tests.conftest import CliRun


def _missing_bank(cli: CliRun, *lang: str) -> tuple[int, str]:
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "fr").exit_code == 0
    result = cli(*lang, "bank", "add", "a-images", "--owner", "Agency A", "--channel", "nope")
    return result.exit_code, result.stderr


def test_errors_are_english_by_default(cli: CliRun) -> None:
    code, stderr = _missing_bank(cli)
    assert code == 2
    assert "Error: no channel 'nope'" in stderr and "Hint: list channels with" in stderr


def test_errors_are_chinese_with_lang_and_keep_their_values(cli: CliRun) -> None:
    code, stderr = _missing_bank(cli, "--lang", "zh-Hans")
    assert code == 2
    assert "Error: 没有频道 'nope'" in stderr
    assert "Hint: 用以下命令列出频道" in stderr and "accord channel list" in stderr


def test_a_language_accord_does_not_ship_is_a_usage_error(cli: CliRun) -> None:
    result = cli("--lang", "tlh", "partner", "list")
    assert result.exit_code == 2 and "'tlh' is not one of en, zh-Hans" in result.stderr
