"""The one check for free text written into a record: length, NUL, then personal data.

``checked_text`` is what every service calls on free text a partner writes;
``exempt_names`` lists the names on this node (entities, their aliases,
partners) the personal-data detector must not flag.

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
