"""A public statement on an incident as a STIX 2.1 ``note``: its one writer and one reader.

The mapping (docs/stix-mapping.md, "Public statements"):

=====================  ==========================================================
note property          statement
=====================  ==========================================================
``id``                 ``note--uuid5(node, statement id)`` (stable: versions, no copies)
``created_by_ref``     the speaker's ``identity`` on its node
``authors``            the speaker's name
``abstract``           kind and speaker, in English ("Condemnation by Agency A")
``content``            the statement's short text (or a sentence saying what it is)
``lang``               the statement's language (BCP 47), when it was made
``external_references`` the public URL (``source_name`` ``public-statement``)
``object_refs``        the incident: ``incident--uuid5(node, incident id)``
``object_marking_refs`` the statement's TLP 2.0 marking
extension              ``kind``, ``spoken_at``, ``eventid``, ``incident_date``
=====================  ==========================================================

Incidents do not travel over TAXII; a receiving node ties the statement to its
own copies of the incident by the GTD ``eventid`` in the extension.

Receiving (``ingest_statements``, the hook of ``taxii.ingest``): a note with
this extension is checked (kind, times, language, URL, TLP, personal data in
its text) and stored as a statement received from ``source``, owned by the
receiving bank's partner and shared as its bank shares (AMBER in its channel);
a newer version of a note already held replaces it, an older one changes
nothing. Received statements are never passed on.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from accord import audit
from accord.curation.banks import find_bank
from accord.curation.report import ImportReport, Refusal, object_id
from accord.errors import AccordError, Invalid, PermissionDenied, trimmed
from accord.exchange.stix_common import (
    ACCORD_IDENTITY_ID,
    EXTENSION_CREATED,
    EXTENSION_VERSION,
    TLP_MARKING_IDS,
    parse_stix_time,
    stix_id,
    stix_time,
    tlp_of_markings,
)
from accord.incidents import statements as st
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import Actor
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Purpose, Viewer
from accord.store import models as m
from accord.store.database import Database

STATEMENT_EXTENSION_ID = "extension-definition--f3a761db-424a-5e09-afed-df4df746edf3"
"""Accord statement extension v1: ``uuid5(ACCORD_NAMESPACE,
"extension-definition:accord-statement")``. A wire constant."""

URL_SOURCE = "public-statement"
_TITLES = {"condemnation": "Condemnation", "condolence": "Condolence",
           "concern": "Statement of concern", "other": "Statement", "none": "No statement"}


def statement_extension_definition() -> dict[str, Any]:
    """The published ``extension-definition`` of the statement extension."""
    return {
        "type": "extension-definition", "spec_version": "2.1", "id": STATEMENT_EXTENSION_ID,
        "created_by_ref": ACCORD_IDENTITY_ID, "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED, "name": "Accord public statement extension",
        "description": "On a note: a partner's public statement on an incident (kind "
                       "condemnation, condolence, concern, other, or none: it made none), "
                       "when it was made, and the incident's GTD eventid and date.",
        "schema": "The Public statements section of docs/stix-mapping.md in the Accord "
                  "source: kind, spoken_at, eventid, incident_date.",
        "version": EXTENSION_VERSION, "extension_types": ["property-extension"],
    }


# -- Writing ------------------------------------------------------------------------------


def statement_note(row: m.IncidentStatement, node_id: str) -> dict[str, Any]:
    """The ``note`` of a statement recorded on node ``node_id``."""
    title = f"{_TITLES[row.kind]} by {row.speaker}"
    where = f"incident {row.eventid}" if row.eventid else "an incident"
    content = row.text or (f"{row.speaker} records that it has made no public statement on "
                           f"{where}." if row.kind == st.Kind.NONE else f"{title} on {where}.")
    incident = row.incident_id if row.incident_id is not None else row.eventid
    ext: dict[str, Any] = {"extension_type": "property-extension", "kind": row.kind}
    if row.spoken_at is not None:
        ext["spoken_at"] = stix_time(row.spoken_at)
    if row.eventid:
        ext["eventid"] = row.eventid
    if row.incident_date is not None:
        ext["incident_date"] = row.incident_date.isoformat()
    obj: dict[str, Any] = {
        "type": "note", "spec_version": "2.1", "id": stix_id("note", node_id, row.id),
        "created_by_ref": stix_id("identity", node_id, row.owner_partner_id),
        "created": stix_time(row.recorded_at),
        "modified": stix_time(max(row.updated_at, row.recorded_at)),
        "abstract": title, "content": content, "authors": [row.speaker],
        "object_refs": [stix_id("incident", node_id, incident or row.id)],
    }
    if row.language:
        obj["lang"] = row.language
    if row.url:
        obj["external_references"] = [{"source_name": URL_SOURCE, "url": row.url}]
    obj["object_marking_refs"] = [TLP_MARKING_IDS[Tlp(row.tlp)]]
    obj["extensions"] = {STATEMENT_EXTENSION_ID: ext}
    return obj


# -- Serving (the TAXII pages' hook) ---------------------------------------------------------


def leaving_clause(viewer: Viewer) -> ColumnElement[bool]:
    """Statements that may leave this node for ``viewer``: recorded here (received ones are
    never passed on), by a partner that opted in, allowed off the node by their marking."""
    return (m.IncidentStatement.origin.is_(None)
            & st.shown_clause(viewer, Purpose.LEAVE_NODE)
            & m.IncidentStatement.partner_id.in_(
                select(m.Partner.id).where(m.Partner.report_opt_in).scalar_subquery()))


def served_rows(session: Session, viewer: Viewer, tlp: Tlp, channel_id: int | None,
                after: int, limit: int, added_after: dt.datetime | None = None,
                ) -> list[m.IncidentStatement]:
    """Up to ``limit`` statements of one collection (``tlp``, ``channel_id``) after cursor
    ``after``, in cursor order, that ``viewer`` may receive (never its own back)."""
    query = select(m.IncidentStatement).where(
        m.IncidentStatement.tlp == tlp.value, leaving_clause(viewer),
        m.IncidentStatement.sync_seq > after)
    if viewer.partner_id is not None:
        query = query.where(m.IncidentStatement.owner_partner_id != viewer.partner_id)
    if channel_id is not None:
        query = query.where(m.IncidentStatement.channel_id == channel_id)
    if added_after is not None:
        query = query.where(m.IncidentStatement.updated_at > added_after)
    found = session.execute(query.order_by(m.IncidentStatement.sync_seq).limit(limit))
    return list(found.scalars())


def pushable_notes(db: Database, node_id: str, bank_id: int, channel_id: int | None,
                   after: int, limit: int) -> list[tuple[dict[str, Any], int]]:
    """``accord sync``'s push: the notes of the statements of the partner owning the peer's
    bank that may leave for the peer (``Viewer.peer(channel_id)``), after ``after``, in
    cursor order, with their cursor numbers."""
    with db.reader() as session:
        owner = session.get_one(m.Bank, bank_id).owner_partner_id
        rows = session.execute(select(m.IncidentStatement).where(
            m.IncidentStatement.partner_id == owner, leaving_clause(Viewer.peer(channel_id)),
            m.IncidentStatement.sync_seq > after)
            .order_by(m.IncidentStatement.sync_seq).limit(limit)).scalars().all()
        return [(statement_note(r, node_id), r.sync_seq) for r in rows]


# -- Reading ------------------------------------------------------------------------------


def is_statement(obj: object) -> bool:
    """True for a ``note`` carrying the statement extension."""
    if not isinstance(obj, Mapping) or obj.get("type") != "note":
        return False
    ext = obj.get("extensions")
    return isinstance(ext, Mapping) and STATEMENT_EXTENSION_ID in ext


@dataclass(frozen=True, slots=True)
class Received:
    """A statement read from a note."""

    stix_id: str
    modified: dt.datetime
    speaker: str
    speaker_ref: str | None
    kind: str
    spoken_at: dt.datetime | None
    language: str | None
    url: str | None
    text: str
    eventid: str | None
    incident_date: dt.date | None
    tlp: Tlp


def _text(obj: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Invalid("note {object_id}: {key} {value} is not a text of at most {limit} characters",
                      object_id=object_id(obj), key=key, value=trimmed(value), limit=limit)
    return value


def read_note(obj: Mapping[str, Any]) -> Received:
    """The statement a note carries; ``Invalid`` naming the note when it is not usable."""
    ext = obj["extensions"][STATEMENT_EXTENSION_ID]
    name = object_id(obj)
    if not isinstance(ext, Mapping):
        raise Invalid("note {name}: the statement extension is not an object", name=name)
    try:
        kind = st.Kind.parse(str(ext.get("kind", "")))
        modified = parse_stix_time(str(obj.get("modified") or obj.get("created")))
        spoken = ext.get("spoken_at")
        spoken_at = parse_stix_time(str(spoken)) if spoken is not None else None
        day = ext.get("incident_date")
        incident_date = dt.date.fromisoformat(str(day)) if day is not None else None
    except ValueError:
        raise Invalid("note {name}: a time or date in it is not RFC 3339", name=name) from None
    authors = obj.get("authors")
    if not (isinstance(authors, list) and authors and isinstance(authors[0], str)
            and 0 < len(authors[0].strip()) <= 200):
        raise Invalid("note {name} names no speaker (authors)", name=name)
    refs = obj.get("object_marking_refs", [])
    tlp = tlp_of_markings(refs if isinstance(refs, list) else [])
    if tlp is None:
        raise Invalid("note {name} carries no TLP marking",
                      hint="a statement travels with its TLP 2.0 marking", name=name)
    language, url = _text(obj, "lang", 35), None
    for ref in obj.get("external_references", []) or []:
        if isinstance(ref, Mapping) and ref.get("source_name") == URL_SOURCE:
            url = _text(ref, "url", 2000)
    if kind is not st.Kind.NONE and (spoken_at is None or not language or not url):
        raise Invalid("note {name}: a {kind} needs spoken_at, lang and a {url_source} URL",
                      name=name, kind=kind.value, url_source=URL_SOURCE)
    eventid = _text(ext, "eventid", 20)
    if not eventid:
        raise Invalid("note {name} names no incident eventid",
                      hint="a node ties a received statement to its incident by GTD eventid",
                      name=name)
    created_by = obj.get("created_by_ref")
    return Received(
        stix_id=str(obj["id"])[:100], modified=modified, speaker=authors[0].strip(),
        speaker_ref=created_by if isinstance(created_by, str) else None, kind=kind.value,
        spoken_at=spoken_at, language=st.language_tag(language) if language else None,
        url=st.public_url(url) if url else None, text=_text(obj, "content", st.TEXT_LIMIT) or "",
        eventid=eventid, incident_date=incident_date, tlp=tlp)


# -- Storing --------------------------------------------------------------------------------


def ingest_statements(db: Database, actor: Actor, bank: int | str, objects: Sequence[object],
                      report: ImportReport, *, source: str) -> None:
    """Store the statement notes among ``objects`` (the others are left to the caller),
    counting each in ``report``; one bad note never stops the others."""
    for number, obj in enumerate(objects, start=1):
        if not is_statement(obj):
            continue
        assert isinstance(obj, Mapping)
        try:
            with db.transaction() as session:
                fresh = _store(session, actor, bank, read_note(obj), source)
        except AccordError as exc:
            report.add_error(Refusal(number, exc.message, id=object_id(obj)))
            continue
        if fresh:
            report.imported += 1
        else:
            report.duplicates += 1
        report.succeed(obj)


def _store(session: Session, actor: Actor, bank: int | str, got: Received, source: str) -> bool:
    """Insert or update the statement; False when this version (or a newer) is held.

    A partner's member (a TAXII POST) may send its own partner's statements only: a peer
    node (the operator's sync) relays its partners', named as received from it."""
    if actor.partner_id is not None:
        own = session.get_one(m.Partner, actor.partner_id).name
        if got.speaker != own:
            raise PermissionDenied("{name} may not send a statement by {speaker}: it belongs to "
                                   "another partner",
                                   hint="a partner sends its own statements only", name=actor.name,
                                   speaker=trimmed(got.speaker))
    text = checked_text(session, "statement text", got.text, limit=st.TEXT_LIMIT)
    held = session.execute(select(m.IncidentStatement).where(
        m.IncidentStatement.stix_id == got.stix_id)).scalar_one_or_none()
    if held is not None and held.updated_at >= got.modified:
        return False
    target = find_bank(session, bank)
    shared = got.tlp in (Tlp.AMBER, Tlp.AMBER_STRICT)
    values: dict[str, Any] = {
        "eventid": got.eventid, "incident_date": got.incident_date, "speaker": got.speaker,
        "speaker_ref": got.speaker_ref, "kind": got.kind, "spoken_at": got.spoken_at,
        "language": got.language, "url": got.url, "text": text,
        "owner_partner_id": target.owner_partner_id, "tlp": got.tlp.value,
        "channel_id": target.channel_id if shared else None, "origin": source,
        "contributor": actor.name, "updated_at": got.modified}
    if held is None:
        held = m.IncidentStatement(stix_id=got.stix_id, incident_id=None, partner_id=None,
                                   recorded_at=got.modified, sync_seq=0, **values)
        session.add(held)
    else:
        for key, value in values.items():
            setattr(held, key, value)
    session.flush()
    audit.record(session, actor, audit.AuditAction.INCIDENT_STATEMENT_RECEIVE,
                 "incident_statement", held.id, {
                     "stix_id": got.stix_id, "source": source, "kind": got.kind,
                     "eventid": got.eventid, "tlp": got.tlp.value})
    held.sync_seq = st.next_seq(session)
    return True
