"""The one check for free text a service stores or shares: length, NUL, then personal data.

Every service calls this module before it writes a free text, so every edge
(API, CLI, web UI, file imports, TAXII) gets the check because the service
does; no edge checks on its own. The free texts, by service (the inventory,
also in docs/safeguards.md):

- signals (``accord.curation.signals.SignalPreparer``, the path of a single
  add, a bulk import, a MISP/TCAP/HMA/file import and a TAXII or sync
  ingest): rationale, source reference; retraction reason; opinion note
  (disputes, false-positive reports and their notes); bank description;
- review: verdict rationale (``accord.review.service``);
- incidents: city, province and group name of an added or imported incident
  and a flow's destination (place texts), statements, flow sources, crisis
  debriefs;
- cooperation: request text and answers, liaison titles, venues, agenda and
  action items, programme titles, indicators and assessments;
- sharing: channel names and descriptions, API key labels (webhooks have no
  free text: their URLs are checked by ``accord.safeguards.outbound``).

``checked_text`` is the entry for one text; ``TextChecker`` the same check for
the many texts of a bulk import (the exempt names read once, each distinct
text checked once); ``opaque_ref`` is the rule for ``content_ref``, the
platform's own opaque id for a piece of content, which is never scanned (it is
the platform's key, not prose) but held to 1-200 printable characters.
``exempt_names`` lists the names on this node (entities, their aliases,
partners) the detector must not flag.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import Invalid, trimmed
from accord.safeguards.personal_data import PersonalDataFound, check_text
from accord.store import models as m

__all__ = ["CONTENT_REF_MAX", "TEXT_MAX", "PersonalDataFound", "TextChecker", "checked_text",
           "exempt_names", "opaque_ref"]

TEXT_MAX = 4000
CONTENT_REF_MAX = 200
# Source references Accord's importers write: the format's prefix and the id the source
# gave it (misp:<uuid>, tat:<TCAP id>); opaque ids, like content_ref.
_MACHINE_REF = re.compile(r"(?:misp|tat|hma):[A-Za-z0-9._:-]{1,200}")


def exempt_names(session: Session) -> list[str]:
    """Names the personal-data detector must not flag: entities, their aliases, partners."""
    names = list(session.execute(select(m.Entity.name)).scalars())
    names += session.execute(select(m.EntityAlias.name)).scalars()
    names += session.execute(select(m.Partner.name)).scalars()
    return names


def shaped(field: str, text: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    """``text`` stripped, or ``Invalid`` when empty but required, too long, or holding NUL."""
    text = text.strip()
    if required and not text:
        raise Invalid("the {field} is empty", field=field)
    if len(text) > limit:
        raise Invalid("the {field} has {text_count} characters; the limit is {limit}", field=field,
                      text_count=len(text), limit=limit)
    if "\x00" in text:
        raise Invalid("the {field} holds a NUL character", field=field)
    return text


def checked_text(session: Session, field: str, text: str, *, required: bool = False,
                 limit: int = TEXT_MAX, place: bool = False) -> str:
    """Free text, checked for length and personal data (``PersonalDataFound`` naming the
    field and the kinds found, never the value). ``place``: the text names a place or
    a group, often named after people, so bare name shapes are not refused there."""
    text = shaped(field, text, required=required, limit=limit)
    return check_text(field, text, exempt_names(session), place=place) if text else text


def opaque_ref(text: str, *, what: str = "content reference",
               limit: int = CONTENT_REF_MAX) -> str:
    """A platform's own opaque id for content, checked: 1-``limit`` printable characters.

    Never scanned for personal data: it is the platform's key for its own lookup
    (an upload id, a database key), and must say nothing about a person.
    """
    ref = text.strip()
    if not ref or len(ref) > limit or not ref.isprintable():
        raise Invalid("{what} {text} is not 1-{limit} printable characters",
                      hint="send your own opaque id for the content (e.g. an upload id), never "
                           "the content, a URL to it or anything about a user", what=what,
                      text=trimmed(text, 40), limit=limit)
    return ref


class TextChecker:
    """The free-text check for many texts in one session (a bulk import's rows).

    The exempt names are read once, on the first text (or by ``ready``), and each
    distinct text is checked once; an empty text passes.
    """

    def __init__(self, session: Session, allowed: Iterable[str] | None = None) -> None:
        self.session = session
        self.allowed: frozenset[str] | None = None if allowed is None else frozenset(allowed)
        self.clean: set[tuple[str, bool]] = set()

    def ready(self) -> TextChecker:
        """Read the exempt names now, so the checker outlives its session."""
        if self.allowed is None:
            self.allowed = frozenset(exempt_names(self.session))
        return self

    def source(self, text: str, *, is_id: bool = False, limit: int = 500) -> str:
        """A signal's source reference: an opaque id when the source gave one (``is_id``:
        a platform's content id, as HMA's API takes; or a ``misp:``/``tat:`` reference an
        importer wrote), otherwise free text, checked."""
        text = text.strip()
        if text and (is_id or _MACHINE_REF.fullmatch(text)):
            return opaque_ref(text, what="source reference", limit=limit)
        return self.check("source reference", text, limit=limit)

    def check(self, field: str, text: str, *, required: bool = False,
              limit: int = TEXT_MAX, place: bool = False) -> str:
        """``text`` stripped, or ``Invalid``/``PersonalDataFound`` naming the field."""
        text = shaped(field, text, required=required, limit=limit)
        if text and (text, place) not in self.clean:
            check_text(field, text, self.ready().allowed or (), place=place)
            self.clean.add((text, place))
        return text
