"""Retro-scans: CSV and Parquet corpora, visibility, resuming, and a Dask cluster."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.errors import Conflict
from accord.matching.engine import MatchEngine
from accord.matching.scan import scan
from accord.matching.service import partner_viewer
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.store.database import Database

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node

BASE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def flipped(value: str, bits: int, seed: int) -> str:
    number = int(value, 16)
    for bit in random.Random(seed).sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


@pytest.fixture
def engine(db: Database, settings: Settings) -> MatchEngine:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform P", "platform", "IE")
    banks.bank_add(db, op, "a-amber", "Agency A", default_tlp="AMBER")
    for i in range(5):
        signals.signal_add(db, op, "a-amber", SignalInput("pdq", flipped(BASE, 64, i)), settings)
    signals.signal_add(db, op, "a-amber", SignalInput("md5", "a" * 32), settings)
    return MatchEngine.load(db, settings)


def corpus_rows() -> list[tuple[str, str, str]]:
    rows = [(f"item-{i}", "pdq", flipped(flipped(BASE, 64, i), i * 4, 99)) for i in range(5)]
    rows += [(f"noise-{i}", "pdq", f"{random.Random(i).getrandbits(256):064x}")
             for i in range(20)]
    rows += [("file-md5", "md5", "A" * 32), ("bad-1", "pdq", "zz"), ("bad-2", "sha1", "x")]
    return rows


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(("id", "signal_type", "value"))
        writer.writerows(rows)
    return path


def matches(path: Path) -> set[tuple[str, int]]:
    with path.open() as f:
        return {(r["corpus_id"], int(r["distance"])) for r in csv.DictReader(f)}


EXPECTED = {(f"item-{i}", i * 4) for i in range(5) if i * 4 <= 31} | {("file-md5", 0)}


def test_a_csv_corpus_is_scanned_against_every_bank(engine: MatchEngine, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    report = scan(engine, OPERATOR, write_csv(tmp_path / "c.csv", corpus_rows()), out, chunk=7)
    assert matches(out) == EXPECTED
    assert (report.rows, report.errors, report.matched_rows) == (28, 2, len(EXPECTED))
    assert not out.with_name("m.csv.progress.json").exists()


def test_a_parquet_corpus_gives_the_same_matches(engine: MatchEngine, tmp_path: Path) -> None:
    ids, kinds, values = zip(*corpus_rows(), strict=True)
    table = pa.table({"id": list(ids), "signal_type": list(kinds), "value": list(values)})
    pq.write_table(table, tmp_path / "c.parquet")
    scan(engine, OPERATOR, tmp_path / "c.parquet", tmp_path / "m.csv", chunk=10)
    assert matches(tmp_path / "m.csv") == EXPECTED


def test_a_partner_scans_only_what_it_may_see(
    engine: MatchEngine, db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "m.csv"
    viewer = partner_viewer(db, "Platform P")
    scan(engine, viewer, write_csv(tmp_path / "c.csv", corpus_rows()), out)
    assert matches(out) == set()


def test_an_interrupted_scan_resumes_where_it_stopped(
    engine: MatchEngine, tmp_path: Path
) -> None:
    corpus = write_csv(tmp_path / "c.csv", corpus_rows())
    out = tmp_path / "m.csv"

    def stop_after_first_chunk(done: int) -> None:
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan(engine, OPERATOR, corpus, out, chunk=5, progress=stop_after_first_chunk)
    assert out.with_name("m.csv.progress.json").exists()
    report = scan(engine, OPERATOR, corpus, out, chunk=5)
    assert report.resumed_from == 5 and report.rows == 23
    assert matches(out) == EXPECTED
    with out.open() as f:
        assert sum(1 for _ in f) == 1 + len(EXPECTED)  # header, and no line written twice


def test_a_progress_file_of_another_corpus_is_refused(
    engine: MatchEngine, tmp_path: Path
) -> None:
    out = tmp_path / "m.csv"
    out.with_name("m.csv.progress.json").write_text(
        '{"corpus": "/elsewhere.csv", "size": 1, "mtime_ns": 1, "rows_done": 1, '
        '"output_bytes": 1}')
    with pytest.raises(Conflict, match="another corpus"):
        scan(engine, OPERATOR, write_csv(tmp_path / "c.csv", corpus_rows()), out)


def test_a_dask_cluster_finds_the_same_matches(engine: MatchEngine, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        out = tmp_path / "m.csv"
        scan(engine, OPERATOR, write_csv(tmp_path / "c.csv", corpus_rows()), out, chunk=10,
             client=client)
    assert matches(out) == EXPECTED


def torch_devices() -> list[str]:
    """The torch devices here: the GPU kernel runs on the CPU too, so it is tested
    wherever PyTorch is installed, and on CUDA where there is a device."""
    from accord.index.gpu import cuda_available, torch_available

    if not torch_available():
        return []
    return ["cpu", "cuda"] if cuda_available() else ["cpu"]


needs_torch = pytest.mark.skipif(not torch_devices(),
                                 reason="PyTorch is not installed (pip install -e '.[gpu]')")


@needs_torch
@pytest.mark.parametrize("device", torch_devices() or ["cpu"])
def test_the_gpu_kernel_finds_the_same_matches(
    engine: MatchEngine, db: Database, tmp_path: Path, device: str
) -> None:
    out = tmp_path / "m.csv"
    scan(engine, OPERATOR, write_csv(tmp_path / "c.csv", corpus_rows()), out, chunk=10,
         device=device)
    assert matches(out) == EXPECTED
    hidden = tmp_path / "hidden.csv"
    scan(engine, partner_viewer(db, "Platform P"), write_csv(tmp_path / "c.csv", corpus_rows()),
         hidden, device=device)
    assert matches(hidden) == set()


def test_a_scan_asks_for_pytorch_or_a_device_it_can_use() -> None:
    from accord.errors import Invalid
    from accord.matching.scan import gpu_device

    assert gpu_device("off") is None
    auto = gpu_device("auto")
    assert auto in (None, "cuda")
    if not torch_devices():
        with pytest.raises(Invalid, match="needs PyTorch"):
            gpu_device("cuda")
    elif auto is None:  # PyTorch without CUDA: asking for it is a clear error
        from accord.index.gpu import TorchSearcher

        with pytest.raises(Invalid, match="no CUDA device"):
            TorchSearcher(__import__("numpy").zeros(0, "int64"),
                          __import__("numpy").zeros((0, 32), "uint8"), "cuda")
