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
