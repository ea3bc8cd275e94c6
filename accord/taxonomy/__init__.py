"""Accord's published label taxonomy and the check every label goes through.

Labels are ``namespace:value`` strings. ``entity`` values reference an
organisation stored in the database (and, through it, its designation
sources); ``content``, ``behaviour``, ``ideology`` and ``context`` values come
from the versioned file ``accord-taxonomy.json``. No label may name a faith,
people or nationality (see ``forbidden``). ``docs/taxonomy.md`` lists every
entry and explains the rules.
"""

from __future__ import annotations

from accord.taxonomy.forbidden import FORBIDDEN_TERMS, forbidden_terms_in
from accord.taxonomy.loader import SHIPPED_TAXONOMY, load_taxonomy
from accord.taxonomy.model import Label, Namespace, TaxonomyEntry
from accord.taxonomy.taxonomy import Taxonomy

__all__ = [
    "FORBIDDEN_TERMS",
    "SHIPPED_TAXONOMY",
    "Label",
    "Namespace",
    "Taxonomy",
    "TaxonomyEntry",
    "forbidden_terms_in",
    "load_taxonomy",
]
