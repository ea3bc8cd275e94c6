"""Bench: the HMA-compatible lookup against Accord's own match route, and (``--fetch N``) a
fetch of N records from a local ThreatExchange server against pytx's own (issue 16's figures).

Builds a SQLite node with ``--bank`` random PDQ signals in one GREEN bank (the
real bulk import), starts ``accord serve --workers N`` on loopback, and drives
it with ``wrk`` (when installed; a C client, so the client costs little of the
cores) or, without it, a Python keep-alive client per connection:

* ``GET /hma/m/lookup?signal_type=pdq&signal=<hash>``: HMA's lookup, answered
  by the same ``match_values`` as Accord's route;
* baseline in the same run, same node, same bank, same hashes:
  ``POST /api/v1/match`` with ``{"signal_type": "pdq", "value": <hash>}``.

Half the hashes match a planted signal, half are random. Prints requests/s,
p50 and p99 of each and the ratio HMA-route / Accord-route.

With ``--fetch N`` (default N 1,000,000; ``--fetch 20000`` for a quick run) it
runs ``bench/exchange_fetch.py`` instead: ``accord sync`` of a ThreatExchange peer
into a bank, end to end into the match index, against python-threatexchange's
``threatexchange fetch`` into its file store, same server, same run.

Usage: python bench/exchanges.py [--bank 100000] [--workers 2] [--seconds 10]
       python bench/exchanges.py --fetch [N] [--runs 1] [--page-size 1000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import build, wait_ready, wrk  # noqa: E402

HMA_SCRIPT = """
local paths = {}
local i = 0
init = function(args)
  for line in io.lines("%s") do paths[#paths + 1] = line end
end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Authorization"] = "Bearer %s"})
end
"""

MATCH_SCRIPT = """
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


def queries(values: list[str], count: int = 5000) -> list[str]:
    """Half planted hashes, half random ones."""
    return [values[i % len(values)] if i % 2 == 0 else secrets.token_hex(32)
            for i in range(count)]


def python_client(port: int, key: str, requests: list[tuple[str, str, bytes | None]],
                  seconds: int, connections: int) -> tuple[float, float, float]:
    """wrk's figures from threads with one keep-alive connection each (no wrk here)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        i = offset
        while time.monotonic() < stop:
            method, path, body = requests[i % len(requests)]
            headers = {"Authorization": f"Bearer {key}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{method} {path} answered {response.status}")
            mine.append(time.perf_counter() - started)
            i += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(n * 97,)) for n in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies)
    return (len(ordered) / (time.monotonic() - began),
            statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99)] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--fetch", type=int, nargs="?", const=1_000_000, default=None,
                        metavar="N", help="the fetch bench of N records (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=1, help="fetch bench runs (median)")
    parser.add_argument("--page-size", type=int, default=1000, help="fetch bench page size")
    args = parser.parse_args()
    if args.fetch is not None:
        from bench.exchange_fetch import fetch_bench
        fetch_bench(args.fetch, args.runs, args.page_size)
        return
    use_wrk = shutil.which("wrk") is not None
    with tempfile.TemporaryDirectory(prefix="accord-exchanges-") as tmp:
        work = Path(tmp)
        db_url, key, values = build(work, args.bank)
        chosen = queries(values)
        hma_paths = [f"/hma/m/lookup?signal_type=pdq&signal={v}" for v in chosen]
        bodies = [json.dumps({"signal_type": "pdq", "value": v}) for v in chosen]
        (work / "paths.txt").write_text("\n".join(hma_paths) + "\n")
        (work / "bodies.txt").write_text("\n".join(bodies) + "\n")
        (work / "hma.lua").write_text(HMA_SCRIPT % (work / "paths.txt", key))
        (work / "match.lua").write_text(MATCH_SCRIPT % (work / "bodies.txt", key))
        port = 19000 + os.getpid() % 1000
        env = {**os.environ, "ACCORD_HOME": str(work / "home"),
               "ACCORD_API_RATE_LIMIT": "1000000"}  # measure throughput, not the limiter
        server = subprocess.Popen(
            [sys.executable, "-m", "accord", "--db", db_url, "serve", "--port", str(port),
             "--workers", str(args.workers)], env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"

        def measure(which: str, seconds: int) -> tuple[float, float, float]:
            if use_wrk:
                return wrk(url, seconds, work / f"{which}.lua", args.connections)
            requests: list[tuple[str, str, bytes | None]] = (
                [("GET", p, None) for p in hma_paths] if which == "hma"
                else [("POST", "/api/v1/match", b.encode()) for b in bodies])
            return python_client(port, key, requests, seconds, min(args.connections, 8))

        try:
            wait_ready(url)
            measure("hma", 2)  # warm-up, both routes
            measure("match", 2)
            hma = measure("hma", args.seconds)
            accord = measure("match", args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
        client = (f"wrk 1 thread x {args.connections} connections" if use_wrk
                  else f"Python client x {min(args.connections, 8)} connections (no wrk)")
        print(f"bank {args.bank:,} PDQ signals, {args.workers} workers, {os.cpu_count()} cores, "
              f"{client}, {args.seconds} s; half the queries match")
        print(f"GET  /hma/m/lookup   : {hma[0]:9,.0f} req/s  p50 {hma[1]:6.2f} ms  "
              f"p99 {hma[2]:6.2f} ms")
        print(f"POST /api/v1/match   : {accord[0]:9,.0f} req/s  p50 {accord[1]:6.2f} ms  "
              f"p99 {accord[2]:6.2f} ms")
        print(f"ratio hma/api        : {hma[0] / accord[0]:.2f}   vs HMA's own 140 req/s: "
              f"{hma[0] / 140:.1f}x")


if __name__ == "__main__":
    main()
