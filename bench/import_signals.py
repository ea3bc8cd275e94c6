"""Bench: bulk import of PDQ signals from CSV (issue 2's figure).

Generates N random PDQ signals (with quality and two labels each) as an
HMA-style CSV, then times, each in its own process so memory is measured
separately:

* ``accord``: ``accord signal import BANK FILE`` (the real command: parsing,
  validation, label checks, de-duplication, batched writes, audit events);
* ``baseline``: the floor for the same database: plain DB-API ``executemany``
  of the same pre-validated rows into a bare table with the same unique index.

On SQLite and, when a PostgreSQL server is installed, on a throwaway
PostgreSQL (tests/pgserver.py). Prints wall seconds, rows/s, peak RSS and the
ratio accord/baseline for each (medians over ``--repeat`` runs).

Usage: python bench/import_signals.py [--rows 1000000] [--repeat 1] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ("content:image", "behaviour:recruitment")


def make_csv(path: Path, rows: int) -> None:
    """Write ``rows`` random PDQ signals as CSV."""
    with path.open("w") as out:
        out.write("signal_type,signal_value,quality,labels\n")
        chunk = 100_000
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            blob = secrets.token_hex(32 * n)
            out.writelines(f"pdq,{blob[i * 64:(i + 1) * 64]},100,{';'.join(LABELS)}\n"
                           for i in range(n))


BASELINE = r'''
import csv, sys, time
from sqlalchemy import create_engine
url, path = sys.argv[1], sys.argv[2]
engine = create_engine(url)
raw = engine.raw_connection()
cur = raw.cursor()
pg = url.startswith("postgresql")
cur.execute(
    "CREATE TABLE bench_raw (id %s PRIMARY KEY, signal_type VARCHAR(30), value VARCHAR(200), "
    "quality INTEGER, labels TEXT, UNIQUE (signal_type, value))"
    % ("BIGSERIAL" if pg else "INTEGER"))
raw.commit()
mark = "%s" if pg else "?"
sql = ("INSERT INTO bench_raw (signal_type, value, quality, labels) "
       f"VALUES ({mark}, {mark}, {mark}, {mark})")
with open(path, newline="") as f:
    rows = csv.reader(f)
    next(rows)
    batch = []
    for r in rows:
        batch.append((r[0], r[1], int(r[2]), r[3]))
        if len(batch) == 5000:
            cur.executemany(sql, batch); raw.commit(); batch = []
    if batch:
        cur.executemany(sql, batch); raw.commit()
'''


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB) of that process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def accord_env(url: str, home: Path) -> dict[str, str]:
    """The environment of the measured process: this one's, with only our ACCORD_ settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ACCORD_") or k == "ACCORD_IMPORT_BATCH_SIZE"}
    env.update(ACCORD_DATABASE_URL=url, ACCORD_HOME=str(home), COLUMNS="120")
    return env


def accord(*args: str) -> list[str]:
    return [sys.executable, "-m", "accord", *args]


def prepare_node(url: str, env: dict[str, str]) -> None:
    for args in (("init",), ("partner", "add", "Bench Agency", "--kind", "agency", "--country",
                             "FR"),
                 ("bank", "add", "bench", "--owner", "Bench Agency")):
        subprocess.run(accord(*args), env=env, check=True, capture_output=True)


@contextlib.contextmanager
def databases(backend: str, work: Path) -> Iterator[Iterator[str]]:
    """Yields a generator of fresh database URLs for ``backend``."""
    if backend == "sqlite":
        counter = iter(range(10**6))
        yield (f"sqlite:///{work / f'bench-{next(counter)}.sqlite3'}" for _ in iter(int, 1))
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.pgserver import find_postgres_bin, temporary_postgres

    if find_postgres_bin() is None:
        raise LookupError("PostgreSQL is not installed")
    with temporary_postgres() as server:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")

        def fresh() -> Iterator[str]:
            for i in range(10**6):
                name = f"bench_{i}"
                with admin.connect() as conn:
                    conn.execute(text(f"CREATE DATABASE {name}"))
                yield make_url(server).set(database=name).render_as_string(False)

        yield fresh()
        admin.dispose()


def bench_backend(backend: str, csv_path: Path, rows: int, repeat: int, work: Path) -> None:
    try:
        with databases(backend, work) as urls:
            acc, base = [], []
            for _ in range(repeat):
                url = next(urls)
                env = accord_env(url, work)
                prepare_node(url, env)
                acc.append(run_measured(accord("signal", "import", "bench", str(csv_path)), env))
                check = subprocess.run(accord("bank", "list"), env=env, capture_output=True,
                                       text=True, check=True)
                if f"{rows:,}" not in check.stdout:
                    raise SystemExit(f"import did not store {rows:,} signals:\n{check.stdout}")
                base.append(run_measured([sys.executable, "-c", BASELINE, next(urls),
                                          str(csv_path)], env))
    except LookupError as exc:
        print(f"{backend:10s} skipped: {exc}")
        return
    a_wall = statistics.median(w for w, _ in acc)
    b_wall = statistics.median(w for w, _ in base)
    a_rss = max(r for _, r in acc)
    print(f"{backend:10s} accord   {a_wall:7.1f} s  {rows / a_wall:9,.0f} rows/s  "
          f"peak RSS {a_rss:6.0f} MiB")
    print(f"{backend:10s} baseline {b_wall:7.1f} s  {rows / b_wall:9,.0f} rows/s  "
          f"peak RSS {max(r for _, r in base):6.0f} MiB")
    print(f"{backend:10s} ratio accord/baseline time: {a_wall / b_wall:.2f}x   "
          f"target: accord under 60 s for 1M on SQLite, under 1024 MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        work = Path(tmp)
        csv_path = work / "signals.csv"
        make_csv(csv_path, args.rows)
        print(f"{args.rows:,} PDQ signals, {csv_path.stat().st_size / 2**20:.0f} MiB CSV, "
              f"{os.cpu_count()} CPUs, median of {args.repeat}")
        for backend in args.backends.split(","):
            bench_backend(backend.strip(), csv_path, args.rows, args.repeat, work)


if __name__ == "__main__":
    main()
