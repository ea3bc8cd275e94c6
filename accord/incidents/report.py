"""The incident report's data: analytics over the incidents an actor may see."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from accord.errors import Invalid
from accord.incidents import analytics as an
from accord.incidents.service import Scope, visible_incidents
from accord.incidents.sourcing import Completeness, completeness
from accord.incidents.statements import IncidentFacts, statement_facts, statement_incidents
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

UNNAMED = "partners not named"  # the transparency report's words for the same fold


def incident_analysis(db: Database, actor: Actor, scope: Scope, period: an.Period,
                      soft_codes: tuple[int, ...]) -> an.Analysis:
    """Analytics for ``scope`` in ``period``; history before the period is the baseline.

    Only incidents the actor may see count (``accord.sharing.visibility``).
    """
    if period.first_year > period.last_year:
        raise Invalid("the period {first_year}-{last_year} ends before it starts",
                      first_year=period.first_year, last_year=period.last_year)
    history = Scope(scope.country, scope.region, scope.province, None, period.last_year)
    columns = [getattr(m.Incident, c) for c in an.COLUMNS]
    with db.reader() as session:
        visible = visible_incidents(session, actor).subquery()
        seen = history.apply(select(m.Incident.id).where(
            m.Incident.id.in_(select(visible.c.id))))
        query = history.apply(select(*columns).where(m.Incident.id.in_(select(visible.c.id))))
        rows = [tuple(r) for r in session.execute(query)]
        names: dict[int, str] = {i: n for i, n in session.execute(
            select(m.Partner.id, m.Partner.name).where(m.Partner.report_opt_in))}
    level = an.place_level(scope.province, scope.country)
    analysis = an.analyse(an.frame(rows), period, scope=scope.describe(), level=level,
                          soft_codes=soft_codes)
    facts = completeness(db, period.first_year, period.last_year, seen)
    return dataclasses.replace(analysis, sourcing=named_sourcing(facts, names),
                               statements=_statements(db, actor, scope, period))


def _statements(db: Database, actor: Actor, scope: Scope, period: an.Period
                ) -> list[IncidentFacts]:
    """Statement facts of the incidents in ``scope`` and ``period`` that carry any."""
    spoken = statement_incidents(db, actor)
    if not spoken:
        return []
    within = Scope(scope.country, scope.region, scope.province, period.first_year,
                   period.last_year)
    with db.reader() as session:
        ids = [i for start in range(0, len(spoken), 500) for i in session.execute(
            within.apply(select(m.Incident.id).where(
                m.Incident.id.in_(spoken[start:start + 500])))).scalars()]
    return statement_facts(db, actor, ids)


def named_sourcing(facts: list[Completeness], names: dict[int, str]
                   ) -> list[tuple[str, Completeness]]:
    """Each opted-in partner's facts under its name, alphabetically; the partners in
    ``facts`` that did not opt in (absent from ``names``) summed into one last row, as
    the transparency report does, so no partner is named without its consent."""
    named = sorted(((names[c.partner_id], c) for c in facts if c.partner_id in names),
                   key=lambda pair: pair[0])
    rest = [c for c in facts if c.partner_id not in names]
    if rest:
        summed = {f.name: sum(getattr(c, f.name) for c in rest)
                  for f in dataclasses.fields(Completeness) if f.name != "partner_id"}
        named.append((f"{UNNAMED} ({len(rest)})", Completeness(0, **summed)))
    return named
