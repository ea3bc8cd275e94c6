"""Bench: single-hash match requests over HTTP, and batched lookups (issue 5's figures).

Builds a SQLite node with ``--bank`` random PDQ signals (the real bulk import),
starts ``accord serve --workers N`` on loopback, and drives it with ``wrk``
(Debian's package; a C client, so the client costs little of the 2 cores):

* single match: ``POST /api/v1/match`` with one PDQ hash per request, a mix of
  hashes that match (planted) and random ones; requests/s and p50/p99;
* baseline in the same run: ``GET /healthz`` on the same server: the cost of
  HTTP plus the framework alone, so the ratio shows what matching adds;
* batches: ``POST /api/v1/match/batch`` with ``--batch`` hashes per request
  (Python client, sequential; a tenth are in the bank): median hashes/s of 9
  requests after two warm-up ones.

HMA served about 140 single lookups/s (p50 6 ms) against a 100k bank here;
the target is at least 20x that, and 50,000 hashes/s batched.

Usage: python bench/api.py [--bank 1000000] [--workers 2] [--seconds 10] [--batch 10000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.config import Settings  # noqa: E402
from accord.curation import banks, importer  # noqa: E402
from accord.sharing import service  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.store.database import Database  # noqa: E402
from accord.store.schema import upgrade  # noqa: E402

WRK_SCRIPT = """
local bodies = {}
local i = 0
init = function(args)
  for line in io.lines("%s") do bodies[#bodies + 1] = line end
end
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/api/v1/match", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %s"}, bodies[i])
end
"""


def build(work: Path, size: int) -> tuple[str, str, list[str]]:
    db = Database(f"sqlite:///{work / 'node.sqlite3'}")
    upgrade(db)
    settings = Settings(home=work / "home", database_url=db.url)
    op = Actor.operator("bench")
    service.partner_add(db, op, "Agency", "agency", "FR")
    service.partner_add(db, op, "Platform", "platform", "IE")
    banks.bank_add(db, op, "bench", "Agency", default_tlp="GREEN")
    service.member_add(db, op, "Platform", "platform", "reviewer")
    key = service.key_create(db, op, "platform").secret
    values = [secrets.token_hex(32) for _ in range(size)]
    rows = "signal_type,signal_value\n" + "\n".join(f"pdq,{v}" for v in values)
    importer.import_signals(db, op, "bench", io.BytesIO(rows.encode()), settings, fmt="csv")
    db.dispose()
    return db.url, key, values


def wait_ready(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not become ready")


def wrk(url: str, seconds: int, script: Path | None,
        connections: int) -> tuple[float, float, float]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} failed responses:\n{out}")

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)  # type: ignore[union-attr]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return rps, pct("50"), pct("99")


def batches(url: str, key: str, values: list[str], size: int, rounds: int) -> float:
    rates = []
    for r in range(-2, rounds):  # two warm-up requests (one per worker, typically)
        chosen = [values[(r * size + i) % len(values)] if i % 10 == 0 else secrets.token_hex(32)
                  for i in range(size)]
        body = json.dumps({"queries": [{"signal_type": "pdq", "value": v} for v in chosen]})
        request = urllib.request.Request(url + "/api/v1/match/batch", data=body.encode(),
                                         headers={"Authorization": f"Bearer {key}",
                                                  "Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            results = json.load(response)["results"]
        if r >= 0:
            rates.append(size / (time.perf_counter() - started))
        assert sum(1 for x in results if x["matches"]) >= size // 10
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="accord-api-") as tmp:
        work = Path(tmp)
        db_url, key, values = build(work, args.bank)
        bodies = work / "bodies.txt"
        with bodies.open("w") as f:
            for i in range(5000):
                value = values[i] if i % 2 == 0 else secrets.token_hex(32)
                f.write(json.dumps({"signal_type": "pdq", "value": value}) + "\n")
        script = work / "match.lua"
        script.write_text(WRK_SCRIPT % (bodies, key))
        port = 18000 + os.getpid() % 1000
        # The per-key rate limit (2,000 requests/s per worker by default) would
        # answer 429 to a single client this fast: lift it, this measures throughput.
        env = {**os.environ, "ACCORD_HOME": str(work / "home"),
               "ACCORD_API_RATE_LIMIT": "1000000"}
        server = subprocess.Popen(
            [sys.executable, "-m", "accord", "--db", db_url, "serve", "--port", str(port),
             "--workers", str(args.workers)], env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url)
            wrk(url + "/healthz", 2, None, args.connections)  # warm-up
            base = wrk(url + "/healthz", args.seconds, None, args.connections)
            match = wrk(url, args.seconds, script, args.connections)
            batch = batches(url, key, values, args.batch, 9)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"bank {args.bank:,} PDQ signals, {args.workers} workers, {os.cpu_count()} cores, "
              f"wrk 1 thread x {args.connections} connections, {args.seconds} s")
        print(f"baseline GET /healthz : {base[0]:9,.0f} req/s  p50 {base[1]:6.2f} ms  "
              f"p99 {base[2]:6.2f} ms")
        print(f"POST /api/v1/match    : {match[0]:9,.0f} req/s  p50 {match[1]:6.2f} ms  "
              f"p99 {match[2]:6.2f} ms")
        print(f"ratio match/healthz   : {match[0] / base[0]:.2f}   vs HMA's 140 req/s: "
              f"{match[0] / 140:.1f}x (target 20x)")
        print(f"batched, {args.batch:,} per request: {batch:,.0f} hashes/s (target 50,000); "
              f"{batch / match[0]:.1f}x the single-match rate above")


if __name__ == "__main__":
    main()
