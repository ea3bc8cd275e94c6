"""Bench: how fast a node's match index serves after a restart (issue 4's 10 s figure).

Builds a SQLite node with ``--signals`` random PDQ signals (the real bulk
import), saves the index snapshot, adds ``--changes`` signals after it, then
times, each in a fresh process:

* baseline: ``MatchEngine.load`` — the whole index rebuilt from the store;
* ``MatchEngine.open`` — the memory-mapped snapshot plus the changes since it,
  checked to match a signal added after the snapshot.

Usage: python bench/startup.py [--signals 10000000] [--changes 1000]
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.config import Settings  # noqa: E402
from accord.curation import banks, importer  # noqa: E402
from accord.matching.engine import MatchEngine, snapshot_folder  # noqa: E402
from accord.sharing import service  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.store.database import Database  # noqa: E402
from accord.store.schema import upgrade  # noqa: E402

TIMED = """
import sys, time
sys.path.insert(0, {root!r})
started = time.perf_counter()
from accord.config import Settings
from accord.matching.engine import MatchEngine
from accord.store.database import Database

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node
settings = Settings(home={home!r}, database_url={url!r})
engine = getattr(MatchEngine, {how!r})(Database(settings.database_url), settings)
hits = engine.lookup(OPERATOR, "pdq", {probe!r})
assert hits and hits[0].distance == 0, "the post-snapshot signal was not found"
print(time.perf_counter() - started, sum(engine.size().values()))
"""


def write_csv(path: Path, count: int) -> None:
    with path.open("w") as out:
        out.write("signal_type,signal_value\n")
        for start in range(0, count, 100_000):
            n = min(100_000, count - start)
            blob = secrets.token_hex(32 * n)
            out.writelines(f"pdq,{blob[i * 64:(i + 1) * 64]}\n" for i in range(n))


def timed(how: str, root: Path, home: Path, url: str, probe: str) -> tuple[float, int]:
    code = TIMED.format(root=str(root), home=str(home), url=url, how=how, probe=probe)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=10_000_000)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-startup-") as tmp:
        work = Path(tmp)
        db = Database(f"sqlite:///{work / 'node.sqlite3'}")
        upgrade(db)
        settings = Settings(home=work / "home", database_url=db.url)
        op = Actor.operator("bench")
        service.partner_add(db, op, "Bench", "agency", "FR")
        banks.bank_add(db, op, "bench", "Bench", default_tlp="GREEN")
        csv_path = work / "signals.csv"
        write_csv(csv_path, args.signals)
        started = time.perf_counter()
        importer.import_signals(db, op, "bench", csv_path, settings)
        print(f"imported {args.signals:,} PDQ signals in {time.perf_counter() - started:.0f} s")
        csv_path.unlink()
        started = time.perf_counter()
        MatchEngine.load(db, settings).save(snapshot_folder(settings))
        print(f"snapshot built and saved in {time.perf_counter() - started:.1f} s")
        write_csv(csv_path, args.changes)
        importer.import_signals(db, op, "bench", csv_path, settings)
        probe = csv_path.read_text().splitlines()[-1].split(",")[1]
        db.dispose()
        full, size = timed("load", ROOT, settings.home, str(settings.database_url), probe)
        fast, size2 = timed("open", ROOT, settings.home, str(settings.database_url), probe)
        assert size == size2, (size, size2)
        print(f"restart to serving, {size:,} signals ({args.changes:,} added after the "
              f"snapshot): snapshot + changes {fast:.1f} s; baseline full rebuild {full:.1f} s; "
              f"ratio {full / fast:.1f}x (target: under 10 s at 10M)")


if __name__ == "__main__":
    main()
