"""The places an incident filter or report may name, and their canonical spelling.

Regions come from the GTD codebook (``codebook.REGIONS``); countries and provinces
are those of the incidents the reader may see (the one visibility rule), so a
picklist never shows a place the reader could not otherwise learn of. The one
home of a place's canonical value: :func:`canonical_scope` maps what was typed
("freedonia", "south asia") to the stored spelling, and refuses a place that is
neither in the codebook nor among the incidents the reader may see.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from accord.errors import Invalid, trimmed
from accord.incidents.codebook import REGION, REGIONS
from accord.incidents.service import Scope, visible_incidents
from accord.sharing.roles import Actor
from accord.store.database import Database


@dataclasses.dataclass(frozen=True, slots=True)
class Places:
    """The picklists: codebook regions, visible countries, visible provinces by country."""

    regions: list[str]
    countries: list[str]
    provinces: dict[str, list[str]]

    def provinces_of(self, country: str | None) -> list[str]:
        """The provinces recorded for ``country`` (every one when none is chosen)."""
        if country:
            return self.provinces.get(country, [])
        return sorted({p for names in self.provinces.values() for p in names})


def places(db: Database, actor: Actor) -> Places:
    """The regions of the codebook and the countries and provinces of the incidents
    ``actor`` may see, sorted."""
    with db.reader() as session:
        seen = visible_incidents(session, actor).subquery()
        rows = session.execute(select(seen.c.country_txt, seen.c.provstate).distinct())
        provinces: dict[str, set[str]] = {}
        for country, province in rows:
            if country:
                provinces.setdefault(str(country), set())
                if province:
                    provinces[str(country)].add(str(province))
    return Places([REGIONS[c] for c in sorted(REGIONS)], sorted(provinces),
                  {c: sorted(p) for c, p in sorted(provinces.items())})


def _pick(what: str, typed: str | None, known: list[str]) -> str | None:
    text = (typed or "").strip()
    if not text:
        return None
    found = {name.casefold(): name for name in known}.get(text.casefold())
    if found is None and what == "country":
        raise Invalid("country {place} is not one of the list", place=trimmed(text),
                      hint="choose a country from the list")
    if found is None:
        raise Invalid("province {place} is not one of the list", place=trimmed(text),
                      hint="choose a province from the list")
    return found


def canonical_scope(scope: Scope, known: Places) -> Scope:
    """``scope`` with its region, country and province as stored; ``Invalid`` for a
    region not in the codebook or a country or province no visible incident has."""
    region = None
    if scope.region and scope.region.strip():
        region = REGION.label(REGION.code("", scope.region))
    country = _pick("country", scope.country, known.countries)
    province = _pick("province", scope.province, known.provinces_of(country))
    return dataclasses.replace(scope, region=region, country=country, province=province)
