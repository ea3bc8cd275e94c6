"""Bench: import of GTD-format incidents (issue 9's figure: 200,000 rows in < 30 s).

Generates N GTD-format rows (``accord.incidents.synthetic``; Accord ships no
GTD data) as CSV with GTD's own columns, person-naming free text included,
then times in this process, on a fresh SQLite database:

* ``accord``: ``incident_import`` as ``accord incidents import`` calls it
  (reading, code-list and date checks, dropping free text, duplicate eventid
  checks, batched writes, one audit event per batch);
* ``baseline``: ``pandas.read_csv`` of the same file (parsing alone, in C),
  measured in the same run.

Prints seconds, rows/s and the ratio accord/baseline.

With ``--postgresql`` it also runs on a throwaway PostgreSQL server
(tests/pgserver.py) when one is installed.

Usage: python bench/incidents_import.py [--rows 200000] [--postgresql]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgresql", action="store_true",
                        help="also import into a throwaway PostgreSQL server")
    args = parser.parse_args()

    import pandas as pd

    from accord.incidents import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "gtd.csv"
        synthetic.write_csv(synthetic.generate(synthetic.Plan(), rows=args.rows), csv)
        rows = sum(1 for _ in csv.open()) - 1
        print(f"{rows:,} GTD-format rows, {csv.stat().st_size / 1e6:.1f} MB")

        start = time.perf_counter()
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        baseline = time.perf_counter() - start
        assert len(frame) == rows
        print(f"baseline (pandas.read_csv, parse only): {baseline:6.2f} s "
              f"{rows / baseline:10,.0f} rows/s")
        _run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", csv, rows, baseline)
        if args.postgresql:
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            from tests.pgserver import temporary_postgres

            with temporary_postgres() as server:
                admin = create_engine(server, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text("CREATE DATABASE bench_incidents"))
                admin.dispose()
                url = make_url(server).set(database="bench_incidents").render_as_string(False)
                _run("postgresql", url, csv, rows, baseline)


def _run(backend: str, url: str, csv: Path, rows: int, baseline: float) -> None:
    from accord.incidents import service
    from accord.incidents.tables import open_table
    from accord.sharing import service as sharing
    from accord.sharing.roles import Actor
    from accord.store.database import Database
    from accord.store.schema import upgrade

    db = Database(url)
    upgrade(db)
    op = Actor.operator()
    sharing.partner_add(db, op, "Bench Partner", "research", "FR")
    start = time.perf_counter()
    report = service.incident_import(db, op, open_table(csv),
                                     service.Sharing("Bench Partner", "GREEN"))
    accord = time.perf_counter() - start
    db.dispose()
    assert report.imported == rows and report.refused == 0
    print(f"{backend}: accord incidents import (checked, stored): {accord:6.2f} s "
          f"{rows / accord:10,.0f} rows/s; ratio accord/baseline {accord / baseline:.1f}x; "
          f"target < 30 s: {'met' if accord < 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
