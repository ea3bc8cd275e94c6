"""The one check for free text written into a record: length, NUL, then personal data.

``checked_text`` is what every service calls on free text a partner writes;
``TextChecker`` is the same personal-data check for the many texts of a bulk
import (the names read once); ``exempt_names`` lists the names on this node
(entities, their aliases, partners) the personal-data detector must not flag.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import Invalid
from accord.safeguards.personal_data import check_text
from accord.store import models as m

TEXT_MAX = 4000


def exempt_names(session: Session) -> list[str]:
    """Names the personal-data detector must not flag: entities, their aliases, partners."""
    names = list(session.execute(select(m.Entity.name)).scalars())
    names += session.execute(select(m.EntityAlias.name)).scalars()
    names += session.execute(select(m.Partner.name)).scalars()
    return names


def checked_text(session: Session, field: str, text: str, *, required: bool = False,
                 limit: int = TEXT_MAX) -> str:
    """Free text, checked for length and personal data (refused with what was found)."""
    text = text.strip()
    if required and not text:
        raise Invalid(f"the {field} is empty")
    if len(text) > limit:
        raise Invalid(f"the {field} has {len(text)} characters; the limit is {limit}")
    if "\x00" in text:
        raise Invalid(f"the {field} holds a NUL character")
    return check_text(field, text, exempt_names(session))


class TextChecker:
    """The personal-data check for many texts in one session (a bulk import's rows).

    The exempt names are read once, on the first text, and each distinct text is
    checked once; an empty text passes.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.allowed: list[str] | None = None
        self.clean: set[str] = set()

    def check(self, field: str, text: str) -> str:
        """``text`` unchanged, or ``PersonalDataFound`` when it looks like data on a person."""
        if text and text not in self.clean:
            if self.allowed is None:
                self.allowed = exempt_names(self.session)
            check_text(field, text, self.allowed)
            self.clean.add(text)
        return text
