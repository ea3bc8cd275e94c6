"""Review figures for a partner: queue size, recent matches, one signal's match counts."""

from __future__ import annotations

from sqlalchemy import func, select

from accord.errors import NotFound
from accord.review.records import MatchRecord
from accord.review.service import MatchState, records
from accord.sharing.roles import Actor
from accord.sharing.visibility import actor_may_see
from accord.store import models as m
from accord.store.database import Database


def queue_size(db: Database, actor: Actor) -> int:
    """How many of the actor's partner's matches wait for review (all partners: operator)."""
    with db.reader() as session:
        query = select(func.count()).select_from(m.Match).where(
            m.Match.review_state == MatchState.PENDING.value)
        if actor.partner_id is not None:
            query = query.where(m.Match.requester_partner_id == actor.partner_id)
        return int(session.execute(query).scalar_one())


def recent_matches(db: Database, actor: Actor, *, limit: int = 10) -> list[MatchRecord]:
    """The actor's partner's latest matches, newest first."""
    with db.reader() as session:
        query = select(m.Match).order_by(m.Match.id.desc()).limit(max(1, min(limit, 100)))
        if actor.partner_id is not None:
            query = query.where(m.Match.requester_partner_id == actor.partner_id)
        return records(session, session.execute(query).scalars().all())


def signal_match_counts(db: Database, actor: Actor, signal_id: int) -> dict[str, int]:
    """How many matches a signal the actor may see has had, by review state, across partners.

    Counts only: which partner matched what stays with that partner.
    """
    with db.reader() as session:
        signal = session.get(m.Signal, signal_id)
        if signal is None or not actor_may_see(session, actor, signal):
            raise NotFound("no signal {signal_id}", signal_id=signal_id)
        rows = session.execute(select(m.Match.review_state, func.count())
                               .where(m.Match.signal_id == signal_id)
                               .group_by(m.Match.review_state))
        return {state: int(n) for state, n in rows}
