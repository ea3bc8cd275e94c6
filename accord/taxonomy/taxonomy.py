"""The ``Taxonomy`` class: look up entries and check label text against them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from accord.errors import Invalid, trimmed
from accord.taxonomy.forbidden import REFUSAL, forbidden_terms_in
from accord.taxonomy.model import MAX_VALUE_LENGTH, REFERENCE, SLUG, Label, Namespace, TaxonomyEntry

_MAX_LABEL_TEXT = 200
_SPACES = re.compile(r"[\s_]+")
_EXAMPLE = "e.g. behaviour:recruitment"


class Taxonomy:
    """A loaded, validated taxonomy: namespaces, their entries, and the label check.

    Get one from ``load_taxonomy()``; a ``Taxonomy`` is immutable once built.
    """

    def __init__(self, name: str, version: str, namespaces: Iterable[Namespace]) -> None:
        self.name = name
        self.version = version
        self._namespaces = {namespace.name: namespace for namespace in namespaces}
        self._entries = {
            (entry.namespace, entry.value): entry
            for namespace in self._namespaces.values()
            for entry in namespace.entries
        }

    def __repr__(self) -> str:
        return f"Taxonomy(name={self.name!r}, version={self.version!r})"

    @property
    def namespaces(self) -> tuple[Namespace, ...]:
        """Every namespace, in file order."""
        return tuple(self._namespaces.values())

    def entries(self, namespace: str | None = None) -> tuple[TaxonomyEntry, ...]:
        """Every entry, or those of one namespace (an unknown namespace raises ``Invalid``)."""
        if namespace is None:
            return tuple(self._entries.values())
        return self._namespace(namespace).entries

    def entry(self, label: Label) -> TaxonomyEntry | None:
        """The entry ``label`` cites, or None (reference labels have no entry)."""
        return self._entries.get((label.namespace, label.value))

    def check_label(self, text: str) -> Label:
        """Normalise ``text`` and return the ``Label`` it names, or raise ``Invalid``.

        Case is folded, surrounding spaces dropped, and spaces or underscores
        inside the value become hyphens: ``" Behaviour : Incitement to violence"``
        gives ``behaviour:incitement-to-violence``. Refused: text that is not
        ``namespace:value``, an unknown namespace or value, and any label naming a
        faith, people or nationality. In a reference namespace (``entity``) any
        well-formed reference is accepted and returned for the caller to resolve.
        Deprecated values are accepted, so stored labels stay valid.
        """
        namespace_name, value = _split(text)
        namespace = self._namespaces.get(namespace_name)
        checked = value if namespace is None or not namespace.references else ""
        if forbidden_terms_in(f"{namespace_name}:{checked}"):
            raise Invalid("label '{namespace_name}:{value}' is refused: {refusal_reason}",
                          hint="see docs/taxonomy.md for what a label may name",
                          namespace_name=namespace_name, value=value, refusal_reason=REFUSAL)
        namespace = self._namespace(namespace_name)
        if namespace.references:
            return _reference_label(namespace_name, value)
        if (namespace_name, value) not in self._entries:
            raise _unknown_value(namespace, value)
        return Label(namespace_name, value)

    def _namespace(self, name: str) -> Namespace:
        namespace = self._namespaces.get(name)
        if namespace is None:
            known = ", ".join(self._namespaces)
            raise Invalid("unknown label namespace {name}; known namespaces: {known}",
                          hint="write labels as namespace:value, {example}", name=trimmed(name),
                          known=known, example=_EXAMPLE)
        return namespace


def _split(text: str) -> tuple[str, str]:
    """Normalise label text into (namespace, value), or raise the 'malformed' error."""
    malformed = Invalid("label {text} should look like namespace:value, {example}",
                        hint="namespace and value are lower-case letters, digits and hyphens",
                        text=trimmed(text), example=_EXAMPLE)
    if len(text) > _MAX_LABEL_TEXT or text.count(":") != 1:
        raise malformed
    namespace, value = (part.strip().lower() for part in text.split(":"))
    value = _SPACES.sub("-", value)
    if not SLUG.fullmatch(namespace) or not REFERENCE.fullmatch(value):
        raise malformed
    return namespace, value


def _reference_label(namespace: str, value: str) -> Label:
    if len(value) > MAX_VALUE_LENGTH:
        raise Invalid("label reference {value} is longer than {max_value_length} characters",
                      hint="use the organisation's short reference, e.g. {namespace}:qde-004",
                      value=trimmed(value), max_value_length=MAX_VALUE_LENGTH, namespace=namespace)
    return Label(namespace, value)


def _unknown_value(namespace: Namespace, value: str) -> Invalid:
    known = [entry.value for entry in namespace.entries]
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    if close:
        suggestion = "did you mean " + " or ".join(f"{namespace.name}:{c}" for c in close) + "?"
    else:
        suggestion = f"known {namespace.name} values: " + ", ".join(known)
    return Invalid("unknown {name} value {value}; {suggestion}",
                   hint="every value is listed, with its definition, in docs/taxonomy.md",
                   name=namespace.name, value=trimmed(value), suggestion=suggestion)
