"""Bench: a node-to-node TAXII pull of N signals (issue 6's figure: at least 5,000 objects/s).

Node A (SQLite, served by ``accord serve`` in its own process) holds N random
PDQ signals with two labels each, TLP:AMBER in channel ``ab`` shared with
partner B. Node B (SQLite) has A as a peer. Timed, in the same run, against
the same served node:

* ``baseline``: a plain HTTP client paging the same collection with the same
  page size and ``next`` values, and parsing each page's JSON: what moving
  the objects costs with nothing stored;
* ``accord sync``: ``sync_peer`` (taxii2-client, every page checked and
  applied through the bulk importer with audit events, the cursor saved after
  each page).

Prints objects/s for both and the ratio sync/baseline (the share of the raw
transfer speed that storing leaves). Usage:
python bench/sync.py [--signals 100000] [--page 5000]
"""

from __future__ import annotations

import argparse
import io
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.config import Settings  # noqa: E402
from accord.curation import importer  # noqa: E402
from accord.exchange import peers, sync  # noqa: E402
from accord.store.database import Database  # noqa: E402
from accord.store.schema import upgrade  # noqa: E402
from tests.federation.conftest import _setup_a, _setup_b  # noqa: E402
from tests.federation.nodes import OP, serving, sqlite_node  # noqa: E402

MEDIA = "application/taxii+json;version=2.1"


def _fill(node_db: Database, settings: Settings, count: int) -> None:
    blob = secrets.token_hex(32 * count)
    rows = "signal_type,signal_value,quality,labels\n" + "".join(
        f"pdq,{blob[i * 64:(i + 1) * 64]},100,content:image;behaviour:recruitment\n"
        for i in range(count))
    importer.import_signals(node_db, OP, "a-images", io.BytesIO(rows.encode()), settings,
                            fmt="csv")


def _baseline(url: str, user: str, key: str, collection: str, page: int) -> int:
    got, cursor = 0, None
    with requests.Session() as http:
        http.auth = (user, key)
        while True:
            params = {"limit": str(page), **({"next": cursor} if cursor else {})}
            body = http.get(f"{url}/taxii2/api/collections/{collection}/objects/",
                            params=params, headers={"Accept": MEDIA}, timeout=60).json()
            got += len(body.get("objects", []))
            if not body.get("more"):
                return got
            cursor = body["next"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="accord-bench-sync-"))
    try:
        template = folder / "template.sqlite3"
        db = Database(f"sqlite:///{template}")
        upgrade(db)
        db.dispose()
        a = sqlite_node("node-a", template, folder / "a")
        b = sqlite_node("node-b", template, folder / "b")
        b.settings = Settings(home=b.settings.home, database_url=b.settings.database_url,
                              node_id="node-b", sync_page_size=args.page,
                              outbound_allow=("127.0.0.1/32",))  # node A is on loopback
        key = _setup_a(a)
        _setup_b(b)
        started = time.perf_counter()
        _fill(a.db, a.settings, args.signals)
        print(f"node A: {args.signals:,} signals imported in "
              f"{time.perf_counter() - started:.1f} s")
        with serving(a):
            listing = requests.get(a.taxii + "api/collections/", auth=("sync-b", key),
                                   headers={"Accept": MEDIA}, timeout=60).json()
            collection = next(c["id"] for c in listing["collections"]
                              if c["title"] == "Channel ab")
            _baseline(a.url, "sync-b", key, collection, args.page)  # warm the server's cache
            started = time.perf_counter()
            moved = _baseline(a.url, "sync-b", key, collection, args.page)
            base_s = time.perf_counter() - started
            peers.peer_add(b.db, OP, a.taxii, collection, bank="from-a", name="node-a",
                           username="sync-b", api_key=key, settings=b.settings)
            started = time.perf_counter()
            report = sync.sync_peer(b.db, b.settings, "node-a")
            sync_s = time.perf_counter() - started
        if report.error or report.added != args.signals or moved != args.signals:
            raise SystemExit(f"bench run failed: {report}")
        base_rate, sync_rate = moved / base_s, report.added / sync_s
        print(f"baseline (HTTP GET + JSON parse of the pages): {moved:,} objects in "
              f"{base_s:.2f} s = {base_rate:,.0f} objects/s")
        print(f"accord sync (pull, check, store, cursor):      {report.added:,} objects in "
              f"{sync_s:.2f} s = {sync_rate:,.0f} objects/s")
        print(f"ratio sync/baseline: {sync_rate / base_rate:.2f}; target >= 5,000 objects/s: "
              f"{'met' if sync_rate >= 5000 else 'NOT met'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
