"""Bench: a fetch of N records from a local ThreatExchange-format server (issue 16's figure).

A ThreatExchange ``threat_updates`` server on loopback generates its pages on the
fly: N records of valid random PDQ hashes (ten a second of ``last_updated``),
``--page-size`` a page (default 1,000; pytx asks for 100 and a server may send
more), ``paging.next`` an absolute URL, as the Graph API pages. Then, in the same
run, against the same server:

* Accord: ``accord sync`` (the CLI, a process of its own) of a
  ``fb_threatexchange`` peer into a bank of a fresh SQLite node, then a match
  engine loaded before the sync catching up with the change feed, as a running
  node's does: end to end, records in the index;
* baseline: python-threatexchange's own ``threatexchange fetch`` (its CLI, from
  its own virtualenv, into its file state store in a separate HOME and
  ``TX_STATEDIR``, with its index rebuild). pytx's client has no endpoint
  setting, so a ``sitecustomize`` on its path points ``ThreatExchangeAPI``'s
  base-URL class attribute at the server; the CLI's code is pytx's.

Prints records/s of each (median of ``--runs``) and the ratio.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson

from accord.config import Settings
from accord.curation import banks
from accord.exchange import peers
from accord.matching.engine import MatchEngine
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.store.schema import upgrade

TOKEN = "1234567890|" + "b3nch" * 5
PRIVACY_GROUP = 1234
T0 = 1_700_000_000
PER_SECOND = 10
SITECUSTOMIZE = '''"""Points pytx's ThreatExchange client at the bench's server."""
import os

if os.environ.get("ACCORD_BENCH_TE_URL"):
    from threatexchange.exchanges.clients.fb_threatexchange import api

    api.ThreatExchangeAPI._TE_BASE_URL = os.environ["ACCORD_BENCH_TE_URL"]
'''


def pdq(i: int) -> str:
    """Record ``i``'s PDQ hash: 64 random-looking hex digits, never degenerate."""
    return hashlib.sha256(b"bench-%d" % i).hexdigest()


@dataclass
class GeneratedThreatExchange:
    """``GET /v/{group}/threat_updates/?start_time=&after=``: ``total`` records, each page
    made when asked."""

    total: int
    page_size: int = 1000
    url: str = ""

    def page(self, query: dict[str, str]) -> bytes:
        start = int(query.get("start_time") or 0)
        first = max(0, (start - T0) * PER_SECOND)  # the first record at or after start_time
        after = int(query.get("after") or 0)
        low = min(self.total, first + after)
        high = min(self.total, low + self.page_size)
        data = [{"id": str(i), "indicator": pdq(i), "type": "HASH_PDQ",
                 "last_updated": T0 + i // PER_SECOND, "should_delete": False,
                 "descriptors": {"data": [{"id": str(10**9 + i), "owner": {"id": "555000111"},
                                           "status": "MALICIOUS", "tags": ["terrorism"],
                                           "reactions": []}]}}
                for i in range(low, high)]
        body: dict[str, object] = {"data": data}
        if high < self.total:
            following = {"access_token": TOKEN, "start_time": start,
                         "after": after + self.page_size}
            body["paging"] = {"cursors": {"after": str(after + self.page_size)},
                              "next": f"{self.url}/v/{PRIVACY_GROUP}/threat_updates/?"
                                      + urlencode(following)}
        return orjson.dumps(body)


@contextmanager
def serving(backend: GeneratedThreatExchange) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if not parts.path.rstrip("/").endswith(f"/{PRIVACY_GROUP}/threat_updates"):
                status, data = 404, b'{"error": {"message": "Unknown path"}}'
            elif query.get("access_token") != TOKEN:
                status, data = 401, b'{"error": {"message": "Invalid OAuth access token"}}'
            else:
                status, data = 200, backend.page(query)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    backend.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        yield backend.url
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Timing:
    seconds: float
    stored: int
    detail: str


def accord_run(work: Path, url: str, total: int) -> Timing:
    """``accord sync`` into a fresh SQLite node, then a running engine's catch-up."""
    env = {**os.environ, "ACCORD_HOME": str(work / "home"), "BENCH_TX_TOKEN": TOKEN,
           "ACCORD_OUTBOUND_ALLOW": '["127.0.0.0/8"]'}
    os.environ.update({k: env[k] for k in ("ACCORD_OUTBOUND_ALLOW",)})
    db = Database(f"sqlite:///{work / 'node.sqlite3'}")
    upgrade(db)
    settings = Settings(home=work / "home", database_url=db.url)
    op = Actor.operator("bench")
    service.partner_add(db, op, "Platform", "platform", "IE")
    banks.bank_add(db, op, "gifct", "Platform", default_tlp="AMBER")
    peers.exchange_peer_add(db, op, "gifct", peers.ExchangePeerSettings(
        exchange="fb_threatexchange", collab=json.dumps({"privacy_group": PRIVACY_GROUP}),
        credentials_env="BENCH_TX_TOKEN", endpoint=url + "/v", flood_cap=100 * total),
        bank="gifct", settings=settings)
    engine = MatchEngine.load(db, settings)  # the running node's index, before the sync
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "accord", "--db", db.url, "sync", "gifct"],
                          env=env, capture_output=True, text=True, check=False)
    synced = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"accord sync failed: {done.stderr[-2000:]}")
    engine.refresh()
    elapsed = time.perf_counter() - began
    stored = engine.size().get("pdq", 0)
    db.dispose()
    return Timing(elapsed, stored, f"sync {synced:.1f} s + index catch-up "
                                   f"{elapsed - synced:.1f} s")


def pytx_run(work: Path, url: str, python: Path, script: Path) -> Timing:
    """pytx's ``threatexchange fetch`` into its own state folder (index rebuilt)."""
    home, stubs = work / "home", work / "stubs"
    home.mkdir()
    stubs.mkdir()
    (stubs / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update({"HOME": str(home), "TX_STATEDIR": str(work / "state"),
                "PYTHONPATH": str(stubs), "TX_ACCESS_TOKEN": TOKEN,
                "ACCORD_BENCH_TE_URL": url + "/v",
                "PATH": f"{python.parent}{os.pathsep}{env.get('PATH', '')}"})

    def tx(*args: str) -> str:
        done = subprocess.run([str(script), *args], env=env, cwd=home, capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"threatexchange {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    tx("config", "collab", "edit", "fb_threatexchange", "--create", "--privacy-group",
       str(PRIVACY_GROUP), "gifct")
    began = time.perf_counter()
    tx("fetch")
    elapsed = time.perf_counter() - began
    counted = subprocess.run(
        [str(python), "-c", "import sys\nn = sum(1 for line in sys.stdin if line.strip())\n"
                            "print(n)"],
        input=tx("dataset", "-P", "-S"), env=env, capture_output=True, text=True, check=True)
    return Timing(elapsed, int(counted.stdout.strip()), "fetch, with its index rebuild")


def pytx_venv() -> tuple[Path, Path]:
    """pytx's virtualenv (the interop tests' one, built from tests/tools/threatexchange.txt)."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from tests.tools.venvs import tool_venv
    venv = tool_venv("threatexchange")
    return venv.python, venv.script("threatexchange")


def fetch_bench(total: int, runs: int, page_size: int) -> None:
    """Both fetches ``runs`` times against one server; prints the figures."""
    python, script = pytx_venv()
    backend = GeneratedThreatExchange(total, page_size)
    ours: list[Timing] = []
    theirs: list[Timing] = []
    with serving(backend) as url:
        for run in range(runs):
            with tempfile.TemporaryDirectory(prefix="accord-fetch-") as tmp:
                ours.append(accord_run(Path(tmp), url, total))
            with tempfile.TemporaryDirectory(prefix="pytx-fetch-") as tmp:
                theirs.append(pytx_run(Path(tmp), url, python, script))
            print(f"run {run + 1}: accord {total / ours[-1].seconds:,.0f} records/s "
                  f"({ours[-1].detail}; {ours[-1].stored:,} indexed), pytx "
                  f"{total / theirs[-1].seconds:,.0f} records/s ({theirs[-1].seconds:.1f} s; "
                  f"{theirs[-1].stored:,} stored)", flush=True)
    for label, timings in (("accord", ours), ("pytx", theirs)):
        if any(t.stored != total for t in timings):
            raise SystemExit(f"{label} stored {[t.stored for t in timings]}, not {total:,}")
    accord_rate = statistics.median(total / t.seconds for t in ours)
    pytx_rate = statistics.median(total / t.seconds for t in theirs)
    print(f"fetch of {total:,} PDQ records, {page_size:,} a page, from a local ThreatExchange "
          f"server, median of {runs} run(s), {os.cpu_count()} cores")
    print(f"accord sync + index catch-up (SQLite): {accord_rate:9,.0f} records/s")
    print(f"threatexchange fetch (file store)    : {pytx_rate:9,.0f} records/s")
    print(f"ratio accord/pytx                    : {accord_rate / pytx_rate:.2f}")
