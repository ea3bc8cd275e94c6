"""The one writer of the Accord indicator writes exactly what the ``stix2`` library builds
for the same signal, on every signal shape; the fast STIX id is the documented uuid5."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
import stix2

from accord.exchange.indicator import IndicatorRenderer, SignalRow, signal_pattern, signal_to_stix
from accord.exchange.stix_common import ACCORD_NAMESPACE, EXTENSION_ID, TLP_MARKING_IDS, stix_id
from accord.sharing.tlp import Tlp
from accord.store import records as r

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2, microseconds=7)


def _time(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _built_by_stix2(row: SignalRow, node_id: str) -> dict[str, Any]:
    """The reference: the indicator as the ``stix2`` library builds and checks it."""
    modified = max(row.updated_at, row.created_at)
    revoked = row.status == "retracted"
    if revoked and _time(modified) <= _time(row.created_at):
        modified = row.created_at + dt.timedelta(milliseconds=1)
    pattern_type, pattern = signal_pattern(row.signal_type, row.value)
    ext = {k: v for k, v in {"signal_type": row.signal_type, "value": row.value,
                             "quality": row.quality, "status": row.status,
                             "source_ref": row.source_ref}.items() if v not in (None, "")}
    built = stix2.v21.Indicator(
        id=f"indicator--{uuid.uuid5(ACCORD_NAMESPACE, f'{node_id}:indicator:{row.id}')}",
        created_by_ref="identity--" + str(uuid.uuid5(
            ACCORD_NAMESPACE, f"{node_id}:identity:{row.owner_partner_id}")),
        created=_time(row.created_at), modified=_time(modified),
        name=f"Accord {row.signal_type} signal",
        description=row.rationale or f"A {row.signal_type} signal shared through Accord.",
        indicator_types=["benign" if row.negative else "malicious-activity"],
        pattern=pattern, pattern_type=pattern_type, valid_from=_time(row.created_at),
        labels=list(row.labels) or None, revoked=revoked or None,
        object_marking_refs=[TLP_MARKING_IDS[Tlp(row.tlp)]],
        extensions={EXTENSION_ID: {"extension_type": "property-extension", **ext}})
    result: dict[str, Any] = json.loads(built.serialize())
    return result


@pytest.mark.parametrize(("kind", "value", "quality", "status", "labels", "negative",
                          "rationale", "source_ref", "updated"), [
    ("pdq", "f" * 64, 80, "retracted", ("behaviour:recruitment",), False, "why", "src", NOW),
    ("md5", "a" * 32, None, "active", (), True, "", "", NOW),
    ("sha256", "b" * 64, None, "quarantined", ("content:video", "context:news"), False, "", "x",
     LATER),
    ("url", "https://example.org/it's", None, "retracted", (), False, "r", "", LATER),
    ("text_tlsh", "T1" + "A" * 70, None, "active", (), False, "", "", NOW),
])
def test_the_writer_writes_what_stix2_builds(kind: str, value: str, quality: int | None,
                                             status: str, labels: tuple[str, ...],
                                             negative: bool, rationale: str, source_ref: str,
                                             updated: dt.datetime) -> None:
    for tlp in Tlp:
        row = SignalRow(7, 2, kind, value, quality, tlp.value, status, rationale, source_ref,
                        NOW, updated, negative, labels)
        assert IndicatorRenderer("node-a").indicator(row) == _built_by_stix2(row, "node-a")
        record = r.Signal(7, 1, 2, kind, value, quality, tlp.value, 3, "ada", rationale,
                          source_ref, status, labels, NOW, updated)
        assert signal_to_stix(record, "node-a", negative=negative) == _built_by_stix2(
            row, "node-a")


@pytest.mark.parametrize("local_id", [1, 42, 2**31 - 1, "ent-7"])
def test_the_stix_id_is_the_documented_uuid5(local_id: int | str) -> None:
    for kind in ("indicator", "identity"):
        name = f"node-a:{kind}:{local_id}"
        assert stix_id(kind, "node-a", local_id) == f"{kind}--{uuid.uuid5(ACCORD_NAMESPACE, name)}"
