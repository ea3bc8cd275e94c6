"""Bench: server render time of every web UI page with 1M signals in the store.

Builds a throwaway SQLite node (``tests/web/server.py``'s partners, members and
entity), imports ``--rows`` PDQ signals (two labels each) into a bank shared
with a second partner, records a few matches, opinions and webhooks, then
times each page in-process through the ASGI app (Starlette's TestClient: no
network, the server's own work only). Baselines, measured in the same run on
the same app: ``GET /healthz`` and the JSON API's first page of signals
(``GET /api/v1/signals?limit=50``). Prints per page the first (cold) time and
the median of ``--repeat`` warm requests. The dashboard's and banks page's
whole-table counts are never computed on a request: a thread computes them at
most once a minute per worker and pages show the latest (or "counting..."); the
bench prints how long that takes too, and the ratio of the median to each
baseline. Target: every page's median under 200 ms.

The newer pages (peers, incidents, reports, cooperation) get ``--incidents``
synthetic GTD incidents, flows, a peer, a crisis, a request, a dialogue and a
programme; their reports are computed in a thread like the dashboard's counts, and
the bench prints how long each takes too.

Usage: python bench/ui_pages.py [--rows 1000000] [--repeat 15] [--incidents 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from accord.app import create_app  # noqa: E402
from accord.config import Settings  # noqa: E402
from accord.curation import banks, opinions  # noqa: E402
from accord.curation.importer import import_rows  # noqa: E402
from accord.curation.signals import SignalInput  # noqa: E402
from accord.curation.stats import signal_counts  # noqa: E402
from accord.incidents import flows, synthetic  # noqa: E402
from accord.incidents import service as incidents  # noqa: E402
from accord.incidents.tables import text_table  # noqa: E402
from accord.matching.service import MatchedSignal  # noqa: E402
from accord.review.service import record_matches  # noqa: E402
from accord.review.webhooks import webhook_add  # noqa: E402
from accord.sharing import service  # noqa: E402
from accord.sharing.accounts import password_authenticate  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.store.database import Database  # noqa: E402
from tests.web.server import PASSWORD, seed_node  # noqa: E402

LABELS = (("content:image", "behaviour:recruitment"), ("content:video", "entity:qde-999"))


def signals(rows: int) -> Iterator[tuple[int, SignalInput]]:
    """``rows`` random PDQ signals, half with each label pair."""
    for line in range(rows):
        value = secrets.token_hex(32)
        yield line + 2, SignalInput("pdq", value, 100, LABELS[line % 2])


def build(url: str, rows: int, settings: Settings, incident_rows: int) -> tuple[str, int]:
    """The node with ``rows`` signals; returns an API key of Agency A's admin and a signal id."""
    seed_node(url)
    db = Database(url)
    op = Actor.operator()
    banks.bank_add(db, op, "bulk", "Agency A", default_tlp="AMBER", channel="ab")
    started = time.perf_counter()
    ada = password_authenticate(db, "ada", PASSWORD)
    report = import_rows(db, ada, "bulk", signals(rows), settings, source="bench")
    print(f"imported {report.imported:,} signals in {time.perf_counter() - started:.1f} s")
    bea = password_authenticate(db, "bea", PASSWORD)
    with db.reader() as session:
        from sqlalchemy import select

        from accord.store import models as m
        ids = session.execute(select(m.Signal.id, m.Signal.value).order_by(m.Signal.id)
                              .limit(40)).all()
    for number, (sid, value) in enumerate(ids):
        hit = MatchedSignal(sid, "pdq", value, number % 8, "bulk", LABELS[sid % 2], "AMBER",
                            False)
        record_matches(db, ada if number % 2 else bea, f"upload-{number}", [hit])
        if number % 3 == 0:
            opinions.opinion_set(db, bea, sid, "disagree", "not this group", settings)
    webhook_add(db, ada, "https://hooks.example.org/accord", ["verdict.confirmed"])
    cooperation(db, ada, incident_rows)
    key = service.key_create(db, op, "ada").secret
    db.dispose()
    return key, int(ids[0][0])


FLOWS = ("origin_country,destination,direction,transit_country,period_start,period_end,count,"
         "confidence,source\n"
         + "".join(f"{o},SY,{d},,{y}-01-01,{y}-12-31,{3 + 7 * n},medium,estimate\n"
                   for n, (o, d, y) in enumerate((o, d, y) for o in ("FR", "BE", "DE", "TN")
                                                 for d in ("outbound", "return")
                                                 for y in range(2012, 2020))))


def cooperation(db: Database, ada: Actor, incident_rows: int) -> None:
    """What the newer pages show: synthetic GTD incidents (20 years), flows, a peer, a
    crisis, a request, a dialogue with an action item, a programme."""
    from accord.cooperation import liaison, programmes, requests
    from accord.exchange import peers
    from accord.incidents import crisis

    op = Actor.operator()
    table = text_table(synthetic.write_csv(synthetic.generate(synthetic.Plan(),
                                                              rows=incident_rows)))
    made = incidents.incident_import(db, op, table, incidents.Sharing("Agency A", "GREEN"))
    flows.flow_import(db, op, text_table(FLOWS), incidents.Sharing("Agency A", "GREEN"))
    print(f"added {made.imported:,} incidents")
    peers.peer_add(db, ada, "https://node-b.example.org/taxii2/", "signals", bank="a-images")
    crisis.activate(db, ada, Settings(), 1, "a-images", "ab", ["mass-casualty"])
    requests.request_send(db, ada, "Platform B", "clarify-incident-sourcing", ["incident:1"],
                          "Which outlets reported it?")
    talk = liaison.dialogue_add(db, ada, "Expert round", "expert", dt.date(2026, 1, 10),
                                ["Platform B"])
    liaison.action_add(db, ada, talk.id, "Send test vectors", "Agency A", dt.date(2026, 1, 20))
    programmes.programme_add(db, ada, "Moderation training", "Platform B", "online-content",
                             dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def timed(client: TestClient, method: str, path: str, repeat: int,
          **kwargs: object) -> tuple[float, float]:
    """First-request (figures forgotten) and median warm milliseconds for one request."""
    client.app.state.accord_web.counts.clear()  # type: ignore[attr-defined]
    client.app.state.accord_web.reports.clear()  # type: ignore[attr-defined]
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        answer = client.request(method, path, **kwargs)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code >= 400:
            raise SystemExit(f"{method} {path}: HTTP {answer.status_code}\n{answer.text[:500]}")
    return times[0], statistics.median(times[1:])


def background(url: str) -> None:
    """How long the figures that pages never wait for take (computed in a thread)."""
    db = Database(url)
    ada = password_authenticate(db, "ada", PASSWORD)
    started = time.perf_counter()
    counts = signal_counts(db, ada)
    middle = time.perf_counter()
    banks.bank_list(db, "Agency A")
    done = time.perf_counter()
    print(f"background figures (at most once a minute per worker; pages show the last ones):\n"
          f"  dashboard counts over {counts.total:,} signals: {middle - started:.1f} s\n"
          f"  bank signal counts: {done - middle:.1f} s")
    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis
    from accord.reports.charts import svg_text
    from accord.reports.flow_report import aggregate, flow_document
    from accord.reports.incident_report import analysis_document
    from accord.reports.transparency import transparency_document, transparency_report

    for name, build in (
        ("incident report 2015-2019 (analytics, 3 charts)", lambda: analysis_document(
            incident_analysis(db, ada, incidents.Scope(), an.Period(2015, 2019), (1, 14)))),
        ("flow report 2012-2019 (2 charts)", lambda: flow_document(
            aggregate(flows.flow_rows(db, ada, 2012, 2019), 5), 2012, 2019)),
        ("transparency report, whole period", lambda: transparency_document(
            transparency_report(db, dt.date(2000, 1, 1), dt.date(2100, 12, 31)))),
    ):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            doc = build()
            [svg_text(fig) for fig in doc.charts.values()]
            times.append(time.perf_counter() - started)
        print(f"  {name}: {statistics.median(times):.2f} s (median of 3)")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--incidents", type=int, default=100_000,
                        help="synthetic GTD incidents (2000-2019) for the incident pages")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the node in this folder and keep it; reuse it when there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = args.keep or Path(folder)
        home.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{home / 'accord.sqlite3'}"
        settings = Settings(home=home, database_url=url)
        if (home / "bench-key").is_file():
            key, sid = (home / "bench-key").read_text().split()[0], 1
        else:
            key, sid = build(url, args.rows, settings, args.incidents)
            (home / "bench-key").write_text(key)
        with TestClient(create_app(settings)) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            client.post("/login", data={"username": "ada", "password": PASSWORD,
                                        "csrf_token": token})
            hook = re.search(r'/admin/webhooks/(\d+)', client.get("/admin").text)
            bearer = {"Authorization": f"Bearer {key}"}
            health = timed(client, "GET", "/healthz", args.repeat)
            api = timed(client, "GET", "/api/v1/signals?limit=50", args.repeat, headers=bearer)
            pages = [
                ("GET", "/"), ("GET", "/banks"), ("GET", "/signals"),
                ("GET", "/signals?bank=bulk&signal_type=pdq&tlp=AMBER"),
                ("GET", "/signals?label=entity:qde-999"),
                ("GET", "/signals?contributor=ada&status=any"),
                # Filters that match few or no signals among the million:
                ("GET", "/signals?bank=a-images"), ("GET", "/signals?label=content:audio"),
                ("GET", "/signals?tlp=RED"), ("GET", "/signals?contributor=bea"),
                ("GET", f"/signals?after={args.rows // 2}"),
                ("GET", f"/signals/{sid}"), ("GET", "/match"), ("GET", "/review"),
                ("GET", "/disputes"), ("GET", "/admin"),
                ("GET", f"/admin/webhooks/{hook.group(1) if hook else 1}"), ("GET", "/audit"),
                # Federation, incidents and reports, cooperation:
                ("GET", "/peers"), ("GET", "/incidents"),
                ("GET", f"/incidents?country={synthetic.COUNTRY}&first_year=2015&last_year=2016"),
                ("GET", "/incidents/1"), ("GET", "/incidents/crises"),
                ("GET", "/reports/incidents?first_year=2015&last_year=2019"),
                ("GET", "/reports/flows?first_year=2012&last_year=2019"),
                ("GET", "/reports/transparency?first=2020-01-01&last=2100-12-31"),
                ("GET", "/cooperation"), ("GET", "/cooperation/liaison"),
                ("GET", "/cooperation/liaison/1"), ("GET", "/cooperation/programmes"),
                ("GET", "/entities/qde-999/designations"),
            ]
            print(f"\n{args.rows:,} signals; medians of {args.repeat} warm requests (ms)")
            print(f"{'page':<52}{'first':>9}{'median':>9}{'/healthz':>10}{'/api list':>11}")
            for name, (first, median) in (("baseline GET /healthz", health),
                                          ("baseline GET /api/v1/signals?limit=50", api)):
                print(f"{name:<52}{first:>9.1f}{median:>9.1f}")
            worst = 0.0
            for method, path in pages:
                first, median = timed(client, method, path, args.repeat)
                worst = max(worst, median)
                print(f"{method + ' ' + path:<52}{first:>9.1f}{median:>9.1f}"
                      f"{median / health[1]:>10.1f}{median / api[1]:>11.2f}")
            first, median = timed(client, "POST", "/match", args.repeat,
                                  data={"query": "pdq:" + "0" * 64, "csrf_token": token})
            print(f"{'POST /match (one PDQ hash)':<52}{first:>9.1f}{median:>9.1f}"
                  f"{median / health[1]:>10.1f}{median / api[1]:>11.2f}")
            print(f"\nslowest page median: {worst:.1f} ms "
                  f"({'under' if worst < 200 else 'OVER'} the 200 ms target)")
        background(url)


if __name__ == "__main__":
    main()
