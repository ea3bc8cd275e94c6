"""Labels and entity names as a reader of the page's language should see them.

Taxonomy entries carry their own translations (``title`` and ``title_zh`` in the
taxonomy file); an entity shows the alias written in the reader's script
(``Hans`` for Simplified Chinese) where it has one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.core import get_global

from accord.entities.service import entity_get
from accord.errors import NotFound
from accord.store import records as r
from accord.store.database import Database
from accord.taxonomy import Label, Taxonomy, TaxonomyEntry


@cache
def script_of(locale: str) -> str:
    """The ISO 15924 script a locale is written in (``Hans``, ``Latn``, ``Arab``)."""
    parsed = Locale.parse(locale)
    if parsed.script:
        return str(parsed.script)
    likely = str(get_global("likely_subtags").get(parsed.language, ""))  # "ar_Arab_EG"
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


class LabelNames:
    """Titles of labels and namespaces in one locale."""

    def __init__(self, taxonomy: Taxonomy, locale: str) -> None:
        self.taxonomy, self.locale = taxonomy, locale
        self._chinese = locale.startswith("zh")

    def entry(self, label: str) -> TaxonomyEntry | None:
        """The taxonomy entry a stored label cites (None for entity references)."""
        namespace, _, value = label.partition(":")
        return self.taxonomy.entry(Label(namespace, value))

    def namespace(self, label: str) -> str:
        """The translated title of a label's namespace (``Behaviour``, ``行为``)."""
        name = label.partition(":")[0]
        for ns in self.taxonomy.namespaces:
            if ns.name == name:
                return ns.title_zh if self._chinese and ns.title_zh else ns.title
        return name

    def title(self, label: str) -> str:
        """The translated title of a label's value, or its reference as stored."""
        entry = self.entry(label)
        if entry is None:
            return label.partition(":")[2] or label
        return entry.title_zh if self._chinese and entry.title_zh else entry.title

    def entity_name(self, entity: r.Entity) -> str:
        """The entity's name in the reader's script when it has one, else its main name."""
        script = script_of(self.locale)
        for alias in entity.aliases:
            if alias.script == script:
                return alias.name
        return entity.name


def entities_for(db: Database, labels: Iterable[str]) -> dict[str, r.Entity]:
    """The stored entity of each ``entity:`` label among ``labels`` (unknown ones left out)."""
    found: dict[str, r.Entity] = {}
    for label in sorted(set(labels)):
        if label.startswith("entity:"):
            # A label may cite an entity this node has not imported (yet): shown bare.
            with contextlib.suppress(NotFound):
                found[label] = entity_get(db, label.partition(":")[2])
    return found
