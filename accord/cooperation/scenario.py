"""``accord demo --scenario cooperation``: cooperation between four partners, on generated data.

Two national agencies (North, South), a third-country agency (Third) and an
online platform (Platform P), linked by a bilateral AMBER channel
(North-South) and a multilateral channel (all four). The walk-through:

1. the partners and channels;
2. an incident-pattern report (escalation, spill-over, soft targets)  [issue 9];
3. the designation view of an entity two partners list differently;
4. an aggregate foreign-fighter flow exchange  [issue 9];
5. a propaganda hash shared by North and matched by the platform, auto-actioned
   only where a UN listing backs it;
6. a request for information, one refused for personal data, one answered;
7. a dialogue round with an agenda about Accord objects and an action item;
8. a capacity-building programme, activated only after its due-diligence
   assessment;
then a summary of what each node saw, and the audit chain verified.

Seams left for the other parts (search for ``SEAM``): today the four partners
share one node; with issue 6 each runs its own node on 127.0.0.1 and signals
move by TAXII sync (and envelope files for the air-gapped Third). Steps 2 and 4
call issue 9's incident analytics and flow services once they are merged.
Every value is generated here: no real content, hash, group or person.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from accord import audit
from accord.config import Settings
from accord.cooperation import designations, liaison, programmes, requests
from accord.curation import banks, signals
from accord.entities import service as entities
from accord.errors import AccordError
from accord.matching.engine import MatchEngine
from accord.matching.service import match_value, viewer_of
from accord.review import service as review
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

Say = Callable[[str], None]
PARTNERS = (("Agency North", "agency", "FR"), ("Agency South", "agency", "KE"),
            ("Agency Third", "agency", "TZ"), ("Platform P", "platform", "IE"))
TODAY = dt.date(2026, 6, 1)


@dataclass
class NodeView:
    """What one partner's node saw by the end of the scenario."""

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
    pending_seams: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    audit_events: int = 0
    audit_ok: bool = False


def _member(db: Database, partner: str, username: str, role: Role) -> Actor:
    mem = sharing.member_add(db, Actor.operator("demo"), partner, username, role.value)
    return Actor(mem.username, mem.partner_id, role, mem.id)


def _near(value: str, rng: random.Random, bits: int) -> str:
    """``value`` (a 256-bit hex hash) with ``bits`` random bits flipped: a re-encoded copy."""
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def _setup(db: Database, say: Say) -> dict[str, Actor]:
    op = Actor.operator("demo")
    say("1. Nodes: two national agencies, a third-country agency and an online platform.")
    # SEAM (issue 6): start one node per partner on 127.0.0.1 (accord serve) and peer
    # them (accord sync); here the four partners share one node.
    for name, kind, country in PARTNERS:
        sharing.partner_add(db, op, name, kind, country)
    actors = {
        "nora": _member(db, "Agency North", "nora", Role.CURATOR),
        "nils": _member(db, "Agency North", "nils", Role.ADMIN),
        "sami": _member(db, "Agency South", "sami", Role.CURATOR),
        "tara": _member(db, "Agency Third", "tara", Role.CURATOR),
        "pia": _member(db, "Platform P", "pia", Role.REVIEWER),
    }
    say("   Channels: a bilateral AMBER channel North-South, a multilateral CT forum.")
    sharing.channel_add(db, op, "north-south", "Agency North", "bilateral AMBER exchange")
    sharing.channel_join(db, op, "north-south", "Agency South")
    sharing.channel_add(db, op, "ct-forum", "Agency North", "multilateral exchange")
    for name, _, _ in PARTNERS[1:]:
        sharing.channel_join(db, op, "ct-forum", name)
    return actors


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


def _hash_sharing(db: Database, settings: Settings, actors: dict[str, Actor],
                  rng: random.Random, say: Say) -> None:
    say("5. North shares propaganda hashes in the CT forum; the platform matches uploads.")
    banks.bank_add(db, Actor.operator("demo"), "north-propaganda", "Agency North",
                   default_tlp="AMBER", channel="ct-forum", auto_action=True,
                   description="generated demo hashes")
    un_hash, national_hash = (f"{rng.getrandbits(256):064x}" for _ in range(2))
    for value, label in ((un_hash, "entity:qde-990"), (national_hash, "entity:demo-brigade")):
        signals.signal_add(db, actors["nora"], "north-propaganda", signals.SignalInput(
            "pdq", value, quality=90, labels=("content:magazine", label)), settings)
    engine = MatchEngine.load(db, settings)
    viewer = viewer_of(db, "Platform P")
    for upload, value in (("upload-1", un_hash), ("upload-2", national_hash)):
        result = match_value(engine, viewer, "pdq", _near(value, rng, 6))
        for rec in review.record_matches(db, actors["pia"], upload, result.matches):
            say(f"   {upload}: matched signal {rec.signal_id} at distance {rec.distance} "
                f"({', '.join(rec.labels)}) -> {rec.state}")
    say("   The UN-listed group's hash is auto-actioned; the one only North's national list "
        "backs goes to the platform's reviewers.")


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


def _summary(db: Database, actors: dict[str, Actor], report: CooperationReport) -> None:
    members = {"Agency North": actors["nora"], "Agency South": actors["sami"],
               "Agency Third": actors["tara"], "Platform P": actors["pia"]}
    for name, actor in members.items():
        view = NodeView(signals_visible=len(signals.signal_list(db, actor, limit=10_000)))
        for rec in review.review_queue(db, actor, state=None, partner=None) \
                if actor.partner_id is not None else []:
            view.matches[rec.state] = view.matches.get(rec.state, 0) + 1
        mine = requests.request_list(db, actor)
        view.requests_sent = sum(r.from_partner == name for r in mine)
        view.requests_received = sum(r.to_partner == name for r in mine)
        view.dialogues = len(liaison.dialogue_list(db, actor))
        view.programmes = len(programmes.programme_list(db, actor))
        view.overdue_actions = len(liaison.reminders(db, actor, TODAY))
        report.nodes[name] = view


def run_cooperation_demo(db: Database, settings: Settings, say: Say, *, seed: int = 2026
                         ) -> CooperationReport:
    """Run the cooperation walk-through on an empty, initialised database."""
    rng, report = random.Random(seed), CooperationReport()
    actors = _setup(db, say)
    say("2. Incident-pattern report (escalation, spill-over, soft targets): "
        "[pending issue 9: accord incidents report]")
    report.pending_seams.append("incident-pattern report (issue 9)")  # SEAM (issue 9)
    _designations(db, say)
    say("4. Aggregate foreign-fighter flow exchange: [pending issue 9: flow records]")
    report.pending_seams.append("foreign-fighter flow exchange (issue 9)")  # SEAM (issue 9)
    _hash_sharing(db, settings, actors, rng, say)
    _requests(db, actors, report, say)
    _liaison(db, actors, say)
    _programme(db, settings, actors, say)
    _summary(db, actors, report)
    say("9. What each node saw:")
    for name, view in report.nodes.items():
        matches = ", ".join(f"{n} {state}" for state, n in sorted(view.matches.items()))
        say(f"   {name:13s} {view.signals_visible} signals visible; matches: "
            f"{matches or 'none'}; requests {view.requests_sent} sent/"
            f"{view.requests_received} received; {view.dialogues} dialogue(s); "
            f"{view.programmes} programme(s); {view.overdue_actions} overdue action(s)")
    verdict = audit.verify(db)
    report.audit_events, report.audit_ok = verdict.events_checked, verdict.ok
    say(f"10. Audit log: {verdict.events_checked:,} events, chain "
        f"{'verified' if verdict.ok else 'BROKEN: ' + str(verdict.reason)}.")
    return report
