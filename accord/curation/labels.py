"""Checking label text against the taxonomy and the stored entities."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import Invalid, trimmed
from accord.store import models as m
from accord.taxonomy import Taxonomy, load_taxonomy


class LabelChecker:
    """Turns label text into canonical ``namespace:value`` strings, or raises ``Invalid``.

    Taxonomy labels are checked against the taxonomy; ``entity:<ref>`` labels
    must name an entity stored on this node. Answers are cached, so checking
    a million rows with a few distinct labels costs a few dictionary lookups.
    """

    def __init__(self, session: Session, taxonomy: Taxonomy | None = None) -> None:
        self._session = session
        self._taxonomy = taxonomy or load_taxonomy()
        self._cache: dict[str, str] = {}

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy labels are checked against."""
        return self._taxonomy

    def check(self, text: str) -> str:
        """The canonical form of one label."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        label = self._taxonomy.check_label(text)
        if label.namespace == "entity":
            found = self._session.execute(
                select(m.Entity.id).where(m.Entity.ref == label.value)
            ).first()
            if found is None:
                raise Invalid("label {text} names no entity on this node",
                              hint="import designation lists with `accord entity import`, then "
                                   "use entity:<ref> as `accord entity list` shows it",
                              text=trimmed(text))
        canonical = str(label)
        self._cache[text] = canonical
        return canonical

    def check_all(self, texts: Iterable[str]) -> tuple[str, ...]:
        """Canonical labels, de-duplicated and sorted."""
        return tuple(sorted({self.check(t) for t in texts if t.strip()}))


def split_labels(text: str) -> list[str]:
    """Labels written in one field, separated by ``;``, ``|`` or ``,``."""
    for sep in "|,":
        text = text.replace(sep, ";")
    return [part.strip() for part in text.split(";") if part.strip()]
