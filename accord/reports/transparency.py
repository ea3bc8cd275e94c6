"""The transparency report for a period, built from the store and the audit trail.

Counts only: signals shared (by type, label and TLP), matches and verdicts,
disputes and their outcomes, retractions, crisis activations, requests between
partners and their answer times, and incident sourcing completeness. No
partner is named, and nothing identifies one, unless that partner opted in
(``report_opt_in``); staff usernames never appear.

Each reader gets the report over what it may see (``Audience``): the node
operator and members with the auditor role get the node-wide figures; any other
member gets counts over the signals, incidents and crises its partner may see
(the one visibility rule), its own partner's matches and verdicts, and the
requests its partner sent or received. So no count, label, TLP breakdown or
crisis reveals activity the reader may not see (another partner's RED or
AMBER+STRICT work, an invisible incident).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from accord import audit
from accord.cooperation.requests import Period, request_statistics
from accord.errors import Invalid
from accord.incidents.service import visible_incidents
from accord.incidents.sourcing import completeness
from accord.incidents.statements import renumber_statements
from accord.reports.document import SOURCING_FACTS, Document, Section, Table
from accord.sharing.roles import CAN_AUDIT_NODE, Actor, Role
from accord.sharing.service import find_partner
from accord.sharing.visibility import actor_visible_clause
from accord.store import models as m
from accord.store.database import Database

Part = dict[str, Any]
UNNAMED = "partners not named"


@dataclasses.dataclass(frozen=True, slots=True)
class Audience:
    """Who reads the report, and so over what it counts."""

    actor: Actor

    @property
    def node_wide(self) -> bool:
        """The operator and auditors read the node-wide figures."""
        return self.actor.is_operator or self.actor.role in CAN_AUDIT_NODE

    @property
    def key(self) -> str:
        """What distinguishes one audience's report from another's (for caches)."""
        return "node" if self.node_wide else f"partner:{self.actor.partner_id}"

    def signals(self, session: Session) -> ColumnElement[bool]:
        """The signals counted: those the reader may see (retracted ones included)."""
        if self.node_wide:
            return true()
        return actor_visible_clause(session, self.actor, m.Signal.owner_partner_id,
                                    m.Signal.tlp, m.Signal.channel_id)

    def matches(self) -> ColumnElement[bool]:
        """The matches counted: the reader's own partner's (a match is its requester's)."""
        if self.node_wide:
            return true()
        return m.Match.requester_partner_id == self.actor.partner_id

    def incidents(self, session: Session) -> Select[Any] | None:
        """The incident ids counted (None: all of them)."""
        if self.node_wide:
            return None
        return select(visible_incidents(session, self.actor).subquery().c.id)

    @property
    def partner_id(self) -> int | None:
        """The reader's partner where the report is scoped to it (None: node-wide)."""
        return None if self.node_wide else self.actor.partner_id


def _span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)


def _counts(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)
                           .order_by(column))
    return {str(k): int(n) for k, n in rows}


def signals_shared(session: Session, start: dt.datetime, end: dt.datetime,
                   audience: Audience) -> Part:
    """Signals added in the period, by type, by label and by TLP."""
    added = (m.Signal.created_at >= start, m.Signal.created_at < end,
             audience.signals(session))
    labels = _counts(session, m.SignalLabel.label, m.SignalLabel.signal_id.in_(
        select(m.Signal.id).where(*added)))
    return {"total": sum(_counts(session, m.Signal.tlp, *added).values()),
            "by_type": _counts(session, m.Signal.signal_type, *added),
            "by_label": labels, "by_tlp": _counts(session, m.Signal.tlp, *added)}


def matches_and_verdicts(session: Session, start: dt.datetime, end: dt.datetime,
                         audience: Audience) -> Part:
    """Matches recorded in the period by review state, and verdicts given by decision."""
    matches = _counts(session, m.Match.review_state, m.Match.created_at >= start,
                      m.Match.created_at < end, audience.matches())
    own = m.Verdict.match_id.in_(select(m.Match.id).where(audience.matches()))
    verdicts = _counts(session, m.Verdict.decision, m.Verdict.created_at >= start,
                       m.Verdict.created_at < end, own)
    false_positive = session.execute(select(func.count()).where(
        m.Verdict.false_positive.is_(True), m.Verdict.created_at >= start,
        m.Verdict.created_at < end, own)).scalar_one()
    return {"matches": sum(matches.values()), "matches_by_state": matches,
            "verdicts_by_decision": verdicts, "verdicts_false_positive": int(false_positive)}


def disputes(session: Session, start: dt.datetime, end: dt.datetime,
             audience: Audience) -> Part:
    """Disputes (disagree, false-positive) filed in the period and where each signal stands
    now: kept active, quarantined, or retracted."""
    query = (select(m.Opinion.kind, m.Signal.status, func.count())
             .join(m.Signal, m.Signal.id == m.Opinion.signal_id)
             .where(m.Opinion.kind.in_(("disagree", "false-positive")),
                    m.Opinion.created_at >= start, m.Opinion.created_at < end,
                    audience.signals(session))
             .group_by(m.Opinion.kind, m.Signal.status))
    outcomes: dict[str, dict[str, int]] = {}
    for kind, status, n in session.execute(query):
        outcomes.setdefault(str(kind), {})[str(status)] = int(n)
    return {"total": sum(sum(v.values()) for v in outcomes.values()),
            "by_kind_and_outcome": outcomes}


def retractions(session: Session, start: dt.datetime, end: dt.datetime,
                audience: Audience) -> Part:
    """Signals retracted in the period."""
    n = session.execute(select(func.count()).select_from(m.Retraction)
                        .join(m.Signal, m.Signal.id == m.Retraction.signal_id).where(
        m.Retraction.retracted_at >= start, m.Retraction.retracted_at < end,
        audience.signals(session))).scalar_one()
    return {"total": int(n)}


def _partner_label(session: Session, partner_id: int | None) -> str:
    if partner_id is None:
        return "the node operator"
    partner = session.get(m.Partner, partner_id)
    return partner.name if partner is not None and partner.report_opt_in else "a partner"


def crisis_activations(session: Session, start: dt.datetime, end: dt.datetime,
                       audience: Audience) -> Part:
    """Crises activated in the period: criteria, duration, outcome, debrief recorded
    (crises on incidents the reader may see)."""
    query = select(m.Crisis).where(m.Crisis.started_at >= start, m.Crisis.started_at < end)
    seen = audience.incidents(session)
    if seen is not None:
        query = query.where(m.Crisis.incident_id.in_(seen))
    rows = session.execute(query.order_by(m.Crisis.started_at)).scalars().all()
    shown = []
    for c in rows:
        owner = session.get_one(m.Bank, c.bank_id).owner_partner_id if c.bank_id else None
        state = "closed" if c.closed_at else "expired" if c.expired_at else "active"
        shown.append({"started": c.started_at.isoformat(timespec="minutes"),
                      "hours": round((c.expires_at - c.started_at).total_seconds() / 3600, 1),
                      "criteria": list(c.criteria), "state": state,
                      "debrief_recorded": bool(c.debrief),
                      "activated_by": _partner_label(session, owner)})
    return {"total": len(shown), "activations": shown}


def requests_and_answer_times(db: Database, first: dt.date, last: dt.date,
                              audience: Audience) -> Part:
    """Requests between partners sent in the period: counts by status and by purpose, and
    median / p90 answer times in hours. Aggregates only: no partner, text or staff."""
    stats = request_statistics(db, Period(first, last), partner_id=audience.partner_id)
    hours = (None if stats.median_hours_to_answer is None
             else round(stats.median_hours_to_answer, 1))
    p90 = None if stats.p90_hours_to_answer is None else round(stats.p90_hours_to_answer, 1)
    return {"total": stats.sent, "answered": stats.answered,
            "by_status": {"answered": stats.answered, "declined": stats.declined,
                          "open": stats.open},
            "median_answer_hours": hours, "p90_answer_hours": p90,
            "by_purpose": stats.by_purpose}


def sourcing(session: Session, db: Database, first: dt.date, last: dt.date,
             audience: Audience) -> Part:
    """Incident sourcing completeness per contributing partner (over the incidents the
    reader may see): facts only, no ranking. Partners that did not opt in are summed
    into one row."""
    named: list[dict[str, Any]] = []
    hidden: dict[str, int] = {}
    hidden_partners = 0
    for row in completeness(db, first.year, last.year, among=audience.incidents(session)):
        facts = {k: v for k, v in dataclasses.asdict(row).items() if k != "partner_id"}
        partner = session.get(m.Partner, row.partner_id)
        if partner is not None and partner.report_opt_in:
            named.append({"partner": partner.name, **facts})
        else:
            hidden_partners += 1
            for key, value in facts.items():
                hidden[key] = hidden.get(key, 0) + value
    named.sort(key=lambda r: r["partner"])
    if hidden_partners:
        named.append({"partner": f"{UNNAMED} ({hidden_partners})", **hidden})
    return {"partners": named}


SECTIONS: dict[str, Callable[[Session, dt.datetime, dt.datetime, Audience], Part]] = {
    "signals_shared": signals_shared,
    "matches_and_verdicts": matches_and_verdicts,
    "disputes": disputes,
    "retractions": retractions,
    "crisis_activations": crisis_activations,
}


def transparency_report(db: Database, first: dt.date, last: dt.date,
                        reader: Actor) -> dict[str, Any]:
    """The report's data for ``first``..``last`` (inclusive), JSON-ready, over what
    ``reader`` may see (``Audience``); ``scope`` says which."""
    audience = Audience(reader)
    if last < first:
        raise Invalid(f"the period {first}..{last} ends before it starts")
    if first.year < 1970 or last.year > 2999:
        raise Invalid(f"the period {first}..{last} is outside 1970-2999")
    start, end = _span(first, last)
    with db.reader() as session:
        data: dict[str, Any] = {"period": {"from": first.isoformat(), "to": last.isoformat()},
                                "scope": _scope(session, audience)}
        for name, build in SECTIONS.items():
            data[name] = build(session, start, end, audience)
        data["requests"] = requests_and_answer_times(db, first, last, audience)
        data["incident_sourcing"] = sourcing(session, db, first, last, audience)
    return data


def _scope(session: Session, audience: Audience) -> dict[str, Any]:
    if audience.node_wide:
        return {"node_wide": True, "partner": None}
    partner = session.get_one(m.Partner, audience.actor.partner_id)
    return {"node_wide": False, "partner": partner.name}


def set_report_opt_in(db: Database, actor: Actor, partner: str | int, opt_in: bool) -> bool:
    """Let a partner be named in transparency reports (its admins or the operator)."""
    with db.transaction() as session:
        row = find_partner(session, partner)
        actor.require_partner(row.id, "change this partner's report consent")
        actor.require(frozenset({Role.ADMIN}), "change report consent")
        if row.report_opt_in != opt_in:
            row.report_opt_in = opt_in
            audit.record(session, actor, audit.AuditAction.PARTNER_REPORT_OPT_IN, "partner", row.id,
                         {"opt_in": opt_in})
            if opt_in:  # its statements recorded before go to peers now (their cursor)
                renumber_statements(session, row.id)
        return opt_in


def _table(title: str, counts: dict[str, int]) -> Table:
    return Table((title, "count"), [(k, f"{v:,}") for k, v in counts.items()])


def transparency_document(data: dict[str, Any]) -> Document:
    """The report as a ``Document`` (for HTML and PDF)."""
    period = data["period"]
    sig, mv, dis = data["signals_shared"], data["matches_and_verdicts"], data["disputes"]
    crises, req = data["crisis_activations"], data["requests"]
    outcomes = [(kind, status, f"{n:,}") for kind, by in dis["by_kind_and_outcome"].items()
                for status, n in by.items()]
    facts = tuple(SOURCING_FACTS)
    sourcing_rows = [(p["partner"], *(f"{p[f]:,}" for f in facts))
                     for p in data["incident_sourcing"]["partners"]]
    sections = [
        Section("Signals shared", [f"{sig['total']:,} signals added in the period."],
                [_table("type", sig["by_type"]), _table("TLP", sig["by_tlp"]),
                 _table("label", sig["by_label"])]),
        Section("Matches and verdicts", [
            f"{mv['matches']:,} matches; {mv['verdicts_false_positive']:,} verdicts marked "
            "false positive."],
            [_table("review state", mv["matches_by_state"]),
             _table("verdict", mv["verdicts_by_decision"])]),
        Section("Disputes and their outcomes", [f"{dis['total']:,} disputes filed."],
                [Table(("dispute", "signal now", "count"), outcomes)]),
        Section("Retractions", [f"{data['retractions']['total']:,} signals retracted."]),
        Section("Crisis activations", [f"{crises['total']:,} activations."], [Table(
            ("started (UTC)", "hours", "criteria", "state", "debrief", "by"),
            [(c["started"], str(c["hours"]), ", ".join(c["criteria"]), c["state"],
              "yes" if c["debrief_recorded"] else "no", c["activated_by"])
             for c in crises["activations"]])]),
        Section("Requests between partners", [
            f"{req['total']:,} requests, {req['answered']:,} answered; median answer time "
            + (f"{req['median_answer_hours']} hours, 90th percentile "
               f"{req['p90_answer_hours']} hours." if req["median_answer_hours"] is not None
               else "n/a.")],
            [_table("status", req["by_status"]), _table("purpose", req["by_purpose"])]),
        Section("Incident sourcing completeness", [
            "Facts per contributing partner, in alphabetical order, not a ranking. Partners "
            "that did not agree to be named are summed in one row."],
            [Table(("partner", *SOURCING_FACTS.values()), sourcing_rows)]),
    ]
    scope = data.get("scope") or {"node_wide": True}
    over = ("Node-wide figures." if scope["node_wide"] else
            f"Figures over what {scope['partner']} may see: its signals and those shared "
            "with it, its own matches and requests, incidents and crises visible to it.")
    return Document(f"Transparency report {period['from']} to {period['to']}",
                    "Generated by Accord from its store and hash-chained audit log. Counts "
                    f"only; no partner is named unless it agreed to be. {over}", sections)
