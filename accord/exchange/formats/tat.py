"""Tech Against Terrorism (TCAP) hash-list pages: read and written.

Accord writes one page of TCAP's hash-list API (``GET api/hash-list/v2/all``), the shape
python-threatexchange's TCAP client parses (``exchanges/clients/techagainstterrorism/
api.py``, Meta, BSD licence; read, not copied)::

    {"count": 2, "next": null, "previous": null, "checkpoint": "1704901040.22,2819",
     "results": [{"id": 2819, "hash_digest": "...", "algorithm": "MD5",
                  "ideology": "islamist", "file_type": "mp4", "deleted": false,
                  "updated_on": 1704901040.22, "created_on": "2024-01-10T15:37:20.220000Z"},
                 ...]}

Every entry has all eight fields ``TATHashListEntry`` requires. The file is the whole
list, so ``next`` and ``previous`` are null; entries are ordered by (``updated_on``,
``id``) and ``checkpoint`` is ``"<updated_on>,<id>"`` of the last, as TCAP writes it.
A page, or a bare array of entries, is read.

Fields:

- ``algorithm``: MD5, SHA256 and PDQ are Accord's ``md5``, ``sha256`` and ``pdq``.
- ``ideology``: TCAP has two names, ``islamist`` and ``far-right``. Read, they become
  ``ideology:violent-theocratic`` and ``ideology:violent-far-right``: TCAP's faith-named
  category maps to Accord's faith-neutral one, as the taxonomy names no faith. Written,
  each ideology of the taxonomy is mapped by ``TCAP_IDEOLOGY_OF`` (far-right, neo-Nazi,
  racially motivated and accelerationist to ``far-right``; theocratic to ``islamist``);
  the others have no TCAP name and are written null, as is a signal with none, or with
  two that map to different names.
- ``file_type`` comes from a ``content:`` label and goes back to one (``mp4`` for video,
  ``jpg``, ``mp3``, ``pdf``); null without one. pytx takes an MD5 entry only with a video
  file type (it knows MD5 only as ``video_md5``).
- ``id``: a positive id is TCAP's and is kept as the source reference ``tat:<id>``; an
  Accord signal that came from TCAP is written back under its TCAP id. Any other signal
  gets a **negative** id derived from its content (``accord_entry_id``): minus one minus
  the first 52 bits of SHA-256 of ``accord:<signal_type>:<value>``. TCAP's ids are
  positive, so the two never collide; the same signal has the same id on every export
  and every node; and within one file a clash (odds about n²/2⁵³ for n signals) moves
  the later signal to the next free id below. Negative ids are not kept on import.
- ``created_on`` / ``updated_on``: the signal's creation and last change (ISO 8601 UTC
  and seconds since the epoch); a signal given without dates is written as of now.
- ``deleted``: entries marked deleted are TCAP's tombstones and are not imported;
  Accord writes active signals only, so it never writes one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed
from accord.safeguards import json_input

ALGORITHMS: dict[str, str] = {"MD5": "md5", "SHA256": "sha256", "SHA-256": "sha256", "PDQ": "pdq"}
WRITTEN_ALGORITHMS: dict[str, str] = {"md5": "MD5", "sha256": "SHA256", "pdq": "PDQ"}
TCAP_IDEOLOGIES = ("islamist", "far-right")
"""TCAP's ideology names (pytx's ``TATIdeology``, less ``all``, which only filters a query)."""
IDEOLOGY_LABELS: dict[str, str] = {
    "far-right": "ideology:violent-far-right",
    # TCAP's faith-named category maps to Accord's faith-neutral one (no faith labels).
    "islamist": "ideology:violent-theocratic",
}
TCAP_IDEOLOGY_OF: dict[str, str | None] = {
    "violent-far-right": "far-right",
    "neo-nazi": "far-right",
    "racially-motivated-violent": "far-right",
    "accelerationist": "far-right",
    "violent-theocratic": "islamist",
    "anti-government-violent": None,
    "violent-far-left": None,
    "violent-anarchist": None,
    "violent-separatist": None,
    "violent-misogynist": None,
    "conspiracy-motivated-violent": None,
    "single-issue-violent": None,
    "mixed-or-unclear": None,
}
"""Each ideology value of Accord's taxonomy and the TCAP name it is written as (None: none)."""
FILE_TYPE_LABELS: dict[str, str] = {
    **dict.fromkeys(("mp4", "mov", "m4v", "webm", "mkv", "avi"), "content:video"),
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "webp", "bmp"), "content:image"),
    **dict.fromkeys(("mp3", "m4a", "ogg", "wav"), "content:audio"),
    "pdf": "content:document",
}
LABEL_FILE_TYPES = {"content:video": "mp4", "content:image": "jpg", "content:audio": "mp3",
                    "content:document": "pdf"}
SOURCE_PREFIX = "tat:"
_ID_BITS = 52  # ids stay exact in JavaScript and in a float64


@dataclass(frozen=True, slots=True)
class DatedSignal:
    """A signal with the dates a TCAP entry carries (``created_on``, ``updated_on``)."""

    signal: SignalInput
    created_at: dt.datetime
    updated_at: dt.datetime


def accord_entry_id(signal_type: str, value: str) -> int:
    """The negative, content-derived TCAP id of an Accord signal (-1 to -2**52)."""
    digest = hashlib.sha256(f"accord:{signal_type}:{value}".encode()).digest()
    return -1 - (int.from_bytes(digest[:8], "big") >> (64 - _ID_BITS))


def _entries(stream: IO[str]) -> list[Any]:
    data = json_input.loads(stream.read(), "the TAT hash list")
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        return list(data["results"])
    if not isinstance(data, list):
        raise Invalid("the TAT hash list should be a JSON array of entries "
                      "(or an API page with 'results')")
    return data


def _ideology_label(ideology: object) -> str | None:
    name = str(ideology).strip().lower().replace("_", "-").replace(" ", "-")
    return IDEOLOGY_LABELS.get(name)


def _source_ref(ref: object) -> str:
    if isinstance(ref, bool) or ref is None:
        return ""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().lstrip("-").isdigit()):
        number = int(ref)
        return f"{SOURCE_PREFIX}{number}" if number > 0 else ""  # negative: Accord's own
    return f"{SOURCE_PREFIX}{ref}"


def _entry(number: int, entry: Mapping[str, Any]) -> SignalInput | RowError | None:
    algorithm = entry.get("algorithm")
    kind = ALGORITHMS.get(str(algorithm).upper()) if isinstance(algorithm, str) else None
    if kind is None:
        return RowError(number, f"algorithm {trimmed(algorithm)} is not one Accord shares "
                        f"({', '.join(sorted(ALGORITHMS))})")
    digest = entry.get("hash_digest")
    if not isinstance(digest, str) or not digest.strip():
        return RowError(number, "hash_digest is missing")
    if entry.get("deleted") is True:
        return None
    labels: list[str] = []
    ideology = entry.get("ideology")
    if ideology not in (None, ""):
        label = _ideology_label(ideology)
        if label is None:
            return RowError(number, f"ideology {trimmed(ideology)} has no Accord label "
                            f"(known: {', '.join(sorted(IDEOLOGY_LABELS))})")
        labels.append(label)
    file_type = entry.get("file_type")
    if isinstance(file_type, str) and file_type.lower() in FILE_TYPE_LABELS:
        labels.append(FILE_TYPE_LABELS[file_type.lower()])
    return SignalInput(signal_type=kind, value=digest.strip(), labels=tuple(sorted(labels)),
                       source_ref=_source_ref(entry.get("id")))


def read_tat_json(stream: IO[str]) -> Iterator[Row]:
    """Rows of a TCAP hash list, numbered by entry (1-based); deleted entries are skipped."""
    for number, entry in enumerate(_entries(stream), start=1):
        if not isinstance(entry, Mapping):
            yield number, RowError(number, "expected a JSON object per entry")
            continue
        item = _entry(number, entry)
        if item is not None:
            yield number, item


def tcap_ideology(labels: Iterable[str]) -> str | None:
    """The TCAP ideology name for a signal's labels; None for none, or for a conflict."""
    names = {TCAP_IDEOLOGY_OF.get(label.removeprefix("ideology:"))
             for label in labels if label.startswith("ideology:")} - {None}
    return names.pop() if len(names) == 1 else None


def _tcap_id(source_ref: str) -> int | None:
    ref = source_ref.removeprefix(SOURCE_PREFIX)
    if source_ref.startswith(SOURCE_PREFIX) and ref.isascii() and ref.isdigit() and int(ref):
        return int(ref)
    return None


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _entry_of(item: SignalInput | DatedSignal, now: dt.datetime, used: set[int]
              ) -> dict[str, Any] | None:
    dated = item if isinstance(item, DatedSignal) else DatedSignal(item, now, now)
    signal = dated.signal
    algorithm = WRITTEN_ALGORITHMS.get(signal.signal_type)
    if algorithm is None:
        return None
    number = _tcap_id(signal.source_ref)
    if number is None or number in used:
        number = accord_entry_id(signal.signal_type, signal.value)
        while number in used:
            number -= 1
    used.add(number)
    file_type = next((LABEL_FILE_TYPES[x] for x in signal.labels if x in LABEL_FILE_TYPES),
                     None)
    return {
        "id": number, "hash_digest": signal.value, "algorithm": algorithm,
        "ideology": tcap_ideology(signal.labels), "file_type": file_type, "deleted": False,
        "updated_on": _utc(dated.updated_at).timestamp(),
        "created_on": _utc(dated.created_at).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }


def tat_page(signals: Iterable[SignalInput | DatedSignal], *,
             now: dt.datetime | None = None) -> dict[str, Any]:
    """The TCAP hash-list page of ``signals`` (MD5, SHA-256 and PDQ; others left out)."""
    moment = now or dt.datetime.now(dt.UTC)
    used: set[int] = set()
    entries = [e for e in (_entry_of(s, moment, used) for s in signals) if e is not None]
    entries.sort(key=lambda e: (e["updated_on"], e["id"]))
    last = entries[-1] if entries else None
    return {"count": len(entries), "next": None, "previous": None,
            "checkpoint": f"{last['updated_on']},{last['id']}" if last else "",
            "results": entries}


def write_tat_json(signals: Iterable[SignalInput | DatedSignal], out: IO[str], *,
                   now: dt.datetime | None = None) -> int:
    """Write the TCAP hash-list page of ``signals``; returns how many entries it holds."""
    page = tat_page(signals, now=now)
    json.dump(page, out, indent=1)
    out.write("\n")
    return int(page["count"])
