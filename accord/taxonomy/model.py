"""The taxonomy's values: labels, entries and namespaces (plain frozen data)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A namespace name or taxonomy value: lower-case words joined by single hyphens."""

REFERENCE = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
"""A reference value (``entity:qde-115``): a slug that may also contain dots."""

MAX_VALUE_LENGTH = 100

VERSION = re.compile(r"(\d{4})\.(\d+)")
"""A taxonomy version, ``YEAR.N``: ``2026.1`` is the first release of 2026."""


def version_key(version: str) -> tuple[int, int]:
    """Return ``version`` as a sortable ``(year, n)``; ``version`` must match ``VERSION``."""
    match = VERSION.fullmatch(version)
    if match is None:
        raise ValueError(f"not a taxonomy version: {version!r}")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True, slots=True)
class Label:
    """A checked ``namespace:value`` pair, as stored on a signal.

    Build labels with ``Taxonomy.check_label``; constructing one directly
    skips every check.
    """

    namespace: str
    value: str

    def __str__(self) -> str:
        return f"{self.namespace}:{self.value}"


@dataclass(frozen=True, slots=True)
class TaxonomyEntry:
    """One value of a closed namespace, with its titles and definition.

    ``added_in`` is the taxonomy version that introduced the value. Values are
    never renamed or removed: a retired value gets ``deprecated_in`` (and
    ``replaced_by`` when a successor exists) and stays valid on stored labels.
    """

    namespace: str
    value: str
    title: str
    title_zh: str
    definition: str
    added_in: str
    deprecated_in: str | None = None
    replaced_by: str | None = None

    @property
    def label(self) -> Label:
        """The label that cites this entry."""
        return Label(self.namespace, self.value)


@dataclass(frozen=True, slots=True)
class Namespace:
    """A namespace: closed (values listed in the file) or a reference namespace.

    A reference namespace (``entity``) lists no values: its values are
    references to objects stored elsewhere (an organisation and its
    designation sources), which the caller resolves.
    """

    name: str
    title: str
    title_zh: str
    definition: str
    references: bool
    entries: tuple[TaxonomyEntry, ...]
