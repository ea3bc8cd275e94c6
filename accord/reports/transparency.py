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
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from accord import audit
from accord.cooperation.requests import Period, request_statistics
from accord.errors import Invalid
from accord.incidents.service import visible_incidents
from accord.incidents.sourcing import completeness
from accord.incidents.statements import renumber_statements
from accord.reports.document import (
    SOURCING_FACTS,
    Document,
    Section,
    Table,
    partner_label,
    sourcing_headers,
    tr,
    vocab,
)
from accord.sharing.roles import CAN_AUDIT_NODE, Actor, Role
from accord.sharing.service import find_partner
from accord.sharing.visibility import actor_visible_clause
from accord.store import models as m
from accord.store.database import Database

if TYPE_CHECKING:  # the data needs no matplotlib; the document's charts load it
    from matplotlib.figure import Figure

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
        raise Invalid("the period {first}..{last} ends before it starts", first=first, last=last)
    if first.year < 1970 or last.year > 2999:
        raise Invalid("the period {first}..{last} is outside 1970-2999", first=first, last=last)
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


def _table(title: str, counts: dict[str, int], locale: str, names: bool = False) -> Table:
    """A two-column table; ``names``: its keys are vocabulary (labels, purposes)."""
    return Table((title, tr(locale, "count")),
                 [(vocab(locale, k) if names else _word(locale, k), f"{v:,}")
                  for k, v in counts.items()])


def _word(locale: str, code: str) -> str:
    """A stored state or status (English code) as the reader reads it; others as they are."""
    return {"active": tr(locale, "active"), "closed": tr(locale, "closed"),
            "expired": tr(locale, "expired"), "answered": tr(locale, "answered"),
            "declined": tr(locale, "declined"), "open": tr(locale, "open"),
            "quarantined": tr(locale, "quarantined"), "retracted": tr(locale, "retracted"),
            "pending": tr(locale, "pending"), "confirmed": tr(locale, "confirmed"),
            "rejected": tr(locale, "rejected"), "suppressed": tr(locale, "suppressed"),
            "auto-actioned": tr(locale, "auto-actioned")}.get(code, code)


def _requests_text(req: dict[str, Any], locale: str) -> str:
    counts = tr(locale, "{total} requests, {answered} answered.", total=f"{req['total']:,}",
                answered=f"{req['answered']:,}")
    if req["median_answer_hours"] is None:
        return counts + " " + tr(locale, "Median answer time: n/a.")
    return counts + " " + tr(locale, "Median answer time {median} hours, 90th percentile "
                             "{p90} hours.", median=req["median_answer_hours"],
                             p90=req["p90_answer_hours"])


def _crises_table(crises: dict[str, Any], locale: str) -> Table:
    yes, no = tr(locale, "yes"), tr(locale, "no")
    return Table((tr(locale, "started (UTC)"), tr(locale, "hours"), tr(locale, "criteria"),
                  tr(locale, "state"), tr(locale, "debrief"), tr(locale, "by")),
                 [(c["started"], str(c["hours"]), ", ".join(c["criteria"]),
                   _word(locale, c["state"]), yes if c["debrief_recorded"] else no,
                   partner_label(locale, c["activated_by"])) for c in crises["activations"]])


def _breakdowns(data: dict[str, Any], sections: list[Section], locale: str
                ) -> dict[str, Figure]:
    """The breakdowns as charts, each named in its section (signals, matches, disputes,
    requests: sections 0, 1, 2 and 5); an empty breakdown draws none."""
    from accord.reports import charts  # matplotlib: only once a report is rendered

    dis = data["disputes"]["by_kind_and_outcome"]
    wanted = {
        "signals_by_tlp": (0, tr(locale, "Signals shared by TLP"),
                           list(data["signals_shared"]["by_tlp"].items())),
        "matches_by_state": (1, tr(locale, "Matches by review state"), [
            (_word(locale, k), n) for k, n in data["matches_and_verdicts"]["matches_by_state"]
            .items()]),
        "disputes_by_outcome": (2, tr(locale, "Disputes by outcome"), [
            (f"{vocab(locale, kind)}: {_word(locale, status)}", n)
            for kind, by in dis.items() for status, n in by.items()]),
        "requests_by_status": (5, tr(locale, "Requests by status"), [
            (_word(locale, k), n) for k, n in data["requests"]["by_status"].items()]),
    }
    builders: dict[str, Callable[[], Figure]] = {}
    for name, (index, title, counts) in wanted.items():
        if any(n for _, n in counts):
            sections[index].charts.append(name)
            builders[name] = partial(charts.breakdown, title, counts)
    return charts.drawn(sections, locale, builders)


def transparency_document(data: dict[str, Any], locale: str = "en") -> Document:
    """The report as a ``Document`` (for HTML and PDF) in ``locale``."""
    period = data["period"]
    sig, mv, dis = data["signals_shared"], data["matches_and_verdicts"], data["disputes"]
    crises, req = data["crisis_activations"], data["requests"]
    outcomes = [(vocab(locale, kind), _word(locale, status), f"{n:,}")
                for kind, by in dis["by_kind_and_outcome"].items() for status, n in by.items()]
    facts = tuple(SOURCING_FACTS)
    sourcing_rows = [(partner_label(locale, p["partner"]), *(f"{p[f]:,}" for f in facts))
                     for p in data["incident_sourcing"]["partners"]]
    sections = [
        Section(tr(locale, "Signals shared"), [tr(
            locale, "{count} signals added in the period.", count=f"{sig['total']:,}")],
                [_table(tr(locale, "type"), sig["by_type"], locale),
                 _table(tr(locale, "TLP"), sig["by_tlp"], locale),
                 _table(tr(locale, "label"), sig["by_label"], locale, names=True)]),
        Section(tr(locale, "Matches and verdicts"), [tr(
            locale, "{matches} matches; {false_positive} verdicts marked false positive.",
            matches=f"{mv['matches']:,}", false_positive=f"{mv['verdicts_false_positive']:,}")],
            [_table(tr(locale, "review state"), mv["matches_by_state"], locale),
             _table(tr(locale, "verdict"), mv["verdicts_by_decision"], locale, names=True)]),
        Section(tr(locale, "Disputes and their outcomes"), [tr(
            locale, "{count} disputes filed.", count=f"{dis['total']:,}")],
                [Table((tr(locale, "dispute"), tr(locale, "signal now"), tr(locale, "count")),
                       outcomes)]),
        Section(tr(locale, "Retractions"), [tr(
            locale, "{count} signals retracted.", count=f"{data['retractions']['total']:,}")]),
        Section(tr(locale, "Crisis activations"), [tr(
            locale, "{count} activations.", count=f"{crises['total']:,}")],
            [_crises_table(crises, locale)]),
        Section(tr(locale, "Requests between partners"), [_requests_text(req, locale)],
                [_table(tr(locale, "status"), req["by_status"], locale),
                 _table(tr(locale, "purpose"), req["by_purpose"], locale, names=True)]),
        Section(tr(locale, "Incident sourcing completeness"), [tr(
            locale, "Facts per contributing partner, in alphabetical order, not a ranking. "
            "Partners that did not agree to be named are summed in one row.")],
            [Table((tr(locale, "partner"), *sourcing_headers(locale)), sourcing_rows)]),
    ]
    scope = data.get("scope") or {"node_wide": True}
    figures = _breakdowns(data, sections, locale)
    over = (tr(locale, "Node-wide figures.") if scope["node_wide"] else tr(
        locale, "Figures over what {partner} may see: its signals and those shared with it, "
        "its own matches and requests, incidents and crises visible to it.",
        partner=scope["partner"]))
    return Document(tr(locale, "Transparency report {first} to {last}", first=period["from"],
                       last=period["to"]),
                    tr(locale, "Generated by Accord from its store and hash-chained audit log. "
                       "Counts only; no partner is named unless it agreed to be.") + " " + over,
                    sections, figures, locale)
