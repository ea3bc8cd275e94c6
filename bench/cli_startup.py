"""Bench: how long ``accord`` takes to start, above ``python -c pass`` (issue 19's 0.5 s).

Times, in the same run and alternating, ``python -c pass`` (the baseline),
``accord --version`` and ``accord signal list`` on a fresh SQLite database;
prints each median (wall clock, and the CPU seconds the process used, which a
busy machine does not inflate), its difference above the baseline and its ratio to
it, and a pass/fail line against 0.5 s on the wall clock.

Usage: python bench/cli_startup.py [--runs 7] [--also LABEL=PYTHONPATH ...]

``--also old=/path/to/old/checkout`` times ``accord signal list`` from another tree
(or any import path, e.g. ``/old/checkout:/tmp/typer-0.29``) in the same rounds, so a
change is compared with the code before it in the same minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_S = 0.5
CLI = [sys.executable, "-c", "from accord.cli import main; main()"]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``argv``."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--also", action="append", default=[], metavar="LABEL=PYTHONPATH",
                        help="also time signal list with this import path, in the same rounds")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    others: dict[str, dict[str, str]] = {}
    for also in args.also:
        label, _, path = also.partition("=")
        if not path:
            parser.error(f"--also wants LABEL=PYTHONPATH, not {also!r}")
        others[f"signal list ({label})"] = {**os.environ, "PYTHONPATH": path}
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        subprocess.run([*CLI, "--db", db, "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "accord --version": [*CLI, "--version"],
            "accord signal list": [*CLI, "--db", db, "signal", "list"],
        }
        envs = {name: env for name in commands}
        for name, other in others.items():
            commands[name], envs[name] = commands["accord signal list"], other
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(_timed(argv, envs[name]))
    wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
    base, base_cpu = wall["python -c pass"], cpu["python -c pass"]
    ok = True
    for name, median in wall.items():
        above = median - base
        ok = ok and (name == "python -c pass" or name in others or above < LIMIT_S)
        print(f"{name:22} median {median:6.3f} s  above baseline {above:6.3f} s  "
              f"ratio {median / base:5.1f}x  (CPU {cpu[name]:5.3f} s, "
              f"{cpu[name] - base_cpu:5.3f} s above)")
    print(f"{'PASS' if ok else 'FAIL'}: every command starts under {LIMIT_S} s above "
          f"python -c pass ({args.runs} runs each, alternating)")


if __name__ == "__main__":
    main()
