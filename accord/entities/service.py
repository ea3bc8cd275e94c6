"""Entities (organisations, never persons) and their designations by public lists."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.entities.un_list import detect_script, parse_un_list
from accord.errors import Invalid, NotFound, trimmed
from accord.sharing.roles import CAN_CURATE, Actor
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database
from accord.store.models.entities import ALIAS_MAX_CHARS

_REF = re.compile(r"^[a-z0-9][a-z0-9.-]{0,99}$")


def ref_from_reference(reference: str) -> str:
    """The entity label reference for a list reference: ``QDe.004`` -> ``qde-004``."""
    slug = re.sub(r"[^a-z0-9]+", "-", reference.strip().lower()).strip("-")
    if not slug:
        raise Invalid("designation reference {reference} has no letters or digits",
                      reference=trimmed(reference))
    return slug


@dataclass(frozen=True, slots=True)
class EntityInput:
    """An organisation as a list or a curator gives it."""

    ref: str
    name: str
    aliases: tuple[r.AliasRecord, ...] = ()
    designations: tuple[r.DesignationRecord, ...] = ()


@dataclass
class EntityImportReport:
    """What an entity import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    individuals_dropped: int = 0
    warnings: list[str] = field(default_factory=list)


def _record(session: Session, row: m.Entity) -> r.Entity:
    aliases = session.execute(select(m.EntityAlias).where(m.EntityAlias.entity_id == row.id)
                              .order_by(m.EntityAlias.id)).scalars()
    designations = session.execute(select(m.Designation).where(m.Designation.entity_id == row.id)
                                   .order_by(m.Designation.source, m.Designation.reference)
                                   ).scalars()
    return r.Entity(
        row.id, row.ref, row.name,
        tuple(r.AliasRecord(a.name, a.script) for a in aliases),
        tuple(r.DesignationRecord(d.source, d.reference, d.listed_on, d.delisted_on)
              for d in designations),
    )


def _upsert(session: Session, actor: Actor, given: EntityInput) -> str:
    """Create or update one entity; returns "created", "updated" or "unchanged"."""
    ref = given.ref.strip().lower()
    if not _REF.match(ref):
        raise Invalid("entity reference {ref} is not allowed",
                      hint="use lower-case letters, digits, '.' and '-', e.g. qde-004",
                      ref=trimmed(given.ref))
    if not given.name.strip():
        raise Invalid("entity {ref} has no name", ref=ref)
    row = session.execute(select(m.Entity).where(m.Entity.ref == ref)).scalar_one_or_none()
    outcome = "unchanged"
    if row is None:
        row = m.Entity(ref=ref, name=given.name.strip()[:300])
        session.add(row)
        session.flush()
        outcome = "created"
    elif row.name != given.name.strip()[:300]:
        row.name, outcome = given.name.strip()[:300], "updated"
    known_aliases = set(session.execute(
        select(m.EntityAlias.name).where(m.EntityAlias.entity_id == row.id)).scalars())
    for alias in given.aliases:
        name = alias.name.strip()[:ALIAS_MAX_CHARS]
        if name and name not in known_aliases:
            session.add(m.EntityAlias(entity_id=row.id, name=name, script=alias.script[:4]))
            known_aliases.add(name)
            outcome = "updated" if outcome == "unchanged" else outcome
    for d in given.designations:
        stored = session.execute(select(m.Designation).where(
            m.Designation.entity_id == row.id, m.Designation.source == d.source,
            m.Designation.reference == d.reference)).scalar_one_or_none()
        if stored is None:
            session.add(m.Designation(entity_id=row.id, source=d.source, reference=d.reference,
                                      listed_on=d.listed_on, delisted_on=d.delisted_on))
            outcome = "updated" if outcome == "unchanged" else outcome
        elif (stored.listed_on, stored.delisted_on) != (d.listed_on, d.delisted_on):
            stored.listed_on, stored.delisted_on = d.listed_on, d.delisted_on
            outcome = "updated" if outcome == "unchanged" else outcome
    session.flush()
    if outcome != "unchanged":
        audit.record(session, actor, audit.AuditAction.ENTITY_ADD if outcome == "created"
                     else audit.AuditAction.ENTITY_UPDATE,
                     "entity", ref, {
                         "name": row.name,
                         "designations": [f"{d.source}:{d.reference}" for d in given.designations],
                     })
    return outcome


def entity_add(db: Database, actor: Actor, given: EntityInput) -> r.Entity:
    """Create or update one entity (a national or regional listing, say)."""
    actor.require(CAN_CURATE, "add entities")
    with db.transaction() as session:
        _upsert(session, actor, given)
        row = session.execute(select(m.Entity).where(m.Entity.ref == given.ref.strip().lower())
                              ).scalar_one()
        return _record(session, row)


def import_entities(db: Database, actor: Actor, entities: list[EntityInput],
                    report: EntityImportReport) -> EntityImportReport:
    """Upsert many entities in one transaction; counts go into ``report``."""
    actor.require(CAN_CURATE, "import entities")
    with db.transaction() as session:
        for given in entities:
            outcome = _upsert(session, actor, given)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def import_un_list(db: Database, actor: Actor, path: Path) -> EntityImportReport:
    """Import the UN Security Council Consolidated List XML: organisations only."""
    parsed = parse_un_list(path)
    report = EntityImportReport(individuals_dropped=parsed.individuals_dropped,
                                warnings=list(parsed.warnings))
    inputs = []
    for e in parsed.entities:
        d = e.designation
        aliases = [r.AliasRecord(a.name, a.script) for a in e.aliases]
        if e.original_script_name:
            aliases.append(r.AliasRecord(e.original_script_name,
                                         detect_script(e.original_script_name)))
        inputs.append(EntityInput(
            ref=ref_from_reference(d.reference), name=e.name, aliases=tuple(aliases),
            designations=(r.DesignationRecord(d.source, d.reference, d.listed_on,
                                              d.delisted_on),),
        ))
    return import_entities(db, actor, inputs, report)


def entity_list(db: Database) -> list[r.Entity]:
    """Every entity, by name, with aliases and designations."""
    with db.reader() as session:
        rows = session.execute(select(m.Entity).order_by(m.Entity.name)).scalars().all()
        return [_record(session, e) for e in rows]


def name_key(text: str) -> str:
    """A name as a search compares it: NFKC-normalised (full-width Latin letters read as
    ASCII ones), case-folded, hyphens and runs of spaces read as one space."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("-", " ")
    return " ".join(folded.split())


def entity_search(db: Database, text: str) -> list[r.Entity]:
    """Entities whose reference, name, any alias or any designation's list reference
    (``QDe.088``) holds ``text``, in whatever script the
    alias is written (``东突厥斯坦伊斯兰运动``, ``ETIM`` and ``TIP`` find the same
    organisation when its sources publish those names). Names are never translated or
    transliterated: a name matches as its source writes it. Entities with a name or alias
    equal to ``text`` come first, then the others, each group by name; an empty ``text``
    finds nothing (use ``entity_list``)."""
    wanted = name_key(text)
    if not wanted:
        return []
    exact, partial = [], []
    for entity in entity_list(db):
        names = [name_key(n) for n in (entity.ref, entity.name, *(a.name for a in entity.aliases),
                                       *(d.reference for d in entity.designations))]
        if wanted in names:
            exact.append(entity)
        elif any(wanted in n for n in names):
            partial.append(entity)
    return exact + partial


def entity_get(db: Database, ref: str) -> r.Entity:
    """One entity by its reference (``qde-004``)."""
    with db.reader() as session:
        row = session.execute(select(m.Entity).where(m.Entity.ref == ref.strip().lower())
                              ).scalar_one_or_none()
        if row is None:
            raise NotFound("no entity {ref}", hint="list them with: accord entity list",
                           ref=trimmed(ref))
        return _record(session, row)


def parse_designation(text: str) -> r.DesignationRecord:
    """``SOURCE:REFERENCE:LISTED[:DELISTED]`` (dates YYYY-MM-DD) as a designation."""
    parts = text.split(":")
    if len(parts) not in (3, 4) or not parts[0].strip() or not parts[1].strip():
        raise Invalid("designation {text} should be SOURCE:REFERENCE:LISTED[:DELISTED]",
                      hint="e.g. UN-SC:QDe.004:2001-10-06 or EU:EU-2002-334:2002-05-02",
                      text=trimmed(text))

    def day(value: str) -> dt.date | None:
        if not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("date {value} in designation {text} is not YYYY-MM-DD",
                          value=trimmed(value), text=trimmed(text)) from None

    listed = day(parts[2])
    delisted = day(parts[3]) if len(parts) == 4 else None
    if listed and delisted and delisted < listed:
        raise Invalid("designation {text} is delisted before it was listed", text=trimmed(text))
    return r.DesignationRecord(parts[0].strip(), parts[1].strip(), listed, delisted)
