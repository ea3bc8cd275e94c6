"""The ORM models load per area on first use, and nothing is lost by it (issue 19)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.orm import DeclarativeBase

from accord.store import models as m

ROOT = Path(__file__).resolve().parents[2]


def test_every_model_is_named_with_its_module() -> None:
    found = {}
    for module in m._MODULES:
        loaded = importlib.import_module(f"accord.store.models.{module}")
        for name, value in vars(loaded).items():
            if (isinstance(value, type) and issubclass(value, m.Base) and value is not m.Base
                    and value.__module__ == loaded.__name__):
                found[name] = module
    assert found == m._HOME
    assert set(m._HOME) <= set(m.__all__)
    assert issubclass(m.Base, DeclarativeBase)


def test_a_write_in_a_process_that_loaded_one_area_orders_every_table(tmp_path: Path) -> None:
    """A flush sorts the tables by foreign keys over all of them: it loads every area."""
    url = f"sqlite:///{tmp_path / 'node.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-c", "from accord.cli import main; main()", "--db", url]
    subprocess.run([*cli, "init"], env=env, check=True, cwd=ROOT, capture_output=True)
    code = (
        "import sys\n"
        "from sqlalchemy import text\n"
        "from accord.store import models as m\n"
        "from accord.store.database import Database\n"
        f"db = Database({url!r})\n"
        "with db.transaction() as s:\n"
        "    s.execute(text(\"INSERT INTO partners (name, kind, country, created_at) \"\n"
        "                   \"VALUES ('Agency A', 'agency', 'NL', '2026-12-03 00:00:00')\"))\n"
        "    pid = s.execute(text('SELECT id FROM partners')).scalar_one()\n"
        "    print('accord.store.models.partners' in sys.modules)\n"
        "    s.add(m.Bank(name='tvec', owner_partner_id=pid, default_tlp='AMBER'))\n"
        "print('accord.store.models.partners' in sys.modules)\n"
        "with db.reader() as s:\n"
        "    print(s.query(m.Bank).count())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "1"]
