"""The CLI refuses free text holding personal data with a message naming the field and the
kind found (never the value) and a non-zero exit; nothing is stored."""

from __future__ import annotations

from tests.conftest import CliRun


def _node(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("bank", "add", "a-images", "--owner", "Agency A").exit_code == 0


def test_a_channel_description_or_name_with_personal_data_is_refused(cli: CliRun) -> None:
    _node(cli)
    described = cli("channel", "add", "eu-amber", "--owner", "Agency A",
                    "--description", "ask Rustam Karimov, +44 20 7946 0958")
    assert described.exit_code == 2
    assert "the channel description looks like it holds personal data" in described.stderr
    assert "a personal name" in described.stderr and "a phone number" in described.stderr
    assert "Karimov" not in described.stderr + described.stdout
    named = cli("channel", "add", "Rustam-Karimov", "--owner", "Agency A")
    assert named.exit_code == 2 and "the channel name looks like" in named.stderr
    listed = cli("channel", "list")
    assert "eu-amber" not in listed.stdout and "Karimov" not in listed.stdout
    assert cli("channel", "add", "eu-amber", "--owner", "Agency A",
               "--description", "AMBER sharing among EU agencies").exit_code == 0


def test_a_signal_rationale_typed_in_disguise_is_refused(cli: CliRun) -> None:
    _node(cli)
    added = cli("signal", "add", "a-images", "md5", "a" * 32,
                "--rationale", "seen with Ｊｏｈｎ Ｓｍｉｔｈ")  # noqa: RUF001 (full-width)
    assert added.exit_code == 2
    assert "the rationale looks like it holds personal data: a personal name" in added.stderr
    assert "Smith" not in added.stderr and "Ｓｍｉｔｈ" not in added.stderr  # noqa: RUF001
    assert cli("signal", "add", "a-images", "md5", "a" * 32,
               "--rationale", "poster of the 2024 campaign").exit_code == 0
