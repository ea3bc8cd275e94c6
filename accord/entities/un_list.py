"""Parse the UN Security Council Consolidated List XML into organisations.

The list is published by the UN as one XML file::

    <CONSOLIDATED_LIST dateGenerated="2026-01-05T10:00:02.153Z">
      <INDIVIDUALS><INDIVIDUAL>...</INDIVIDUAL></INDIVIDUALS>
      <ENTITIES>
        <ENTITY>
          <DATAID>..</DATAID> <FIRST_NAME>entity name</FIRST_NAME>
          <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE> <REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER>
          <LISTED_ON>2001-10-06</LISTED_ON> <NAME_ORIGINAL_SCRIPT>..</NAME_ORIGINAL_SCRIPT>
          <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>one name</ALIAS_NAME></ENTITY_ALIAS>
          <ENTITY_ALIAS><QUALITY/><ALIAS_NAME/></ENTITY_ALIAS>   (an empty placeholder)
          ...
        </ENTITY>
      </ENTITIES>
    </CONSOLIDATED_LIST>

Accord stores organisations only, never persons: INDIVIDUAL elements are
counted and discarded without reading a single field. Entity comments and
addresses are dropped too (comments often name people).

Each ``ENTITY_ALIAS`` element is one alias, taken whole (whitespace collapsed,
every script kept). Its text is never split on ``;``: the published list writes
an original-script name with its transliterations in parentheses as one alias,
e.g. QDe.137's ``جبهة النصرة (the Victory Front; Jabhat al-Nusrah; ...; Al-Nusra
Front)``, and splitting it cut the Arabic name from its parenthesis and left a
stray ``Al-Nusra Front)``. Empty placeholder aliases are skipped. The parser is pure:
it touches no database; ``accord.entities.service`` stores the result.

The file is untrusted input: it is parsed with ``defusedxml`` with DTDs
forbidden (so no entity expansion and no external references), read through a
size bound, and streamed with ``iterparse`` so each entity is released once
read.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from accord.errors import Invalid, trimmed

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
SOURCE = "UN-SC"
"""The designation source name Accord records for this list."""

ROOT_TAG = "CONSOLIDATED_LIST"

_SCRIPT_PREFIXES = (
    ("LATIN", "Latn"),
    ("CJK UNIFIED IDEOGRAPH", "Hani"),
    ("CJK COMPATIBILITY IDEOGRAPH", "Hani"),
    ("ARABIC", "Arab"),
    ("CYRILLIC", "Cyrl"),
)
COMMON_SCRIPT = "Zyyy"
"""ISO 15924 code returned for text with no letters, mixed scripts or another script."""


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name of an entity, with the ISO 15924 script it is written in.

    ``quality`` is the list's own rating: ``Good`` / ``a.k.a.`` (a strong
    alias), ``Low`` (a weak alias, poor for matching), ``f.k.a.`` (a former
    name), or None where the list gives none.
    """

    name: str
    script: str
    quality: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedDesignation:
    """The entity's listing on the UN Security Council Consolidated List.

    The consolidated list carries current listings only, so ``delisted_on`` is
    always None here: a delisting shows as the reference's absence from a later
    list, which the importing service detects.
    """

    reference: str
    listed_on: date | None
    list_type: str | None
    delisted_on: date | None = None
    source: str = SOURCE


@dataclass(frozen=True, slots=True)
class ParsedEntity:
    """One listed organisation: its name, aliases, designation and original-script name."""

    name: str
    aliases: tuple[Alias, ...]
    designation: ParsedDesignation
    original_script_name: str | None


@dataclass(slots=True)
class UnListParseResult:
    """What a list file yielded: entities, how many individuals were dropped, warnings.

    ``generated_on`` is the list's ``dateGenerated`` (None if absent or
    unreadable, with a warning). Warnings name entities by DATAID only.
    """

    entities: list[ParsedEntity] = field(default_factory=list)
    individuals_dropped: int = 0
    generated_on: datetime | None = None
    warnings: list[str] = field(default_factory=list)


class _SkipEntity(Exception):
    """One ENTITY cannot be used; the parse continues without it."""


def detect_script(text: str) -> str:
    """The ISO 15924 code of the script ``text``'s letters are written in.

    Returns ``Latn``, ``Hani``, ``Arab`` or ``Cyrl`` when every letter is in
    that script (digits, spaces and punctuation are ignored), else ``Zyyy``:
    no letters at all, letters of several scripts, or of another script.
    """
    scripts: set[str] = set()
    for char in text:
        if not unicodedata.category(char).startswith("L"):
            continue
        name = unicodedata.name(char, "")
        code = next((code for prefix, code in _SCRIPT_PREFIXES if name.startswith(prefix)), None)
        if code is None:
            return COMMON_SCRIPT
        scripts.add(code)
    return scripts.pop() if len(scripts) == 1 else COMMON_SCRIPT


def parse_un_list(
    source: Path | bytes | IO[bytes], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> UnListParseResult:
    """Parse a UN Security Council Consolidated List XML file into organisations.

    ``source`` is a path, the file's bytes, or a binary stream. Raises
    ``Invalid`` when the input exceeds ``max_bytes``, is not well-formed XML,
    declares a DTD or entities (XML bombs, external entities), has another
    root than ``CONSOLIDATED_LIST``, or has entities of which none can be
    used. A single unusable entity (no name, no reference) is skipped with a
    warning naming its DATAID.
    """
    if isinstance(source, Path):
        try:
            with source.open("rb") as stream:
                return _parse_stream(stream, max_bytes)
        except OSError as error:
            raise Invalid("UN list file {source} cannot be read: {strerror}", source=source,
                          strerror=error.strerror) from error
    if isinstance(source, bytes):
        _check_size(len(source), max_bytes)
        return _parse_stream(_BytesReader(source), max_bytes)
    return _parse_stream(source, max_bytes)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise Invalid("UN list is larger than the {max_bytes}-byte limit",
                      hint="raise max_bytes if the published list has grown past it",
                      max_bytes=max_bytes)


class _BytesReader:
    """A minimal read-only stream over bytes (avoids a BytesIO copy)."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else self._position + size
        chunk = bytes(self._view[self._position : end])
        self._position += len(chunk)
        return chunk


class _BoundedReader:
    """Wraps a stream and raises ``Invalid`` once more than ``limit`` bytes were read."""

    def __init__(self, stream: IO[bytes] | _BytesReader, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size if size >= 0 else self._limit + 1)
        self._read += len(chunk)
        _check_size(self._read, self._limit)
        return chunk


def _parse_stream(stream: IO[bytes] | _BytesReader, max_bytes: int) -> UnListParseResult:
    result = UnListParseResult()
    entities_seen = 0
    try:
        for kind, element in _elements(_BoundedReader(stream, max_bytes), result):
            if kind == "INDIVIDUAL":
                result.individuals_dropped += 1
            else:
                entities_seen += 1
                _add_entity(element, result)
            element.clear()
    except ElementTree.ParseError as error:
        raise Invalid("UN list is not well-formed XML: {error}", error=error) from error
    except defusedxml.DefusedXmlException as error:
        raise Invalid("UN list is refused: it declares a DTD or entities ({kind})",
                      hint="the published list has no DTD; this file is not the UN's",
                      kind=type(error).__name__) from error
    if entities_seen and not result.entities:
        raise Invalid("none of the {entities_seen} entities in the UN list could be read",
                      hint="{warnings}", entities_seen=entities_seen,
                      warnings="; ".join(result.warnings[:3]))
    return result


def _elements(
    reader: _BoundedReader, result: UnListParseResult
) -> Iterator[tuple[str, ElementTree.Element]]:
    """Yield each complete ENTITY or INDIVIDUAL under the root's list containers."""
    wanted = {("ENTITIES", "ENTITY"), ("INDIVIDUALS", "INDIVIDUAL")}
    path: list[str] = []
    events = SafeElementTree.iterparse(reader, events=("start", "end"), forbid_dtd=True)
    for event, element in events:
        if event == "start":
            if not path:
                _check_root(element, result)
            path.append(element.tag)
            continue
        path.pop()
        if len(path) == 2 and (path[1], element.tag) in wanted:
            yield element.tag, element


def _check_root(root: ElementTree.Element, result: UnListParseResult) -> None:
    if root.tag != ROOT_TAG:
        raise Invalid("UN list root element is {tag}, expected {root_tag}",
                      hint="download the XML from the UN Security Council Consolidated List page",
                      tag=trimmed(root.tag), root_tag=ROOT_TAG)
    generated = root.get("dateGenerated")
    try:
        result.generated_on = datetime.fromisoformat(generated) if generated else None
    except ValueError:
        result.warnings.append(f"dateGenerated {trimmed(generated)} is not a date; ignored")


def _add_entity(element: ElementTree.Element, result: UnListParseResult) -> None:
    dataid = _text(element, "DATAID") or "(none)"
    try:
        entity = _entity(element, result.warnings, dataid)
    except _SkipEntity as skip:
        result.warnings.append(f"entity DATAID {trimmed(dataid)} skipped: {skip}")
        return
    result.entities.append(entity)


def _entity(element: ElementTree.Element, warnings: list[str], dataid: str) -> ParsedEntity:
    name = _text(element, "FIRST_NAME")
    if name is None:
        raise _SkipEntity("it has no FIRST_NAME (the entity's name)")
    reference = _text(element, "REFERENCE_NUMBER")
    if reference is None:
        raise _SkipEntity("it has no REFERENCE_NUMBER")
    designation = ParsedDesignation(
        reference=reference,
        listed_on=_date(element, "LISTED_ON", warnings, dataid),
        list_type=_text(element, "UN_LIST_TYPE"),
    )
    return ParsedEntity(
        name=name,
        aliases=_aliases(element, name),
        designation=designation,
        original_script_name=_text(element, "NAME_ORIGINAL_SCRIPT"),
    )


def _aliases(element: ElementTree.Element, name: str) -> tuple[Alias, ...]:
    """Every ENTITY_ALIAS's name once, whole, in the list's order (never split on ';')."""
    seen = {name.casefold()}
    aliases: list[Alias] = []
    for alias_element in element.findall("ENTITY_ALIAS"):
        alias_name = _text(alias_element, "ALIAS_NAME")
        if alias_name is None or alias_name.casefold() in seen:
            continue
        seen.add(alias_name.casefold())
        aliases.append(Alias(alias_name, detect_script(alias_name),
                             _text(alias_element, "QUALITY")))
    return tuple(aliases)


def _text(element: ElementTree.Element, tag: str) -> str | None:
    """The child's text with whitespace collapsed, or None when absent or blank."""
    text = " ".join((element.findtext(tag) or "").split())
    return text or None


def _date(element: ElementTree.Element, tag: str, warnings: list[str], dataid: str) -> date | None:
    text = _text(element, tag)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        warnings.append(f"entity DATAID {trimmed(dataid)}: {tag} {trimmed(text)} is not a date")
        return None
