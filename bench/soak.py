"""Bench: a bounded soak of one node — mixed traffic against ``accord serve --workers 2``.

Builds a node (SQLite by default, or ``--db`` PostgreSQL) with ``--signals`` PDQ
signals, starts ``accord serve --workers 2`` on loopback and drives it for
``--minutes`` with ``--threads`` client threads, each request drawn at random:

* 60 % single PDQ match (a tenth planted in the bank), 10 % match with a
  ``content_ref`` (recorded for review), 10 % a reviewer claiming and deciding the
  oldest pending match, 10 % a curator adding a signal, 10 % a TAXII page of the
  shared channel's collection (a peer's sync).

Every ``--sample`` seconds it reads each worker's resident memory (RSS, from
/proc). It prints, per window, requests, errors (any 5xx, transport error or
unexpected 4xx), p50 and p99 latency, and each worker's RSS; then the totals and
the ratios against the baseline measured in the same run: the last window's p99
over the first window's, and each worker's final RSS over its RSS after the
first window (warm-up). A healthy soak shows 0 errors, p99 ratio near 1 and RSS
ratio near 1.

Usage: python bench/soak.py [--minutes 30] [--signals 10000] [--threads 4] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.config import Settings  # noqa: E402
from accord.curation import banks, importer  # noqa: E402
from accord.exchange.taxii import MEDIA_TYPE_TAXII  # noqa: E402
from accord.sharing import service  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.store.database import Database  # noqa: E402
from accord.store.schema import upgrade  # noqa: E402

OP = Actor.operator()


@dataclass
class Window:
    """What one sampling window saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_mb: dict[int, float] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str, home: Path, signals: int) -> tuple[dict[str, str], list[str]]:
    db = Database(url)
    upgrade(db)
    for name, kind, country in (("Agency A", "agency", "FR"), ("Platform B", "platform", "IE")):
        service.partner_add(db, OP, name, kind, country)
    service.channel_add(db, OP, "ab", "Agency A")
    service.channel_join(db, OP, "ab", "Platform B")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER", channel="ab")
    planted = [secrets.token_hex(32) for _ in range(signals)]
    csv = "signal_type,signal_value\n" + "".join(f"pdq,{v}\n" for v in planted)
    settings = Settings(home=home, database_url=url)
    import io
    importer.import_signals(db, OP, "a-images", io.BytesIO(csv.encode()), settings, fmt="csv")
    keys = {}
    for partner, user, role in (("Agency A", "cyd", "curator"), ("Platform B", "ben", "reader"),
                                ("Platform B", "bri", "reviewer"), ("Platform B", "bsync", "sync")):
        service.member_add(db, OP, partner, user, role)
        keys[user] = service.key_create(db, OP, user).secret
    db.dispose()
    return keys, planted[: max(1, signals // 10)]


def _call(base: str, key: str, method: str, path: str, body: object | None = None,
          accept: str = "application/json") -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json",
        "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return pids or [server.pid]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--signals", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sample", type=float, default=60.0, help="window length, seconds")
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="accord-soak-"))
    url = args.db or f"sqlite:///{folder / 'accord.sqlite3'}"
    keys, planted = _seed(url, folder / "home", args.signals)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "accord", "--db", url, "serve", "--port", str(port),
         "--workers", "2"], env={**os.environ, "ACCORD_HOME": str(folder / "home")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if _call(base, keys["ben"], "GET", "/readyz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    collection = next(c["id"] for c in json.loads(_call(
        base, keys["bsync"], "GET", "/taxii2/api/collections/", accept=MEDIA_TYPE_TAXII)[1]
    )["collections"] if c["title"].startswith("Channel"))

    windows: list[Window] = [Window()]
    lock = threading.Lock()
    stop = threading.Event()

    def one(rng: random.Random, n: int) -> tuple[str, int, bytes]:
        roll = rng.random()
        value = rng.choice(planted) if rng.random() < 0.1 else secrets.token_hex(32)
        if roll < 0.6:
            return ("match", *_call(base, keys["ben"], "POST", "/api/v1/match",
                                    {"signal_type": "pdq", "value": value}))
        if roll < 0.7:
            return ("record", *_call(base, keys["ben"], "POST", "/api/v1/match",
                                     {"signal_type": "pdq", "value": rng.choice(planted),
                                      "content_ref": f"soak-{n}"}))
        if roll < 0.8:
            status, body = _call(base, keys["bri"], "GET", "/api/v1/review/queue?limit=1")
            queue = json.loads(body) if status == 200 else []
            if not queue:
                return "review", status, body
            match = queue[0]["id"]
            status, body = _call(base, keys["bri"], "POST", f"/api/v1/matches/{match}/claim")
            if status != 200:  # another thread took it first: fine
                return "review", 200 if status == 409 else status, body
            return ("review", *_call(base, keys["bri"], "POST",
                                     f"/api/v1/matches/{match}/verdict",
                                     {"decision": "confirm", "rationale": "soak"}))
        if roll < 0.9:
            status, body = _call(base, keys["cyd"], "POST", "/api/v1/banks/a-images/signals",
                                 {"signal_type": "pdq", "value": secrets.token_hex(32)})
            return "import", 201 if status == 409 else status, body
        return ("taxii", *_call(base, keys["bsync"], "GET",
                                f"/taxii2/api/collections/{collection}/objects/?limit=100",
                                accept=MEDIA_TYPE_TAXII))

    def client(seed: int) -> None:
        rng, n = random.Random(seed), 0
        while not stop.is_set():
            n += 1
            started = time.perf_counter()
            try:
                kind, status, body = one(rng, seed * 10_000_000 + n)
                error = (None if status < 400 or (kind == "review" and status == 409)
                         else f"{kind} {status} {body[:120]!r}")
            except OSError as exc:
                error = f"transport {type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                windows[-1].latencies.append(elapsed)
                if error:
                    windows[-1].errors.append(error)

    threads = [threading.Thread(target=client, args=(i + 1,), daemon=True)
               for i in range(args.threads)]
    for thread in threads:
        thread.start()
    end = time.monotonic() + args.minutes * 60
    print(f"soak: {args.minutes:g} min, {args.threads} client threads, 2 workers, "
          f"{args.signals:,} PDQ signals, {url.split(':')[0]}")
    print("window  requests  errors  p50_ms  p99_ms  rss_mb_per_worker")
    while time.monotonic() < end:
        time.sleep(min(args.sample, max(0.0, end - time.monotonic())))
        with lock:
            done = windows[-1]
            done.rss_mb = {pid: _rss_mb(pid) for pid in _worker_pids(server)}
            windows.append(Window())
        lat = sorted(done.latencies) or [0.0]
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        print(f"{len(windows) - 1:>6}  {len(done.latencies):>8}  {len(done.errors):>6}  "
              f"{statistics.median(lat) * 1000:>6.1f}  {p99 * 1000:>6.1f}  "
              + " ".join(f"{mb:.0f}" for mb in done.rss_mb.values()), flush=True)
        for error in done.errors[:3]:
            print(f"        error: {error}")
    stop.set()
    for thread in threads:
        thread.join(60)
    server.terminate()
    server.wait(30)
    full = [w for w in windows if w.rss_mb]
    total = sum(len(w.latencies) for w in full)
    errors = sum(len(w.errors) for w in full)

    def p99(w: Window) -> float:
        lat = sorted(w.latencies) or [0.0]
        return lat[min(len(lat) - 1, int(0.99 * len(lat)))]

    print(f"total: {total:,} requests, {errors} errors")
    if len(full) >= 2:
        first, last = full[0], full[-1]
        print(f"p99: first window {p99(first) * 1000:.1f} ms, last {p99(last) * 1000:.1f} ms, "
              f"ratio {p99(last) / max(p99(first), 1e-9):.2f}")
        for pid in last.rss_mb:
            warm, final = first.rss_mb.get(pid, 0.0), last.rss_mb[pid]
            print(f"worker {pid}: RSS {warm:.0f} MB after warm-up, {final:.0f} MB at the end, "
                  f"growth {final - warm:+.0f} MB, ratio {final / max(warm, 1e-9):.2f}")


if __name__ == "__main__":
    main()
