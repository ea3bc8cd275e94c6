"""Labels and entity names as a reader of the page's language should see them.

Taxonomy titles and definitions read in the page's language from the core's ``vocab``
catalogue (``accord/i18n/locale/<locale>/LC_MESSAGES/vocab.po``); the stored label
stays ``namespace:value``. An entity is never translated: it shows its primary name
with its reference, or, to a reader whose script that name is not written in, the
alias its sources publish in the reader's script (``Hans`` for Simplified Chinese).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.core import get_global

from accord.entities.service import entity_get
from accord.errors import NotFound
from accord.i18n import translate
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

    def _word(self, text: str) -> str:
        return translate(self.locale, "vocab", text)

    def entry(self, label: str) -> TaxonomyEntry | None:
        """The taxonomy entry a stored label cites (None for entity references)."""
        namespace, _, value = label.partition(":")
        return self.taxonomy.entry(Label(namespace, value))

    def namespace(self, label: str) -> str:
        """The translated title of a label's namespace (``Behaviour``, ``行为``)."""
        name = label.partition(":")[0]
        for ns in self.taxonomy.namespaces:
            if ns.name == name:
                return self._word(ns.title)
        return name

    def title(self, label: str) -> str:
        """The translated title of a label's value, or its reference as stored."""
        entry = self.entry(label)
        if entry is None:
            return label.partition(":")[2] or label
        title = self._word(entry.title)
        if title == entry.title and self.locale.startswith("zh") and entry.title_zh:
            return entry.title_zh  # a node's own taxonomy may carry titles no catalogue has
        return title

    def definition(self, label: str) -> str:
        """The translated definition of a label's taxonomy entry ('' for entity references)."""
        entry = self.entry(label)
        return "" if entry is None else self._word(entry.definition)

    def entity_name(self, entity: r.Entity) -> str:
        """The designation's primary name with its reference (``Al-Qaida (QDe.004)``).

        The primary name is the one the source lists first. Only a reader whose script
        the primary name is not written in gets the alias the sources publish in that
        script instead (``基地组织 (QDe.004)`` for Simplified Chinese), where there is
        one; an English reader never gets an arbitrary Latin alias ("The Base").
        """
        script, name = script_of(self.locale), entity.name
        if written_in(entity.name) != script:
            name = next((a.name for a in entity.aliases if a.script == script), entity.name)
        return f"{name} ({entity.ref})"


_SCRIPT_WORDS = (("LATIN", "Latn"), ("CJK", "Hans"), ("ARABIC", "Arab"),
                 ("CYRILLIC", "Cyrl"), ("HIRAGANA", "Jpan"), ("KATAKANA", "Jpan"),
                 ("HANGUL", "Kore"), ("HEBREW", "Hebr"), ("DEVANAGARI", "Deva"))


def written_in(text: str) -> str:
    """The ISO 15924 script of the first letter of ``text`` ('' when it has none)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            return next((code for word, code in _SCRIPT_WORDS if name.startswith(word)), "")
    return ""


def entities_for(db: Database, labels: Iterable[str]) -> dict[str, r.Entity]:
    """The stored entity of each ``entity:`` label among ``labels`` (unknown ones left out)."""
    found: dict[str, r.Entity] = {}
    for label in sorted(set(labels)):
        if label.startswith("entity:"):
            # A label may cite an entity this node has not imported (yet): shown bare.
            with contextlib.suppress(NotFound):
                found[label] = entity_get(db, label.partition(":")[2])
    return found
