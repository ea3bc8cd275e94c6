"""The review desk: the queue as cases, in priority order, with what a reviewer needs.

``review_desk`` reads one partner's matches in one state, filtered by bank, label
and age, each with its context (the signal's status and dispute count, other
partners' opinions as anonymous counts, the bank's threshold beside the distance,
whether the bank is in a crisis, the priority and its reasons, the preview
address), grouped into cases (matches of one ``content_ref``), with the count of
matches in every state. Sorting is by ``accord.review.priority.priority``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.curation.opinions import DISPUTES
from accord.errors import Invalid, parse_choice, trimmed
from accord.review import service
from accord.review.preview import content_url
from accord.review.priority import Priority, priority
from accord.review.records import MatchRecord
from accord.sharing.roles import CAN_REVIEW, Actor
from accord.signals.registry import registry
from accord.store import models as m
from accord.store.database import Database

__all__ = ["Age", "Card", "Case", "Desk", "Sort", "bank_threshold", "review_desk"]


class Age(StrEnum):
    """How long ago a match was recorded."""

    ANY = "any"
    LAST_HOUR = "last-hour"
    LAST_DAY = "last-day"
    OVER_DAY = "over-day"
    OVER_WEEK = "over-week"

    @classmethod
    def parse(cls, text: str) -> Age:
        """Parse an age filter, with a message listing the valid ones."""
        return parse_choice(cls, text, "age")

    def bounds(self, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(recorded after, recorded before) for this filter."""
        hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
        return {Age.ANY: (None, None), Age.LAST_HOUR: (now - hour, None),
                Age.LAST_DAY: (now - day, None), Age.OVER_DAY: (None, now - day),
                Age.OVER_WEEK: (None, now - 7 * day)}[self]


class Sort(StrEnum):
    """The order of the queue."""

    PRIORITY = "priority"
    OLDEST = "oldest"
    NEWEST = "newest"

    @classmethod
    def parse(cls, text: str) -> Sort:
        """Parse a sort order, with a message listing the valid ones."""
        return parse_choice(cls, text, "sort order")


@dataclass(frozen=True, slots=True)
class Card:
    """One match with its context.

    ``opinions`` counts other partners' opinions of the signal by kind (never who
    gave them); ``disputes`` is how many other partners dispute it;
    ``threshold`` is the bank's (or the node's) match threshold for the type.
    """

    match: MatchRecord
    priority: Priority
    signal_status: str
    disputes: int
    opinions: tuple[tuple[str, int], ...]
    threshold: int | None
    crisis: bool
    content_url: str | None


@dataclass(frozen=True, slots=True)
class Case:
    """The matches of one content_ref: one item of content, judged once."""

    content_ref: str
    cards: tuple[Card, ...]

    @property
    def priority(self) -> int:
        """The case's priority: its most urgent match's."""
        return max(c.priority.score for c in self.cards)

    @property
    def created_at(self) -> dt.datetime:
        """When its first match was recorded."""
        return min(c.match.created_at for c in self.cards)


@dataclass(frozen=True, slots=True)
class Desk:
    """What the review page shows: cases, counts per state, and the filters' choices."""

    cases: tuple[Case, ...]
    counts: dict[str, int]
    banks: tuple[str, ...]
    template: str | None


def bank_threshold(signal_type: str, bank: Any, settings: Settings) -> int | None:
    """The threshold matching applies to ``signal_type`` in ``bank`` (None: unknown type)."""
    cls = registry().get(signal_type)
    if cls is None:
        return None
    own = getattr(bank, cls.bank_threshold_column, None) if cls.bank_threshold else None
    return int(own) if own is not None else cls.match_threshold(settings)


def _filtered(partner_id: int | None, state: str | None, bank: str | None,
              label: str | None, age: Age, now: dt.datetime) -> Select[Any]:
    query = select(m.Match)
    if partner_id is not None:
        query = query.where(m.Match.requester_partner_id == partner_id)
    if state is not None:
        query = query.where(m.Match.review_state == state)
    if bank:
        query = query.join(m.Signal, m.Signal.id == m.Match.signal_id).join(
            m.Bank, m.Bank.id == m.Signal.bank_id).where(m.Bank.name == bank)
    if label:
        query = query.where(m.Match.signal_id.in_(
            select(m.SignalLabel.signal_id).where(m.SignalLabel.label == label)))
    after, before = age.bounds(now)
    if after is not None:
        query = query.where(m.Match.created_at >= after)
    if before is not None:
        query = query.where(m.Match.created_at < before)
    return query


def _counts(session: Session, partner_id: int | None) -> dict[str, int]:
    query = select(m.Match.review_state, func.count()).group_by(m.Match.review_state)
    if partner_id is not None:
        query = query.where(m.Match.requester_partner_id == partner_id)
    found = {state: n for state, n in session.execute(query)}
    return {s.value: int(found.get(s.value, 0)) for s in service.MatchState}


def _opinions(session: Session, signal_ids: Iterable[int], partner_id: int | None
              ) -> dict[int, Counter[str]]:
    out: dict[int, Counter[str]] = {}
    query = select(m.Opinion.signal_id, m.Opinion.kind, m.Opinion.partner_id).where(
        m.Opinion.signal_id.in_(sorted(set(signal_ids))))
    for sid, kind, pid in session.execute(query):
        if pid != partner_id:
            out.setdefault(sid, Counter())[kind] += 1
    return out


def _crisis_banks(session: Session, now: dt.datetime) -> set[int | None]:
    return {b for (b,) in session.execute(select(m.Crisis.bank_id).where(
        m.Crisis.bank_id.is_not(None), m.Crisis.closed_at.is_(None),
        m.Crisis.expired_at.is_(None), m.Crisis.expires_at > now))}


def _cards(session: Session, records: list[MatchRecord], partner_id: int | None,
           settings: Settings, template: str | None, now: dt.datetime) -> list[Card]:
    ids = sorted({r.signal_id for r in records})
    rows = {s.id: (s, b) for s, b in session.execute(
        select(m.Signal, m.Bank).join(m.Bank, m.Bank.id == m.Signal.bank_id)
        .where(m.Signal.id.in_(ids)))}
    opinions, crises = _opinions(session, ids, partner_id), _crisis_banks(session, now)
    cards = []
    for rec in records:
        signal, bank = rows[rec.signal_id]
        said = opinions.get(rec.signal_id, Counter())
        threshold = bank_threshold(rec.signal_type, bank, settings)
        crisis = bank.id in crises
        cards.append(Card(
            rec, priority(rec.labels, rec.distance, threshold, crisis=crisis,
                          auto_action=bank.auto_action, negative=rec.negative,
                          waiting=now - rec.created_at),
            signal.status, sum(n for k, n in said.items() if k in DISPUTES),
            tuple(sorted(said.items())), threshold, crisis,
            content_url(template, rec.content_ref) if template else None))
    return cards


def _cases(cards: list[Card], order: Sort) -> tuple[Case, ...]:
    grouped: dict[str, list[Card]] = {}
    for card in cards:
        grouped.setdefault(card.match.content_ref, []).append(card)
    cases = [Case(ref, tuple(sorted(group, key=lambda c: (-c.priority.score, c.match.id))))
             for ref, group in grouped.items()]
    if order is Sort.PRIORITY:
        cases.sort(key=lambda c: (-c.priority, c.created_at))
    else:
        cases.sort(key=lambda c: c.created_at, reverse=order is Sort.NEWEST)
    return tuple(cases)


def review_desk(
    db: Database, actor: Actor, settings: Settings, *,
    state: str | None = service.MatchState.PENDING.value, bank: str | None = None,
    label: str | None = None, age: str = Age.ANY.value, sort: str = Sort.PRIORITY.value,
    limit: int = 200, partner: str | int | None = None,
) -> Desk:
    """The actor's partner's matches as cases, filtered and sorted (priority first).

    ``limit`` bounds the matches read (the oldest first), before grouping.
    """
    actor.require(CAN_REVIEW, "work the review queue")
    for name, value in (("bank", bank), ("label", label)):
        if value is not None and (len(value) > 200 or not value.isprintable()):
            raise Invalid("the {name} filter {value} is not 1-200 printable characters",
                          hint="give a {name} name as the queue shows it", name=name,
                          value=trimmed(value, 40))
    wanted = service.MatchState.parse(state).value if state else None
    order, since = Sort.parse(sort), Age.parse(age)
    if not 1 <= limit <= 1000:
        raise Invalid("limit {limit} is outside 1-1000", limit=limit)
    now = m.utcnow()
    with db.reader() as session:
        partner_id = service.scope(session, actor, partner)
        rows = session.execute(_filtered(partner_id, wanted, bank, label, since, now)
                               .order_by(m.Match.id).limit(limit)).scalars().all()
        records = service.records(session, rows)
        template = None
        if partner_id is not None:
            template = session.get_one(m.Partner, partner_id).content_url_template
        cards = _cards(session, records, partner_id, settings, template, now)
        banks = tuple(sorted({b for (b,) in session.execute(
            select(m.Bank.name).join(m.Signal, m.Signal.bank_id == m.Bank.id)
            .join(m.Match, m.Match.signal_id == m.Signal.id)
            .where(m.Match.requester_partner_id == partner_id if partner_id is not None
                   else m.Match.id.is_not(None)).distinct())}))
        return Desk(_cases(cards, order), _counts(session, partner_id), banks, template)
