"""The CLI's start-up path imports no heavy package that only some commands need (issue 19).

Guards start-up time without timing it: ``bench/cli_startup.py`` times it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("stix2", "stix2validator", "jsonschema", "pandas", "matplotlib", "dask", "torch",
         "statsmodels", "ruptures", "pyarrow")


def test_importing_the_cli_loads_no_heavy_package() -> None:
    code = ("import sys, accord.cli; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


# What ``accord signal list`` has no use for: the web stack, Alembic, media and numeric
# packages, the personal-data checker's tables (phone numbers, names: only writes check
# text), pydantic (accord.config reads and checks ACCORD_* itself; Typer 0.28 parses
# without it) and the ORM models of areas it never reads.
NOT_FOR_LISTING = ("stix2", "matplotlib", "alembic", "av", "PIL", "numpy", "fastapi",
                   "jinja2", "phonenumbers", "pydantic", "pydantic_settings",
                   "accord.safeguards.names",
                   "accord.store.models.incidents", "accord.store.models.cooperation",
                   "accord.store.models.federation", "accord.store.models.review",
                   "accord.store.models.entities")


def test_signal_list_loads_only_what_listing_needs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-c", "from accord.cli import main; main()", "--db", url]
    subprocess.run([*cli, "init"], env=env, check=True, cwd=ROOT, capture_output=True)
    code = ("import sys; from accord.cli import main\n"
            f"sys.argv = ['accord', '--db', {url!r}, 'signal', 'list']\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            f"print(sorted(m for m in {NOT_FOR_LISTING!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "id" in done.stdout  # the (empty) table was printed
