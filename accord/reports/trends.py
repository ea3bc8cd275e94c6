"""Review trends: matches, verdicts and disputes per day, and how old the queue is.

:func:`review_trends` is the one place these figures are computed; the dashboard, the
API (``GET /api/v1/trends``) and their charts show what it returns. It counts over
what the transparency report's ``Audience`` counts for the same reader: the operator
and auditors the node-wide figures, any other member its own partner's matches and
verdicts and the disputes on signals its partner may see (the one visibility rule).
So another partner's work on RED or AMBER+STRICT signals never shows in anyone's
trend but that partner's.

Days are UTC days, the last one today. Each day is one ``count(CASE ...)`` column of
a single query per series, with bound UTC instants as its bounds, so the figures are
the same on SQLite and PostgreSQL whatever the server's time zone. An undone verdict
is no verdict and is not counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from accord.errors import Invalid
from accord.reports.transparency import Audience
from accord.review.service import Decision, MatchState
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

DAYS = 30
DAYS_MAX = 366
DISPUTE_KINDS = ("disagree", "false-positive")


@dataclasses.dataclass(frozen=True, slots=True)
class Trends:
    """Per-day counts (one entry per day of ``days``, oldest first) and the queue's age."""

    days: list[dt.date]
    matches: list[int]
    confirmed: list[int]
    rejected: list[int]
    disputes: list[int]
    pending: int
    oldest_pending_hours: float | None
    median_pending_hours: float | None
    node_wide: bool

    def as_json(self) -> dict[str, Any]:
        """The trends as the API answers them (dates as ISO strings)."""
        data = dataclasses.asdict(self)
        data["days"] = [d.isoformat() for d in self.days]
        return data


def _bounds(days: list[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
    starts = [dt.datetime.combine(d, dt.time(), dt.UTC) for d in days]
    return [(s, s + dt.timedelta(days=1)) for s in starts]


def _per_day(session: Session, column: Any, bounds: list[tuple[dt.datetime, dt.datetime]],
             *where: ColumnElement[bool]) -> list[int]:
    """How many rows fall in each of ``bounds`` (one query, one column per day)."""
    counts = [func.count(case((and_(column >= a, column < b), 1))) for a, b in bounds]
    row = session.execute(select(*counts).where(
        column >= bounds[0][0], column < bounds[-1][1], *where)).one()
    return [int(n) for n in row]


def _queue_age(session: Session, audience: Audience, now: dt.datetime
               ) -> tuple[int, float | None, float | None]:
    """Pending matches: how many, and the oldest's and the median one's age in hours."""
    pending = (m.Match.review_state == MatchState.PENDING.value, audience.matches())
    size = int(session.execute(select(func.count()).select_from(m.Match).where(*pending))
               .scalar_one())
    if not size:
        return 0, None, None
    ordered = select(m.Match.created_at).where(*pending).order_by(m.Match.created_at)
    oldest = session.execute(ordered.limit(1)).scalar_one()
    middle = list(session.execute(ordered.offset((size - 1) // 2).limit(2 - size % 2))
                  .scalars())

    def hours(at: dt.datetime) -> float:
        return round(max(0.0, (now - at).total_seconds()) / 3600, 1)

    return size, hours(oldest), round(sum(hours(a) for a in middle) / len(middle), 1)


def review_trends(db: Database, reader: Actor, *, days: int = DAYS,
                  now: dt.datetime | None = None) -> Trends:
    """Matches, verdicts (confirmed, rejected) and disputes per day over the last ``days``
    UTC days up to ``now`` (default: the current time), and the pending queue's age,
    counted over what ``reader`` may see (``Audience``)."""
    if not 1 <= days <= DAYS_MAX:
        raise Invalid("a trend covers 1 to {most} days, not {days}", most=DAYS_MAX, days=days,
                      hint="ask for {usual} days", usual=DAYS)
    now = now or m.utcnow()
    today = now.astimezone(dt.UTC).date()
    dates = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    bounds = _bounds(dates)
    audience = Audience(reader)
    own = m.Verdict.match_id.in_(select(m.Match.id).where(audience.matches()))
    with db.reader() as session:
        matches = _per_day(session, m.Match.created_at, bounds, audience.matches())
        verdicts = {d: _per_day(session, m.Verdict.created_at, bounds, own,
                                m.Verdict.decision == d.value, m.Verdict.undone_at.is_(None))
                    for d in Decision}
        disputed = m.Opinion.signal_id.in_(select(m.Signal.id).where(
            audience.signals(session)))
        disputes = _per_day(session, m.Opinion.created_at, bounds, disputed,
                            m.Opinion.kind.in_(DISPUTE_KINDS))
        pending, oldest, median = _queue_age(session, audience, now)
    return Trends(dates, matches, verdicts[Decision.CONFIRM], verdicts[Decision.REJECT],
                  disputes, pending, oldest, median, audience.node_wide)
