"""Accord's ``--format hma`` files against the real python-threatexchange, both directions.

pytx 1.2.17 runs from its own virtualenv (``tests/tools/threatexchange.txt``): its
``local_file`` exchange loads what ``accord export --format hma`` writes, and
``accord import --format hma`` reads what pytx's ``dataset`` command prints, both as
``-P -S`` lines and as ``-P --csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.signals import get_signal_type
from accord.signals.video import from_vpdq_json, to_vpdq_json
from accord.store.database import Database
from tests.conftest import CliRun
from tests.exchange.pytx_cli import PytxCli
from tests.media.media_factories import prose

OP = Actor.operator()
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
VIDEO_MD5, IMAGE_MD5 = "1" * 32, "2" * 32
SHA256 = "3" * 64
URL = "https://example.org/propaganda/page"
FRAMES = f"0:100:{PDQ};30:90:{'a5' * 32};60:80:{'0f' * 32}"
TLSH = get_signal_type("text_tlsh").hash_text(prose(seed=7))


def _bank(db: Database) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-hashes", "Agency A", default_tlp="GREEN")


def _add(db: Database, settings: Settings, kind: str, value: str,
         labels: tuple[str, ...] = ()) -> None:
    signals.signal_add(db, OP, "a-hashes", SignalInput(kind, value, labels=labels), settings)


def _stored(db: Database, bank: str) -> set[tuple[str, str]]:
    return {(s.signal_type, s.value) for s in signals.signal_list(db, OP, bank=bank)}


def test_pytx_local_file_loads_every_signal_of_an_accord_export_with_its_type(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path) -> None:
    """Before: Accord wrote a CSV, and pytx loaded 0 of its signals, silently."""
    _bank(db)
    _add(db, settings, "pdq", PDQ)
    _add(db, settings, "md5", VIDEO_MD5, ("content:video",))
    _add(db, settings, "sha256", SHA256)
    _add(db, settings, "url", URL)
    _add(db, settings, "text_tlsh", TLSH)
    _add(db, settings, "video_pdq", FRAMES)
    path = tmp_path / "accord.hma"
    result = cli("export", "--bank", "a-hashes", "--format", "hma", "-o", str(path))
    assert result.exit_code == 0, result.stderr

    loaded = PytxCli.make(tmp_path / "pytx").load_file(path)

    assert loaded == {("pdq", PDQ), ("video_md5", VIDEO_MD5), ("video_sha256", SHA256),
                      ("url", URL), ("text_tlsh", TLSH), ("vpdq", to_vpdq_json(FRAMES))}


def test_an_image_md5_is_never_written_as_pytx_video_md5(
        cli: CliRun, db: Database, settings: Settings, tmp_path: Path) -> None:
    """pytx has no MD5 type for images; before, Accord called every MD5 ``video_md5``."""
    _bank(db)
    _add(db, settings, "md5", VIDEO_MD5, ("content:video",))
    _add(db, settings, "md5", IMAGE_MD5, ("content:image",))
    path = tmp_path / "accord.hma"
    result = cli("export", "--bank", "a-hashes", "--format", "hma", "-o", str(path))
    assert result.exit_code == 0 and "Exported 1 signals" in result.stderr
    assert path.read_text() == f"video_md5 {VIDEO_MD5}\n"


# A known file for pytx's local_file exchange: every type pytx 1.2.17 and its tlsh and
# vpdq extensions know. The vpdq value is pytx's own example (VPDQSignal.get_examples).
_PYTX_VPDQ_EXAMPLE = """
from threatexchange.extensions.vpdq.vpdq import VPDQSignal
print(VPDQSignal.get_examples()[0])
"""
_REFUSED = {
    "url_md5": ("0" * 32, "Accord keeps URLs themselves"),
    "raw_text": ("Words a partner would rather hash than send.", "never content"),
    "trend_query": ('{"and": [{"or": ["attack"]}], "not": []}', "not a hash"),
}


@pytest.fixture(scope="module")
def pytx_dataset(tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, Path, set[tuple[str, str]]]:
    """pytx's ``dataset -P --csv`` and ``dataset -P -S`` of a known local file.

    Returns the two files and the ``(Accord type, canonical value)`` each should import.
    """
    tmp_path = tmp_path_factory.mktemp("dataset")
    pytx = PytxCli.make(tmp_path / "pytx")
    vpdq = pytx.python(_PYTX_VPDQ_EXAMPLE).strip()
    known = {"pdq": PDQ, "video_md5": VIDEO_MD5, "video_sha256": SHA256, "url": URL,
             "text_tlsh": TLSH, "vpdq": vpdq} | {k: v for k, (v, _) in _REFUSED.items()}
    source = tmp_path / "known.txt"
    source.write_text("".join(f"{kind} {value}\n" for kind, value in known.items()))
    assert len(pytx.load_file(source, "known")) == len(known)  # pytx took every line
    as_csv, as_lines = tmp_path / "dataset.csv", tmp_path / "dataset.txt"
    as_csv.write_text(pytx.ok("dataset", "-P", "--csv"), newline="")
    as_lines.write_text(pytx.ok("dataset", "-P", "-S"))
    expected = {("pdq", PDQ), ("md5", VIDEO_MD5), ("sha256", SHA256), ("url", URL),
                ("text_tlsh", TLSH), ("video_pdq", from_vpdq_json(vpdq))}
    return as_csv, as_lines, expected


def test_pytx_dataset_csv_header_is_the_one_accord_reads(
        pytx_dataset: tuple[Path, Path, set[tuple[str, str]]]) -> None:
    as_csv, _, _ = pytx_dataset
    assert as_csv.read_text().splitlines()[0] == "signal_type,signal_str,collab,category,tags"


@pytest.mark.parametrize("layout", ["csv", "lines"])
def test_both_pytx_dataset_exports_import_every_row_once_and_refuse_the_rest_by_row(
        cli: CliRun, db: Database, pytx_dataset: tuple[Path, Path, set[tuple[str, str]]],
        layout: str) -> None:
    """Before: the CSV was refused whole (no signal_value column), the lines row by row."""
    as_csv, as_lines, expected = pytx_dataset
    path = as_csv if layout == "csv" else as_lines
    _bank(db)

    result = cli("import", str(path), "--bank", "a-hashes", "--format", "hma")

    assert result.exit_code == 1  # some rows were refused
    assert f"Imported {len(expected)}: {len(expected) + len(_REFUSED)} read" in result.stdout
    assert f"{len(_REFUSED)} bad" in result.stdout
    assert _stored(db, "a-hashes") == expected
    refusals = result.stderr.splitlines()
    for kind, (value, reason) in _REFUSED.items():
        line = next(r for r in refusals if f"'{kind}' refused" in r)
        assert line.startswith("line ") and reason in line and value not in line
    again = cli("import", str(path), "--bank", "a-hashes", "--format", "hma")
    assert f"{len(expected)} already present" in again.stdout


def test_rows_of_both_exports_land_once_in_one_bank(
        cli: CliRun, db: Database,
        pytx_dataset: tuple[Path, Path, set[tuple[str, str]]]) -> None:
    as_csv, as_lines, expected = pytx_dataset
    _bank(db)
    cli("import", str(as_csv), "--bank", "a-hashes", "--format", "hma")
    second = cli("import", str(as_lines), "--bank", "a-hashes", "--format", "hma")
    assert f"Imported 0: {len(expected) + len(_REFUSED)} read, {len(expected)} already " \
           "present" in second.stdout
    assert len(signals.signal_list(db, OP, bank="a-hashes")) == len(expected)


def test_a_negative_class_row_of_pytx_csv_is_refused_with_the_reason(
        cli: CliRun, db: Database, tmp_path: Path) -> None:
    _bank(db)
    path = tmp_path / "dataset.csv"
    path.write_text("signal_type,signal_str,collab,category,tags\r\n"
                    f"pdq,{PDQ},c,POSITIVE_CLASS,a b\r\n"
                    f"video_md5,{VIDEO_MD5},c,NEGATIVE_CLASS,\r\n", newline="")
    result = cli("import", str(path), "--bank", "a-hashes", "--format", "hma")
    assert "line 3: pytx's category is NEGATIVE_CLASS" in result.stderr
    assert _stored(db, "a-hashes") == {("pdq", PDQ)}


def test_accords_older_hma_csv_still_imports(cli: CliRun, db: Database, tmp_path: Path
                                             ) -> None:
    _bank(db)
    path = tmp_path / "old.csv"
    path.write_text(f"signal_type,signal_value\npdq,{PDQ}\nvideo_md5,{VIDEO_MD5}\n"
                    f"video_pdq,{FRAMES}\n")
    result = cli("import", str(path), "--bank", "a-hashes", "--format", "hma")
    assert result.exit_code == 0, result.stderr
    assert _stored(db, "a-hashes") == {("pdq", PDQ), ("md5", VIDEO_MD5),
                                       ("video_pdq", FRAMES)}


def test_a_pytx_vpdq_value_in_a_file_is_stored_as_accords_video_pdq(
        cli: CliRun, db: Database, tmp_path: Path) -> None:
    _bank(db)
    value = json.dumps([f"{PDQ},100,0.0", f"{'a5' * 32},90,1.0"])
    path = tmp_path / "v.txt"
    path.write_text(f"vpdq {value}\n")
    assert cli("import", str(path), "--bank", "a-hashes", "--format", "hma").exit_code == 0
    # One a second at the nominal 30 fps: frames 0 and 30, so the comparison reads the
    # list as one-a-second hashes (see signals/video.py).
    assert _stored(db, "a-hashes") == {("video_pdq", f"0:100:{PDQ};30:90:{'a5' * 32}")}
