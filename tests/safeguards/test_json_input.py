"""Untrusted JSON nested 100,000 deep is refused with a message, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.safeguards.json_input import loads
from tests.conftest import CliRun

DEEP = "[" * 100_000 + "]" * 100_000


def test_a_too_deep_document_is_invalid_and_says_so() -> None:
    with pytest.raises(Invalid, match="the envelope is nested too deeply"):
        loads(DEEP, "the envelope")


def test_broken_json_names_what_was_read_and_where() -> None:
    with pytest.raises(Invalid, match=r"the file is not JSON: .* line 1 column 9"):
        loads('{"a": 1,', "the file")


def test_ordinary_json_reads_as_the_standard_library_reads_it() -> None:
    assert loads(b'{"objects": [1, 2.5, "x", null, true]}', "x") == \
        {"objects": [1, 2.5, "x", None, True]}


def _node(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("bank", "add", "a-images", "--owner", "Agency A").exit_code == 0


def test_the_cli_refuses_a_too_deep_stix_file_in_one_line(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    path = tmp_path / "deep.json"
    path.write_text('{"type": "bundle", "objects": ' + DEEP + "}")
    result = cli("import", str(path), "--bank", "a-images", "--format", "stix")
    assert result.exit_code == 2
    assert "nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_a_too_deep_json_line_is_one_refused_row(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    path = tmp_path / "rows.jsonl"
    path.write_text('{"signal_type": "md5", "signal_value": "' + "a" * 32 + '"}\n'
                    + DEEP + "\n")
    result = cli("signal", "import", "a-images", str(path))
    assert "line 2: the line is nested too deeply" in result.stderr
    assert "Imported 1" in result.stdout


def test_a_too_deep_misp_file_is_refused_in_one_line(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    path = tmp_path / "deep-misp.json"
    path.write_text('{"Event": ' + DEEP + "}")
    result = cli("import", str(path), "--bank", "a-images", "--format", "misp")
    assert result.exit_code == 2
    assert "the MISP file is nested too deeply" in result.stderr


def test_a_too_deep_stix_text_is_invalid_not_a_crash() -> None:
    from accord.exchange.stix import parse_stix, validate_bundle
    with pytest.raises(Invalid, match="nested too deeply"):
        parse_stix(DEEP)
    assert validate_bundle(DEEP) == ["not JSON: nested too deeply to read"]
