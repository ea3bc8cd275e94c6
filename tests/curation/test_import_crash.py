"""``kill -9`` in the middle of a bulk import loses nothing and half-imports nothing.

The import commits in batches, each with its audit event. A process killed between
(or during) batches leaves whole batches only: every signal in the bank is covered by
a committed batch's audit event, the audit chain verifies, and a fresh match index
holds exactly the active signals. Running the same import again is the resume: it
adds the rest and counts the ones already there as duplicates.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from accord import audit
from accord.config import Settings
from accord.curation import banks
from accord.matching.engine import MatchEngine
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

ROWS = 60_000
BATCH = 2_000


def _count(db: Database) -> int:
    with db.reader() as session:
        return int(session.execute(select(func.count()).select_from(m.Signal)).scalar_one())


def _import(url: str, home: Path, csv: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ACCORD_HOME": str(home), "ACCORD_IMPORT_BATCH_SIZE": str(BATCH)}
    return subprocess.Popen([sys.executable, "-m", "accord", "--db", url, "signal", "import",
                             "a-bank", str(csv)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_a_bulk_import_killed_midway_leaves_whole_batches_and_resumes(
    db: Database, database_url: str, tmp_path: Path, settings: Settings
) -> None:
    service.partner_add(db, Actor.operator(), "Agency A", "agency", "FR")
    banks.bank_add(db, Actor.operator(), "a-bank", "Agency A", default_tlp="GREEN")
    csv = tmp_path / "hashes.csv"
    values = [secrets.token_hex(32) for _ in range(ROWS)]
    csv.write_text("signal_type,signal_value\n" + "".join(f"pdq,{v}\n" for v in values))

    first = _import(database_url, tmp_path / "home", csv)
    deadline = time.monotonic() + 120
    while _count(db) < 3 * BATCH:  # a few batches are in
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        assert time.monotonic() < deadline, "the import never got going"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL

    landed = _count(db)
    assert 0 < landed < ROWS
    batches = [e for e in audit.events(db, object_type="bank") if e.action == "signal.import"]
    assert sum(int(e.details["added"]) for e in batches) == landed  # nothing half-imported
    assert all(int(e.details["added"]) == BATCH for e in batches)
    assert audit.verify(db).ok
    engine = MatchEngine.load(db, settings)
    assert engine.size()["pdq"] == landed  # the index equals the database

    again = _import(database_url, tmp_path / "home", csv)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert f"Imported {ROWS - landed:,}: {ROWS:,} rows read, {landed:,} already present" in (
        out.decode())
    assert _count(db) == ROWS
    with db.reader() as session:
        stored = set(session.execute(select(m.Signal.value)).scalars())
    assert stored == set(values)
    assert audit.verify(db).ok
    assert MatchEngine.load(db, settings).size()["pdq"] == ROWS
