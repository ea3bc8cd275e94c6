"""Sourcing completeness per contributing partner: facts only, never a ranking.

For each partner that contributed incidents in a period: how many, and how
many of them have at least one source, two or more, an independent-media
source, dated sources, GTD's doubt flag and inclusion criteria recorded, and
the claim recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from accord.store import models as m
from accord.store.database import Database


@dataclass(frozen=True, slots=True)
class Completeness:
    """One partner's incidents in the period and how many have each sourcing fact."""

    partner_id: int
    incidents: int
    with_source: int
    with_two_sources: int
    with_independent_source: int
    with_dated_sources: int
    with_doubt_recorded: int
    with_criteria_recorded: int
    with_claim_recorded: int


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): a count that works on every backend."""
    return func.sum(case((condition, 1), else_=0))


def completeness(db: Database, first_year: int, last_year: int,
                 among: Select[Any] | None = None) -> list[Completeness]:
    """Sourcing completeness of every contributing partner, by partner id; ``among``
    (a query of incident ids) narrows it to some incidents (a scope, what a partner sees)."""
    src = m.IncidentSource
    per_incident = (
        select(src.incident_id,
               func.count().label("n"),
               count_if(src.kind == "independent-media").label("indep"),
               count_if(src.published_on.is_not(None)).label("dated"))
        .group_by(src.incident_id).subquery())
    inc = m.Incident
    n = func.coalesce(per_incident.c.n, 0)

    query = (
        select(inc.owner_partner_id, func.count(),
               count_if(n >= 1), count_if(n >= 2),
               count_if(func.coalesce(per_incident.c.indep, 0) >= 1),
               count_if((n >= 1) & (per_incident.c.dated == n)),
               count_if(inc.doubtterr.is_not(None)),
               count_if(inc.crit1.is_not(None) & inc.crit2.is_not(None)
                        & inc.crit3.is_not(None)),
               count_if(inc.claimed.is_not(None)))
        .outerjoin(per_incident, per_incident.c.incident_id == inc.id)
        .where(inc.iyear.between(first_year, last_year))
        .group_by(inc.owner_partner_id).order_by(inc.owner_partner_id))
    if among is not None:
        query = query.where(inc.id.in_(among))
    with db.reader() as session:
        return [Completeness(*(int(v or 0) for v in row)) for row in session.execute(query)]
