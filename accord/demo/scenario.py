"""``accord demo --scenario cooperation``: cooperation between four partners, on generated data.

Two national agencies (North, South), a third-country agency (Third) and an
online platform (Platform P), linked by a bilateral AMBER channel
(North-South) and a multilateral channel (all four). The walk-through:

1. the partners and channels;
2. an incident-pattern report (escalation, spill-over, soft targets) on
   generated GTD-format incidents, and both agencies' public statements on one
   of them (when each spoke: facts, never a score);
3. the designation view of an entity two partners list differently;
4. an aggregate foreign-fighter flow exchange (counts under 5 suppressed);
5. propaganda hashes shared by North, pulled by TAXII sync to the platform's
   node and matched there, auto-actioned only where a UN listing backs it;
   South pulls the bilateral channel; the air-gapped Third gets an envelope file;
6. a request for information, one refused for personal data, one answered;
7. a dialogue round with an agenda about Accord objects and an action item;
8. a capacity-building programme, activated only after its due-diligence
   assessment;
then a summary of what each node saw, and the audit chain verified.

Each partner has its own node (a SQLite file in the scenario's folder, see
``scenario_nodes``). North's node hosts the forum and is served on 127.0.0.1;
the others pull from it. Every value is generated here: no real content, hash,
group or person.

Demo module (an edge under the CLI): no fastapi, typer, jinja2, accord.api, accord.web or
accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from accord import audit
from accord.config import Settings
from accord.cooperation import designations, liaison, programmes, requests
from accord.curation import banks, signals
from accord.demo.scenario_analytics import (
    flow_exchange,
    incident_patterns,
    public_statements,
    report_summaries,
)
from accord.demo.scenario_nodes import (
    OP,
    Node,
    Serve,
    add_listings,
    carry_envelope,
    new_node,
    pull,
    sync_key,
)
from accord.entities import service as entities
from accord.errors import AccordError
from accord.matching.engine import MatchEngine
from accord.matching.service import match_value, partner_viewer
from accord.review import service as review
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

Say = Callable[[str], None]
PARTNERS = (("Agency North", "agency", "FR"), ("Agency South", "agency", "KE"),
            ("Agency Third", "agency", "TZ"), ("Platform P", "platform", "IE"))
NODE_NAMES = ("north", "south", "third", "platform")
TODAY = dt.date(2026, 6, 1)


@dataclass
class NodeView:
    """What one partner saw by the end of the scenario: on its own node (signals, how
    they came, matches) and in the forum on North's node (requests, dialogues, ...)."""

    node: str = ""
    signals_on_node: int = 0
    received: str = ""
    signals_visible: int = 0
    matches: dict[str, int] = field(default_factory=dict)
    requests_sent: int = 0
    requests_received: int = 0
    dialogues: int = 0
    programmes: int = 0
    overdue_actions: int = 0


@dataclass
class CooperationReport:
    """The scenario's outcome, for its closing summary and its test."""

    nodes: dict[str, NodeView] = field(default_factory=dict)
    served_at: str = ""
    patterns_found: dict[str, bool] = field(default_factory=dict)
    statement_hours: dict[str, float | None] = field(default_factory=dict)
    summaries: dict[str, list[str]] = field(default_factory=dict)  # locale -> report summary
    flows_shown: int = 0
    flows_suppressed: int = 0
    refused: list[str] = field(default_factory=list)
    audit_events: int = 0
    audit_ok: bool = False


def _member(db: Database, partner: str, username: str, role: Role) -> Actor:
    mem = sharing.member_add(db, OP, partner, username, role.value)
    return Actor(mem.username, mem.partner_id, role, mem.id)


def _near(value: str, rng: random.Random, bits: int) -> str:
    """``value`` (a 256-bit hex hash) with ``bits`` random bits flipped: a re-encoded copy."""
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def _setup(folder: Path, say: Say) -> tuple[dict[str, Node], dict[str, Actor]]:
    say("1. Nodes: two national agencies, a third-country agency and an online platform, "
        "each with its own database in " + str(folder) + ".")
    nodes = {name: new_node(folder, name, partner)
             for name, partner in zip(NODE_NAMES, PARTNERS, strict=True)}
    hub = nodes["north"].db
    for name, kind, country in PARTNERS[1:]:
        sharing.partner_add(hub, OP, name, kind, country)
    actors = {
        "nora": _member(hub, "Agency North", "nora", Role.CURATOR),
        "nils": _member(hub, "Agency North", "nils", Role.ADMIN),
        "sami": _member(hub, "Agency South", "sami", Role.CURATOR),
        "tara": _member(hub, "Agency Third", "tara", Role.CURATOR),
        "pia": _member(hub, "Platform P", "pia", Role.REVIEWER),
    }
    say("   North's node hosts the forum: a bilateral AMBER channel North-South and a "
        "multilateral CT forum of all four.")
    sharing.channel_add(hub, OP, "north-south", "Agency North", "bilateral AMBER exchange")
    sharing.channel_join(hub, OP, "north-south", "Agency South")
    sharing.channel_add(hub, OP, "ct-forum", "Agency North", "multilateral exchange")
    for name, _, _ in PARTNERS[1:]:
        sharing.channel_join(hub, OP, "ct-forum", name)
    return nodes, actors


def _designations(db: Database, say: Say) -> None:
    op = Actor.operator("demo")
    say("3. Designation view: an entity North and South list differently (never resolved).")
    entities.entity_add(db, op, entities.EntityInput(
        "demo-brigade", "Demo Brigade", designations=(
            entities.parse_designation("FR-NAT:FR-DEMO-7:2019-05-02"),
            entities.parse_designation("KE-NAT:KE-DEMO-3:2018-02-01:2023-09-30"))))
    entities.entity_add(db, op, entities.EntityInput(
        "qde-990", "Demo Front", designations=(
            entities.parse_designation("UN-SC:QDe.990:2015-03-01"),)))
    designations.source_register(db, op, "FR-NAT", "Agency North")
    designations.source_register(db, op, "KE-NAT", "Agency South")
    view = designations.designation_view(db, "demo-brigade")
    for row in view.rows:
        say(f"   {row.source:7s} ({row.source_partner or 'multilateral'}): {row.reference}, "
            f"listed {row.listed_on}" + (f", delisted {row.delisted_on}" if row.delisted_on
                                         else ""))
    say(f"   listed by {', '.join(view.listed_by)}; delisted by {', '.join(view.delisted_by)}.")


def _share_hashes(hub: Node, nora: Actor, rng: random.Random) -> tuple[str, str]:
    """North's signals: two propaganda hashes in the CT forum, one lead in the bilateral
    channel only. Returns the two propaganda hashes (UN-backed, national-list-backed)."""
    banks.bank_add(hub.db, OP, "north-propaganda", "Agency North", default_tlp="AMBER",
                   channel="ct-forum", description="generated demo hashes")
    banks.bank_add(hub.db, OP, "north-south-leads", "Agency North", default_tlp="AMBER",
                   channel="north-south", description="generated bilateral leads")
    un_hash, national_hash = (f"{rng.getrandbits(256):064x}" for _ in range(2))
    for value, label in ((un_hash, "entity:qde-990"), (national_hash, "entity:demo-brigade")):
        signals.signal_add(hub.db, nora, "north-propaganda", signals.SignalInput(
            "pdq", value, quality=90, labels=("content:magazine", label)), hub.settings)
    signals.signal_add(hub.db, nora, "north-south-leads", signals.SignalInput(
        "md5", f"{rng.getrandbits(128):032x}", labels=("content:video",)), hub.settings)
    return un_hash, national_hash


def _hash_sharing(nodes: dict[str, Node], actors: dict[str, Actor], rng: random.Random,
                  report: CooperationReport, say: Say) -> None:
    hub, platform = nodes["north"], nodes["platform"]
    say(f"5. North shares propaganda hashes in the CT forum; its node serves TAXII 2.1 at "
        f"{hub.url}/taxii2/.")
    un_hash, national_hash = _share_hashes(hub, actors["nora"], rng)
    keys = {p: sync_key(hub, name, f"sync-{p}") for p, name in
            (("platform", "Platform P"), ("south", "Agency South"))}
    for listed in (platform, nodes["third"]):  # labels name entities the node must know
        add_listings(listed)
    pulled = pull(platform, hub, "ct-forum", "sync-platform", keys["platform"], auto_action=True)
    south = pull(nodes["south"], hub, "north-south", "sync-south", keys["south"])
    carried = carry_envelope(hub, "north-propaganda", nodes["third"],
                             hub.settings.home.parent / "inbox")
    for sync, node in ((pulled, "platform"), (south, "south")):
        if sync.error:
            raise AccordError("{node}'s sync from north failed: {error}", node=node,
                              error=sync.error)
    received = {"north": f"its own, served at {hub.url}",
                "south": f"{south.added} by TAXII sync of the bilateral channel",
                "third": f"{carried} from a TAXII envelope file (air-gapped)",
                "platform": f"{pulled.added} by TAXII sync of the CT forum"}
    for name, text in received.items():
        report.nodes[name] = NodeView(node=name, received=text)
        if name != "north":
            say(f"   {name}'s node received {text}.")
    pia = platform.member("pia", Role.REVIEWER)
    designations.policy_set(platform.db, Actor.operator(), "Platform P", ["UN-SC"],
                            allow_auto_action=True)
    say("   Platform P's own policy consents to auto-action on UN-listed groups only.")
    engine = MatchEngine.load(platform.db, platform.settings)
    viewer = partner_viewer(platform.db, "Platform P")
    say("   The platform matches uploads on its own node:")
    for upload, value in (("upload-1", un_hash), ("upload-2", national_hash)):
        result = match_value(engine, viewer, "pdq", _near(value, rng, 6))
        for rec in review.record_matches(platform.db, pia, upload, result.matches):
            say(f"   {upload}: matched signal {rec.signal_id} at distance {rec.distance} "
                f"({', '.join(rec.labels)}) -> {rec.state}")
    say("   The UN-listed group's hash is auto-actioned; the one only national lists "
        "back goes to the platform's reviewers.")


def _requests(db: Database, actors: dict[str, Actor], report: CooperationReport,
              say: Say) -> None:
    say("6. Requests: South asks North why it lists Demo Brigade.")
    try:
        requests.request_send(db, actors["sami"], "Agency North", "clarify-designation-basis",
                              ["entity:demo-brigade"], "Call our desk on +254 712 345 678.")
    except AccordError as refused:
        report.refused.append(refused.message)
        say(f"   refused: {refused.message}")
    sent = requests.request_send(db, actors["sami"], "Agency North",
                                 "clarify-designation-basis", ["entity:demo-brigade"],
                                 "On what basis is the group listed nationally?")
    answered = requests.request_answer(db, actors["nora"], sent.id,
                                       "Listed in 2019 after the attacks recorded as "
                                       "incidents in our national register; see the decree.")
    say(f"   request {sent.id} {answered.status} by {answered.answered_by}.")


def _liaison(db: Database, actors: dict[str, Actor], say: Say) -> None:
    say("7. Liaison: a North-South dialogue round with an agenda and an action item.")
    dialogue = liaison.dialogue_add(db, actors["nora"], "North-South CT dialogue, round 4",
                                    "senior-officials", TODAY - dt.timedelta(days=60),
                                    ["Agency South"], venue="Nairobi", channel="north-south")
    liaison.agenda_add(db, actors["nora"], dialogue.id, "Diverging designations",
                       "entity:demo-brigade")
    liaison.agenda_add(db, actors["sami"], dialogue.id, "Shared hash bank",
                       "bank:north-propaganda")
    liaison.action_add(db, actors["nora"], dialogue.id, "Exchange listing criteria",
                       "Agency South", TODAY - dt.timedelta(days=10))
    for item in liaison.reminders(db, actors["sami"], TODAY):
        say(f"   reminder to {item.owner_partner}: '{item.title}' was due {item.due_on}")


def _programme(db: Database, settings: Settings, actors: dict[str, Actor], say: Say) -> None:
    say("8. A capacity-building programme for Agency Third, funded by North and South.")
    prog = programmes.programme_add(
        db, actors["nora"], "Online content moderation capacity", "Agency Third",
        "online-content", TODAY, TODAY + dt.timedelta(days=540), donors=["Agency South"],
        indicators=["hash-matching workflow running", "review queue staffed"],
        channel="ct-forum")
    try:
        programmes.programme_set_status(db, actors["nora"], prog.id, "active")
    except AccordError as refused:
        say(f"   not yet: {refused.message}")
    programmes.programme_assess(db, actors["nora"], prog.id,
                                "Due diligence: legal basis, oversight and redress reviewed.")
    active = programmes.programme_set_status(db, actors["nora"], prog.id, "active")
    say(f"   programme {active.id} is {active.status} after the assessment.")
    try:
        signals.signal_add(db, actors["tara"], "north-propaganda",
                           signals.SignalInput("md5", "0" * 32), settings)
    except AccordError as refused:
        say(f"   Third may not write North's bank: {refused.message}")


def _summary(nodes: dict[str, Node], actors: dict[str, Actor],
             report: CooperationReport) -> None:
    hub = nodes["north"].db
    members = {"north": actors["nora"], "south": actors["sami"], "third": actors["tara"],
               "platform": actors["pia"]}
    for name, actor in members.items():
        node, view = nodes[name], report.nodes[name]
        view.signals_on_node = len(signals.signal_list(node.db, OP, limit=10_000))
        view.signals_visible = len(signals.signal_list(hub, actor, limit=10_000))
        for rec in review.review_queue(node.db, OP, state=None, partner=node.partner):
            view.matches[rec.state] = view.matches.get(rec.state, 0) + 1
        mine = requests.request_list(hub, actor)
        view.requests_sent = sum(r.from_partner == node.partner for r in mine)
        view.requests_received = sum(r.to_partner == node.partner for r in mine)
        view.dialogues = len(liaison.dialogue_list(hub, actor))
        view.programmes = len(programmes.programme_list(hub, actor))
        view.overdue_actions = len(liaison.reminders(hub, actor, TODAY))


def _say_summary(nodes: dict[str, Node], report: CooperationReport, say: Say) -> None:
    say("9. What each node saw:")
    for name, view in report.nodes.items():
        matches = ", ".join(f"{n} {state}" for state, n in sorted(view.matches.items()))
        say(f"   {nodes[name].partner:13s} node {name}: {view.signals_on_node} signals "
            f"({view.received}); matches: {matches or 'none'}; in the forum: "
            f"{view.signals_visible} signals visible, requests {view.requests_sent} sent/"
            f"{view.requests_received} received, {view.dialogues} dialogue(s), "
            f"{view.programmes} programme(s), {view.overdue_actions} overdue action(s)")


def _verify(nodes: dict[str, Node], report: CooperationReport, say: Say) -> None:
    verdicts = {name: audit.verify(node.db) for name, node in nodes.items()}
    report.audit_events = sum(v.events_checked for v in verdicts.values())
    report.audit_ok = all(v.ok for v in verdicts.values())
    broken = [f"{name}: {v.reason}" for name, v in verdicts.items() if not v.ok]
    say(f"10. Audit logs: {report.audit_events:,} events on {len(nodes)} nodes, every chain "
        + ("verified." if not broken else "checked; BROKEN " + "; ".join(broken)))


def run_cooperation_demo(folder: Path, say: Say, serve: Serve, *, seed: int = 2026
                         ) -> CooperationReport:
    """Run the cooperation walk-through with one new node per partner in ``folder``
    (which must hold no node yet); ``serve`` runs North's node on 127.0.0.1."""
    rng, report = random.Random(seed), CooperationReport()
    nodes, actors = _setup(folder, say)
    hub = nodes["north"]
    try:
        found = incident_patterns(hub.db, hub.settings, actors["nora"], actors["sami"], say)
        report.patterns_found = found
        report.statement_hours = public_statements(hub.db, actors["nora"], actors["sami"], say)
        _designations(hub.db, say)
        report.flows_shown, report.flows_suppressed = flow_exchange(
            hub.db, hub.settings, actors["nora"], actors["sami"], say)
        with serve(hub.settings) as url:
            hub.url = report.served_at = url
            _hash_sharing(nodes, actors, rng, report, say)
        _requests(hub.db, actors, report, say)
        _liaison(hub.db, actors, say)
        _programme(hub.db, hub.settings, actors, say)
        _summary(nodes, actors, report)
        _say_summary(nodes, report, say)
        _verify(nodes, report, say)
        report.summaries = report_summaries(hub.db, hub.settings, actors["sami"], say)
    finally:
        for node in nodes.values():
            node.db.dispose()
    return report
