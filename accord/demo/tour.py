"""``accord demo``: a self-contained tour of a node on generated data.

Builds a node with an agency, a second agency and a platform, a bilateral AMBER
channel, banks and generated signals; then shows what each partner may see,
a dispute that quarantines a signal, a retraction, and the audit log verified.
Every value is generated here: no real content, hash or person is involved.

Demo module (an edge under the CLI): no fastapi, typer, jinja2, accord.api, accord.web or
accord.cli imports.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from accord import audit
from accord.config import Settings
from accord.curation import banks, importer, opinions, signals
from accord.entities import service as entities
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store import records as r
from accord.store.database import Database

Say = Callable[[str], None]


@dataclass
class DemoReport:
    """What the tour did and saw, for the closing summary."""

    signals_imported: int = 0
    visible: dict[str, int] = field(default_factory=dict)
    quarantined: int | None = None
    retracted: int | None = None
    audit_events: int = 0
    audit_ok: bool = False


def _pdq_rows(rng: random.Random, count: int) -> str:
    lines = ["signal_type,signal_value,quality,labels,entity"]
    labels = ("content:magazine;behaviour:recruitment", "content:video;behaviour:attack-footage",
              "content:image;behaviour:glorification-of-attack")
    for i in range(count):
        lines.append(f"pdq,{rng.getrandbits(256):064x},{rng.randint(60, 100)},"
                     f"{labels[i % 3]},{'demo-front' if i % 2 else ''}")
    return "\n".join(lines) + "\n"


def _member(db: Database, partner: str, username: str, role: Role) -> Actor:
    m = sharing.member_add(db, Actor.operator("demo"), partner, username, role.value)
    return Actor(m.username, m.partner_id, role, m.id)


def run_demo(db: Database, settings: Settings, say: Say, *, signals_count: int = 2000,
             seed: int = 2026) -> DemoReport:
    """Run the tour on an empty, initialised database; ``say`` narrates each step."""
    rng, op, report = random.Random(seed), Actor.operator("demo"), DemoReport()
    say("1. Partners: two agencies and a platform; members with roles.")
    for name, kind, country in (("Agency Alpha", "agency", "FR"), ("Agency Beta", "agency", "KE"),
                                ("Platform Gamma", "platform", "IE")):
        sharing.partner_add(db, op, name, kind, country)
    alice = _member(db, "Agency Alpha", "alice", Role.CURATOR)
    bob = _member(db, "Agency Beta", "bob", Role.REVIEWER)
    gina = _member(db, "Platform Gamma", "gina", Role.REVIEWER)

    say("2. A bilateral channel: Alpha and Beta share AMBER signals in it.")
    sharing.channel_add(db, op, "alpha-beta", "Agency Alpha", "bilateral AMBER exchange")
    sharing.channel_join(db, op, "alpha-beta", "Agency Beta")

    say("3. An organisation and its designations (generated, not a real group).")
    entities.entity_add(db, op, entities.EntityInput(
        "demo-front", "Demo Front", (r.AliasRecord("演示阵线", "Hani"),
                                     r.AliasRecord("جبهة العرض", "Arab")),
        (entities.parse_designation("UN-SC:QDe.999:2015-03-01"),
         entities.parse_designation("EU:EU-DEMO-1:2016-07-12:2022-01-31"))))

    say(f"4. Alpha's curator imports {signals_count:,} generated PDQ signals (AMBER, channel).")
    banks.bank_add(db, op, "alpha-propaganda", "Agency Alpha", default_tlp="AMBER",
                   channel="alpha-beta", description="generated demo hashes")
    result = importer.import_signals(db, alice, "alpha-propaganda",
                                     io.BytesIO(_pdq_rows(rng, signals_count).encode()),
                                     settings, fmt="csv")
    report.signals_imported = result.imported
    red = signals.signal_add(db, alice, "alpha-propaganda", signals.SignalInput(
        "md5", f"{rng.getrandbits(128):032x}", tlp="RED", labels=("content:manual",)), settings)
    green = signals.signal_add(db, alice, "alpha-propaganda", signals.SignalInput(
        "url", "https://example.org/demo/magazine-issue-1?utm_source=feed", tlp="GREEN",
        labels=("content:magazine",)), settings)

    say("5. Who sees what (the one visibility rule):")
    for actor in (alice, bob, gina):
        seen = len(signals.signal_list(db, actor, limit=1_000_000))
        report.visible[actor.name] = seen
        say(f"   {actor.name:6s} sees {seen:,} signals")
    say(f"   the RED signal {red.id} stays with Alpha; the GREEN URL {green.id} reaches everyone.")

    say("6. Beta and Gamma dispute the GREEN URL: two partners, so it is quarantined.")
    opinions.opinion_set(db, bob, green.id, "disagree", "news coverage, not propaganda", settings)
    opinions.opinion_set(db, gina, green.id, "false-positive", "a research archive", settings)
    report.quarantined = green.id if signals.signal_get(
        db, alice, green.id).status == "quarantined" else None
    say(f"   signal {green.id} is now {signals.signal_get(db, alice, green.id).status}")

    say("7. Alpha retracts it: a tombstone, never a silent delete.")
    report.retracted = signals.signal_retract(db, alice, green.id, "agreed: news coverage").id

    verdict = audit.verify(db)
    report.audit_events, report.audit_ok = verdict.events_checked, verdict.ok
    say(f"8. Audit log: {verdict.events_checked:,} events, chain "
        f"{'verified' if verdict.ok else 'BROKEN: ' + str(verdict.reason)}.")
    return report
