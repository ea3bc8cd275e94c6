"""The one report of an import: what reading rows or STIX objects into a bank did.

Every path that brings signals into a bank fills an ``ImportReport``: the bulk
importer (``accord signal import``, the API, the web upload), ``accord import``
of the ecosystem's files, TAXII ingest (a POST, a sync page, an envelope or
bundle) and, page by page, ``accord sync`` (whose ``SyncReport`` holds one).
Each caller prints the counts it always printed; the field names are the JSON
the API answers with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.errors import AccordError, said, trimmed

MAX_KEPT_ERRORS = 1000


def object_id(obj: object) -> str:
    """How a report names a STIX object: its id (trimmed), or that it has none."""
    if isinstance(obj, Mapping) and isinstance(obj.get("id"), str):
        return trimmed(obj["id"], 100).strip("'")
    return "<object without id>"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused row or object: its number, why, and (a STIX object) its id and version."""

    line: int  # the row's line, or the object's number in its request or file
    message: str
    id: str | None = None
    version: str | None = None
    error: AccordError | None = field(default=None, compare=False, repr=False)

    def said(self, locale: str | None) -> str:
        """The reason in ``locale`` (the refusing error's words, translated)."""
        return said(self.error, self.message, locale)

    @property
    def where(self) -> str:
        """How a message names it: the object id, else ``line N``."""
        return self.id if self.id is not None else f"line {self.line}"

    def as_taxii(self) -> dict[str, str]:
        """The entry of a TAXII status resource's ``failures``."""
        entry = {"id": self.where, "message": self.message}
        if self.version is not None:
            entry["version"] = self.version
        return entry


@dataclass
class ImportReport:
    """What an import did: rows or objects read, what each did, and the refused ones.

    ``imported`` counts signals added (a quarantined indicator stored new counts in
    ``imported`` and ``quarantined``); ``duplicates`` those already there (or the same
    version twice; ``relabelled`` those of them whose labels a newer version changed);
    ``stale`` versions older than one applied or given; ``ignored``
    objects that are not signals. ``errors`` keeps the first ``max_kept`` refusals
    (None: all of them, as a TAXII status lists every failure); ``error_count``
    counts them all. ``successes`` (TAXII status entries) is kept only when
    ``keep_successes``. ``rolled_back``: a strict import refused a row and undid all.
    """

    source: str = ""
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    retracted: int = 0
    quarantined: int = 0
    lifted: int = 0
    relabelled: int = 0
    stale: int = 0
    ignored: int = 0
    error_count: int = 0
    errors: list[Refusal] = field(default_factory=list)
    rolled_back: bool = False
    keep_successes: bool = False
    successes: list[dict[str, str]] = field(default_factory=list)
    max_kept: int | None = MAX_KEPT_ERRORS

    def add_error(self, refusal: Refusal) -> None:
        """Count a refused row or object; keep it while fewer than ``max_kept`` are kept."""
        self.error_count += 1
        if self.max_kept is None or len(self.errors) < self.max_kept:
            self.errors.append(refusal)

    def succeed(self, obj: Mapping[str, object], note: str = "") -> None:
        """Record an object stored, retracted, already there, or (with ``note``) not applied."""
        if not self.keep_successes:
            return
        entry = {"id": object_id(obj)}
        if isinstance(obj.get("modified"), str):
            entry["version"] = str(obj["modified"])
        if note:
            entry["message"] = note
        self.successes.append(entry)

    def absorb(self, other: ImportReport) -> None:
        """Add ``other``'s counts and refusals to this report (a run of several pages)."""
        for name in ("rows", "imported", "duplicates", "retracted", "quarantined", "lifted",
                     "relabelled", "stale", "ignored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for refusal in other.errors:
            self.add_error(refusal)
        self.error_count += other.error_count - len(other.errors)
