"""Tech Against Terrorism (TCAP) hash list JSON.

The TCAP hash list is a JSON array of entries (the API's paginated answer,
an object whose ``results`` holds them, is read too)::

    {"id": 2819, "hash_digest": "...", "algorithm": "MD5", "ideology": "islamist",
     "file_type": "mp4", "deleted": false, "updated_on": 1704901040.22}

Field names follow python-threatexchange's TCAP client
(``exchanges/clients/techagainstterrorism/api.py``). ``algorithm`` MD5,
SHA256 and PDQ map to Accord's ``md5``, ``sha256`` and ``pdq``; ``ideology``
and ``file_type`` map to taxonomy labels through ``IDEOLOGY_LABELS`` and
``FILE_TYPE_LABELS``; ``id`` becomes the source reference ``tat:<id>``.
Entries marked ``deleted`` are tombstones and are not imported.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from accord.curation.formats import Row, RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed

ALGORITHMS: dict[str, str] = {"MD5": "md5", "SHA256": "sha256", "SHA-256": "sha256", "PDQ": "pdq"}
WRITTEN_ALGORITHMS: dict[str, str] = {"md5": "MD5", "sha256": "SHA256", "pdq": "PDQ"}
IDEOLOGY_LABELS: dict[str, str] = {
    "far-right": "ideology:violent-far-right",
    # TCAP's faith-named category maps to Accord's faith-neutral one (no faith labels).
    "islamist": "ideology:violent-theocratic",
}
LABEL_IDEOLOGIES = {label: name for name, label in IDEOLOGY_LABELS.items()}
FILE_TYPE_LABELS: dict[str, str] = {
    **dict.fromkeys(("mp4", "mov", "m4v", "webm", "mkv", "avi"), "content:video"),
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "webp", "bmp"), "content:image"),
    **dict.fromkeys(("mp3", "m4a", "ogg", "wav"), "content:audio"),
    "pdf": "content:document",
}
LABEL_FILE_TYPES = {"content:video": "mp4", "content:image": "jpg", "content:audio": "mp3",
                    "content:document": "pdf"}
SOURCE_PREFIX = "tat:"


def _entries(stream: IO[str]) -> list[Any]:
    try:
        data = json.load(stream)
    except json.JSONDecodeError as exc:
        raise Invalid(f"the TAT hash list is not JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        return list(data["results"])
    if not isinstance(data, list):
        raise Invalid("the TAT hash list should be a JSON array of entries "
                      "(or an API page with 'results')")
    return data


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
        label = IDEOLOGY_LABELS.get(str(ideology).lower())
        if label is None:
            return RowError(number, f"ideology {trimmed(ideology)} has no Accord label "
                            f"(known: {', '.join(sorted(IDEOLOGY_LABELS))})")
        labels.append(label)
    file_type = entry.get("file_type")
    if isinstance(file_type, str) and file_type.lower() in FILE_TYPE_LABELS:
        labels.append(FILE_TYPE_LABELS[file_type.lower()])
    ref = entry.get("id")
    return SignalInput(signal_type=kind, value=digest.strip(), labels=tuple(sorted(labels)),
                       source_ref=f"{SOURCE_PREFIX}{ref}" if ref is not None else "")


def read_tat_json(stream: IO[str]) -> Iterator[Row]:
    """Rows of a TCAP hash list, numbered by entry (1-based); deleted entries are skipped."""
    for number, entry in enumerate(_entries(stream), start=1):
        if not isinstance(entry, Mapping):
            yield number, RowError(number, "expected a JSON object per entry")
            continue
        item = _entry(number, entry)
        if item is not None:
            yield number, item


def write_tat_json(signals: Iterable[SignalInput], out: IO[str]) -> int:
    """Write a TCAP-style hash list; returns how many entries were written.

    Only MD5, SHA-256 and PDQ signals have a TCAP algorithm; others are left
    out. The id is taken back from a ``tat:<id>`` source reference, otherwise
    numbered in order.
    """
    entries: list[dict[str, Any]] = []
    now = time.time()
    for signal in signals:
        algorithm = WRITTEN_ALGORITHMS.get(signal.signal_type)
        if algorithm is None:
            continue
        ref = signal.source_ref.removeprefix(SOURCE_PREFIX)
        ideology = next((LABEL_IDEOLOGIES[x] for x in signal.labels if x in LABEL_IDEOLOGIES),
                        None)
        file_type = next((LABEL_FILE_TYPES[x] for x in signal.labels if x in LABEL_FILE_TYPES),
                         None)
        entries.append({
            "id": int(ref) if signal.source_ref.startswith(SOURCE_PREFIX) and ref.isascii()
            and ref.isdigit()
            else len(entries) + 1,
            "hash_digest": signal.value, "algorithm": algorithm, "ideology": ideology,
            "file_type": file_type, "deleted": False, "updated_on": now,
        })
    json.dump(entries, out, indent=1)
    out.write("\n")
    return len(entries)
