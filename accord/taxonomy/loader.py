"""Load and validate a taxonomy file (the shipped one by default).

The file is JSON::

    {"name": "accord", "version": "2026.1",
     "namespaces": {"behaviour": {"title": ..., "title_zh": ..., "definition": ...,
                                  "references": false,
                                  "entries": [{"value": ..., "title": ..., "title_zh": ...,
                                               "definition": ..., "added_in": "2026.1"}]}}}

Every problem raises ``Invalid`` naming the file and the offending entry, so a
partner shipping a custom taxonomy sees exactly what to fix.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from accord.errors import Invalid, Phrase, trimmed
from accord.taxonomy.forbidden import REFUSAL, forbidden_terms_in
from accord.taxonomy.model import SLUG, VERSION, Namespace, TaxonomyEntry, version_key
from accord.taxonomy.taxonomy import Taxonomy

SHIPPED_TAXONOMY = Path(__file__).with_name("accord-taxonomy.json")
"""The taxonomy file that ships with Accord."""

MAX_FILE_BYTES = 4 * 1024 * 1024

_TEXT_FIELDS = ("title", "title_zh", "definition")
_ENTRY_FIELDS = frozenset({"value", *_TEXT_FIELDS, "added_in", "deprecated_in", "replaced_by"})
_NAMESPACE_FIELDS = frozenset({*_TEXT_FIELDS, "references", "entries"})


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate the taxonomy at ``path`` (None: the shipped file, cached).

    Raises ``Invalid`` with the file path and the offending entry for bad JSON,
    missing or unknown fields, bad slugs or versions, duplicate values, and
    any value or English text naming a faith, people or nationality.
    """
    if path is None:
        return _load_shipped()
    return _load(path)


@functools.cache
def _load_shipped() -> Taxonomy:
    return _load(SHIPPED_TAXONOMY)


def _load(path: Path) -> Taxonomy:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Invalid("taxonomy file {path} is larger than {max_file_bytes} bytes", path=path,
                          max_file_bytes=MAX_FILE_BYTES)
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise Invalid("taxonomy file {path} cannot be read: {strerror}", path=path,
                      strerror=error.strerror) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid("taxonomy file {path} is not valid UTF-8 JSON: {error}", path=path,
                      error=error) from error
    return _FileChecker(path).taxonomy(document)


def _entry(namespace: str, value: str) -> Phrase:
    return Phrase("{namespace} entry {value}", namespace=namespace, value=repr(value))


class _FileChecker:
    """Turns a parsed JSON document into a ``Taxonomy``, raising on the first problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str | Phrase, problem: Phrase, hint: Phrase | None = None
             ) -> Invalid:
        return Invalid("taxonomy file {path}: {where}: {problem}", hint=hint, path=self.path,
                       where=where, problem=problem)

    def taxonomy(self, document: Any) -> Taxonomy:
        top = self.mapping(document, "top level", {"name", "version", "namespaces"})
        name = self.text(top, "name", "top level")
        version = self.version(top, "version", "top level")
        raw_namespaces = self.mapping(top.get("namespaces"), "namespaces", None)
        if not raw_namespaces:
            raise self.fail("namespaces", Phrase("the file defines no namespace"))
        namespaces = [
            self.namespace(ns_name, raw, version) for ns_name, raw in raw_namespaces.items()
        ]
        return Taxonomy(name, version, namespaces)

    def namespace(self, name: str, raw: Any, version: str) -> Namespace:
        where = Phrase("namespace {name}", name=trimmed(name))
        self.slug(name, where)
        fields = self.mapping(raw, where, _NAMESPACE_FIELDS)
        references = fields.get("references", False)
        if not isinstance(references, bool):
            raise self.fail(where, Phrase("'references' should be true or false"))
        raw_entries = fields.get("entries", [])
        if not isinstance(raw_entries, list):
            raise self.fail(where, Phrase("'entries' should be a list"))
        if references and raw_entries:
            raise self.fail(where, Phrase("a reference namespace lists no entries"))
        entries: dict[str, TaxonomyEntry] = {}
        for index, raw_entry in enumerate(raw_entries):
            entry = self.entry(name, index, raw_entry, version)
            if entry.value in entries:
                raise self.fail(_entry(name, entry.value), Phrase("duplicate value"))
            entries[entry.value] = entry
        for entry in entries.values():
            if entry.replaced_by is not None and entry.replaced_by not in entries:
                raise self.fail(
                    _entry(name, entry.value),
                    Phrase("replaced_by {value} is not a value of {namespace}",
                           value=repr(entry.replaced_by), namespace=name),
                )
        title, title_zh, definition = self.texts(fields, where, name)
        return Namespace(name, title, title_zh, definition, references, tuple(entries.values()))

    def entry(self, namespace: str, index: int, raw: Any, version: str) -> TaxonomyEntry:
        where: str | Phrase = Phrase("{namespace} entry #{number}", namespace=namespace,
                                     number=index + 1)
        fields = self.mapping(raw, where, _ENTRY_FIELDS)
        value = self.text(fields, "value", where)
        where = _entry(namespace, value)
        self.slug(value, where)
        title, title_zh, definition = self.texts(fields, where, value)
        added_in = self.version(fields, "added_in", where)
        if version_key(added_in) > version_key(version):
            raise self.fail(where, Phrase(
                "added_in {added_in} is after the file's version {version}",
                added_in=added_in, version=version))
        deprecated_in = None
        if "deprecated_in" in fields:
            deprecated_in = self.version(fields, "deprecated_in", where)
        replaced_by = self.text(fields, "replaced_by", where) if "replaced_by" in fields else None
        return TaxonomyEntry(
            namespace, value, title, title_zh, definition, added_in, deprecated_in, replaced_by
        )

    def texts(self, fields: dict[str, Any], where: str | Phrase, slug: str) -> tuple[str, str, str]:
        """The title, Chinese title and definition, checked for forbidden terms."""
        title, title_zh, definition = (self.text(fields, key, where) for key in _TEXT_FIELDS)
        if not any("\u4e00" <= char <= "\u9fff" for char in title_zh):
            raise self.fail(where, Phrase("'title_zh' should be a Simplified Chinese translation"))
        for text in (slug, title, title_zh, definition):
            found = forbidden_terms_in(text)
            if found:
                raise self.fail(where, Phrase("refused ({terms}): {reason}", terms=", ".join(found),
                                             reason=REFUSAL))
        return title, title_zh, definition

    def mapping(self, raw: Any, where: str | Phrase,
                allowed: frozenset[str] | set[str] | None) -> Any:
        if not isinstance(raw, dict):
            raise self.fail(where, Phrase("should be a JSON object"))
        if allowed is not None:
            unknown = sorted(set(raw) - allowed)
            if unknown:
                raise self.fail(
                    where,
                    Phrase("unknown field(s) {fields}", fields=", ".join(map(repr, unknown))),
                    hint=Phrase("allowed fields: {fields}", fields=", ".join(sorted(allowed))),
                )
        return raw

    def text(self, fields: dict[str, Any], key: str, where: str | Phrase) -> str:
        value = fields.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, Phrase("missing or empty field {key}", key=repr(key)))
        return value.strip()

    def slug(self, value: str, where: str | Phrase) -> None:
        if not SLUG.fullmatch(value):
            raise self.fail(
                where, Phrase("{value} is not a slug", value=trimmed(value)),
                hint=Phrase("use lower-case letters, digits and single hyphens, e.g. "
                            "threat-of-violence"),
            )

    def version(self, fields: dict[str, Any], key: str, where: str | Phrase) -> str:
        value = self.text(fields, key, where)
        if not VERSION.fullmatch(value):
            raise self.fail(where, Phrase("{key} {value} should look like 2026.1 (YEAR.N)", key=key,
                                         value=trimmed(value)))
        return value
