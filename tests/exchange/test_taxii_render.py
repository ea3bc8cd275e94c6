"""The fast indicator renderer gives exactly what the stix2-built mapping gives."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.exchange.stix import signal_to_stix
from accord.exchange.stix_extension import stix_id
from accord.exchange.taxii.render import IndicatorRenderer, SignalRow, fast_stix_id
from accord.store import records as r

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2, microseconds=7)


@pytest.mark.parametrize(("kind", "value", "quality", "status", "labels", "negative",
                          "rationale", "source_ref", "updated"), [
    ("pdq", "f" * 64, 80, "retracted", ("behaviour:recruitment",), False, "why", "src", NOW),
    ("md5", "a" * 32, None, "active", (), True, "", "", NOW),
    ("sha256", "b" * 64, None, "quarantined", ("content:video", "context:news"), False, "", "x",
     LATER),
    ("url", "https://example.org/it's", None, "retracted", (), False, "r", "", LATER),
    ("text_tlsh", "T1" + "A" * 70, None, "active", (), False, "", "", NOW),
])
def test_the_renderer_matches_signal_to_stix(kind: str, value: str, quality: int | None,
                                              status: str, labels: tuple[str, ...],
                                              negative: bool, rationale: str, source_ref: str,
                                              updated: dt.datetime) -> None:
    for tlp in ("CLEAR", "GREEN", "AMBER"):
        record = r.Signal(7, 1, 2, kind, value, quality, tlp, 3, "ada", rationale, source_ref,
                          status, labels, NOW, updated)
        row = SignalRow(7, 2, kind, value, quality, tlp, status, rationale, source_ref, NOW,
                        updated, negative, labels)
        assert IndicatorRenderer("node-a").indicator(row) == signal_to_stix(
            record, "node-a", negative=negative)


@pytest.mark.parametrize("local_id", [1, 42, 2**31 - 1, "ent-7"])
def test_the_fast_id_is_the_stix_extension_id(local_id: int | str) -> None:
    for kind in ("indicator", "identity"):
        assert fast_stix_id(kind, "node-a", local_id) == stix_id(kind, "node-a", local_id)
