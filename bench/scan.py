"""Bench: retro-scan throughput and freshness of the match engine (issue 4's figures).

Generated data only. Builds a node whose bank holds ``--bank`` random PDQ
signals (imported through the real bulk import into SQLite), then:

1. freshness: ``signal add`` to matchable. Each round adds one signal, then
   times the engine's ``refresh`` plus the query that must find it (median and
   max over ``--fresh`` rounds), against the baseline HMA uses: rebuilding the
   whole PDQ index from the store (one timing, same bank);
2. retro-scan: ``--corpus`` random corpus hashes (with a planted share that
   matches) in a Parquet file through ``accord.matching.scan.scan`` on 1 thread
   (the baseline), on all cores, and on a Dask ``LocalCluster`` (2 workers x 1
   thread); hashes per second and the ratio to the 1-thread run, with the match
   count checked equal across the three.

Usage: python bench/scan.py [--bank 1000000] [--corpus 10000000] [--fresh 20]
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from accord.config import Settings  # noqa: E402
from accord.curation import banks, importer, signals  # noqa: E402
from accord.matching.engine import MatchEngine  # noqa: E402
from accord.matching.scan import scan  # noqa: E402
from accord.sharing import service  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.sharing.visibility import Viewer  # noqa: E402
from accord.store.database import Database  # noqa: E402
from accord.store.schema import upgrade  # noqa: E402

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node


def build_node(work: Path, bank_size: int) -> tuple[Database, Settings, np.ndarray]:
    """A SQLite node with one bank of ``bank_size`` random PDQ signals; returns their hashes."""
    db = Database(f"sqlite:///{work / 'node.sqlite3'}")
    upgrade(db)
    settings = Settings(home=work / "home", database_url=db.url)
    op = Actor.operator("bench")
    service.partner_add(db, op, "Bench", "agency", "FR")
    banks.bank_add(db, op, "bench", "Bench", default_tlp="GREEN")
    hashes = np.frombuffer(secrets.token_bytes(32 * bank_size), np.uint8).reshape(-1, 32)
    lines = ["signal_type,signal_value"] + [f"pdq,{h.tobytes().hex()}" for h in hashes]
    started = time.perf_counter()
    importer.import_signals(db, op, "bench", io.BytesIO("\n".join(lines).encode()), settings,
                            fmt="csv")
    print(f"bank: {bank_size:,} PDQ signals imported in {time.perf_counter() - started:.1f} s")
    return db, settings, hashes


def freshness(db: Database, settings: Settings, rounds: int) -> None:
    started = time.perf_counter()
    engine = MatchEngine.load(db, settings)
    rebuild = time.perf_counter() - started
    op = Actor.operator("bench")
    delays = []
    for _ in range(rounds):
        value = secrets.token_hex(32)
        signals.signal_add(db, op, "bench", signals.SignalInput("pdq", value), settings)
        t0 = time.perf_counter()
        engine.refresh()
        found = engine.lookup(OPERATOR, "pdq", value)
        delays.append(time.perf_counter() - t0)
        assert found and found[0].distance == 0, "a fresh signal was not matched"
    median = statistics.median(delays)
    print(f"freshness: add -> matchable median {median * 1000:.1f} ms, max "
          f"{max(delays) * 1000:.1f} ms over {rounds} adds; baseline full rebuild "
          f"{rebuild:.1f} s; ratio rebuild/refresh {rebuild / median:,.0f}x")


def make_corpus(path: Path, size: int, bank: np.ndarray) -> None:
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, size=(size, 32), dtype=np.uint8)
    planted = min(size // 100, len(bank))
    codes[:planted] = bank[rng.choice(len(bank), planted, replace=False)]
    flips = rng.integers(0, 256, size=(planted, 8))
    for column in range(8):  # up to 8 flipped bits: still within radius 31
        rows = np.arange(planted)
        codes[rows, flips[:, column] // 8] ^= (1 << (flips[:, column] % 8)).astype(np.uint8)
    values = [c.tobytes().hex() for c in codes]
    table = pa.table({"id": [f"item-{i}" for i in range(size)],
                      "signal_type": ["pdq"] * size, "value": values})
    pq.write_table(table, path)


def scan_round(engine: MatchEngine, corpus: Path, out: Path, size: int, label: str,
               threads: int, client: object = None) -> tuple[float, int]:
    out.with_name(out.name + ".progress.json").unlink(missing_ok=True)
    started = time.perf_counter()
    report = scan(engine, OPERATOR, corpus, out, chunk=200_000, threads=threads, client=client)
    seconds = time.perf_counter() - started
    print(f"scan {label:>22s}: {size / seconds:10,.0f} hashes/s ({seconds:6.1f} s), "
          f"{report.matched_rows:,} rows matched")
    return size / seconds, report.matches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=int, default=10_000_000)
    parser.add_argument("--fresh", type=int, default=20)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="accord-scan-") as tmp:
        work = Path(tmp)
        db, settings, bank = build_node(work, args.bank)
        freshness(db, settings, args.fresh)
        engine = MatchEngine.load(db, settings)
        corpus = work / "corpus.parquet"
        make_corpus(corpus, args.corpus, bank)
        print(f"corpus: {args.corpus:,} PDQ hashes, {cores} cores")
        base, count = scan_round(engine, corpus, work / "m1.csv", args.corpus,
                                 "1 thread (baseline)", 1)
        multi, count_multi = scan_round(engine, corpus, work / "m2.csv", args.corpus,
                                        f"{cores} threads", cores)
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            dask, count_dask = scan_round(engine, corpus, work / "m3.csv", args.corpus,
                                          "Dask LocalCluster 2x1", 1, client)
        assert count == count_multi == count_dask, "scans disagree"
        print(f"ratios vs 1 thread: {cores} threads {multi / base:.2f}x, "
              f"Dask LocalCluster {dask / base:.2f}x")
        db.dispose()


if __name__ == "__main__":
    main()
