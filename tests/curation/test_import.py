"""Bulk import: HMA-style CSV and JSON lines, bad rows by line number, idempotence, --strict."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import signals
from accord.curation.export import export_signals
from accord.curation.importer import import_signals
from accord.errors import Invalid
from accord.store.database import Database
from tests.curation.conftest import Node

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
GOOD_CSV = f"""signal_type,signal_value,quality,labels,behaviour
pdq,{PDQ},100,content:magazine,recruitment
md5,{"1" * 32},,,
sha256,{"2" * 64},,content:video;content:image,threat
"""


def _file(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_csv_in_the_hma_format_imports_with_its_labels(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    report = import_signals(
        db, node.curator_a, node.bank, _file(tmp_path, "s.csv", GOOD_CSV), settings
    )
    assert (report.rows, report.imported, report.error_count) == (3, 3, 0)
    found = {s.signal_type: s for s in signals.signal_list(db, node.curator_a)}
    assert found["pdq"].labels == ("behaviour:recruitment", "content:magazine")
    assert found["pdq"].quality == 100
    assert found["sha256"].labels == ("behaviour:threat", "content:image", "content:video")


def test_reimporting_the_same_file_adds_nothing(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    path = _file(tmp_path, "s.csv", GOOD_CSV)
    import_signals(db, node.curator_a, node.bank, path, settings)
    events = audit.count(db)
    again = import_signals(db, node.curator_a, node.bank, path, settings)
    assert (again.imported, again.duplicates) == (0, 3)
    assert audit.count(db) == events
    assert len(signals.signal_list(db, node.curator_a)) == 3


def test_bad_rows_are_reported_by_line_and_the_good_ones_import(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    text = (
        "signal_type,signal_value,labels\n"
        f"pdq,{PDQ},\n"  # 2 good
        "pdq,not-hex-at-all,\n"  # 3 bad hex
        f"pdq,{PDQ[:60]},\n"  # 4 wrong length
        f"md5,{'3' * 32},behaviour:made-up\n"  # 5 unknown label
        f"md5,{'4' * 32},extra,field\n"  # 6 malformed row
        f"sha1,{'5' * 40},\n"  # 7 unknown type
        f"md5,{'6' * 32},\n"  # 8 good
        f"md5,{'6' * 32},\n"  # 9 duplicate of 8
        "md5,,\n"  # 10 missing value
    )
    report = import_signals(
        db, node.curator_a, node.bank, _file(tmp_path, "bad.csv", text), settings
    )
    assert (report.imported, report.duplicates) == (2, 1)
    assert [e.line for e in report.errors] == [3, 4, 5, 6, 7, 10]
    messages = " | ".join(e.message for e in report.errors)
    for expected in (
        "pdq",
        "made-up",
        "4 fields, but the header names 3",
        "sha1",
        "signal_value is missing",
    ):
        assert expected in messages


def test_strict_mode_imports_nothing_when_a_row_is_bad(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    small = Settings(home=settings.home, database_url=settings.database_url, import_batch_size=1)
    before = audit.count(db)
    text = GOOD_CSV + "md5,zz,\n"
    report = import_signals(
        db, node.curator_a, node.bank, _file(tmp_path, "s.csv", text), small, strict=True
    )
    assert report.rolled_back and report.imported == 0 and report.error_count == 1
    assert signals.signal_list(db, node.curator_a) == []
    assert audit.count(db) == before


def test_each_batch_is_one_verifiable_audit_event(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    small = Settings(home=settings.home, database_url=settings.database_url, import_batch_size=2)
    before = audit.count(db)
    import_signals(db, node.curator_a, node.bank, _file(tmp_path, "s.csv", GOOD_CSV), small)
    events = audit.tail(db, 2)
    assert audit.count(db) == before + 2
    assert [e.details["added"] for e in events] == [2, 1]
    assert all(e.action == "signal.import" for e in events)
    assert audit.verify(db).ok


def test_json_lines_import_with_bad_lines_reported(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    text = (
        f'{{"signal_type": "md5", "signal_value": "{"7" * 32}", "labels": ["content:video"]}}\n'
        "\n"
        "{not json}\n"
        "[1, 2]\n"
        f'{{"signal_type": "url", "value": "HTTPS://Example.ORG/a?utm_source=x"}}\n'
    )
    report = import_signals(
        db, node.curator_a, node.bank, _file(tmp_path, "s.jsonl", text), settings
    )
    assert report.imported == 2
    assert [e.line for e in report.errors] == [3, 4]
    urls = [s.value for s in signals.signal_list(db, node.curator_a, signal_type="url")]
    assert urls == ["https://example.org/a"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "empty"),
        (b"type,value\nmd5,abc\n", "lacks signal_type, signal_value"),
        (b"signal_type,signal_value,colour\n", "unknown columns"),
        (b"signal_type,signal_value\nmd5,\xff\xfe\n", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_signal_file_is_refused_whole(
    db: Database, node: Node, settings: Settings, tmp_path: Path, text: bytes, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        import_signals(db, node.curator_a, node.bank, _file(tmp_path, "x.csv", text), settings)
    assert signals.signal_list(db, node.curator_a) == []


def test_export_writes_what_import_reads_back(
    db: Database, node: Node, settings: Settings, tmp_path: Path
) -> None:
    import_signals(db, node.curator_a, node.bank, _file(tmp_path, "s.csv", GOOD_CSV), settings)
    out = io.StringIO()
    assert export_signals(db, node.curator_a, out, bank=node.bank) == 3
    from accord.curation import banks
    from accord.sharing.roles import Actor

    banks.bank_add(db, Actor.operator(), "copy", "Agency A")
    again = import_signals(
        db, node.curator_a, "copy", _file(tmp_path, "o.csv", out.getvalue()), settings
    )
    assert (again.imported, again.error_count) == (3, 0)
    left = {
        (s.signal_type, s.value, s.labels)
        for s in signals.signal_list(db, node.curator_a, bank=node.bank)
    }
    right = {
        (s.signal_type, s.value, s.labels)
        for s in signals.signal_list(db, node.curator_a, bank="copy")
    }
    assert left == right
