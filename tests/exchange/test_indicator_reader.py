"""The one reader of the Accord indicator gives the same reading (or the same refusal)
whether an indicator takes its fast path (Accord's own shape) or the strict ``stix2`` one,
over a corpus of every signal type, TLP and status, and malformed objects."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accord.errors import Invalid
from accord.exchange.indicator import (
    IndicatorRenderer,
    SignalRow,
    StixSignal,
    _accord_reading,
    _strict_reading,
    indicator_to_signal,
)
from accord.exchange.stix_common import EXTENSION_ID, TLP1_MARKING_IDS, TLP_MARKING_IDS
from accord.sharing.tlp import Tlp
from accord.signals import get_signal_type, signal_type_names

CREATED = dt.datetime(2026, 2, 1, 8, 0, 0, 250000, tzinfo=dt.UTC)


def _written(kind: str, tlp: Tlp, status: str, *, negative: bool = False,
             labels: tuple[str, ...] = (), rationale: str = "") -> dict[str, Any]:
    signal_type = get_signal_type(kind)
    quality = 90 if signal_type.has_quality else None
    row = SignalRow(3, 2, kind, signal_type.examples()[0], quality, tlp.value, status,
                    rationale, "ref-1" if negative else "", CREATED,
                    CREATED + dt.timedelta(minutes=5), negative, labels)
    return IndicatorRenderer("node-a").indicator(row)


def _edited(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    obj = _written("md5", Tlp.AMBER, "active")
    edit(obj)
    return obj


def _ext(obj: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = obj["extensions"][EXTENSION_ID]
    return found


def _corpus() -> Iterator[tuple[str, dict[str, Any]]]:
    for kind in signal_type_names():
        for tlp in Tlp:
            for status in ("active", "quarantined", "retracted"):
                yield f"{kind}-{tlp.value}-{status}", _written(kind, tlp, status)
        yield f"{kind}-negative", _written(kind, Tlp.GREEN, "active", negative=True,
                                           labels=("behaviour:recruitment",), rationale="why")
    yield "upper-case-value", _edited(lambda o: _ext(o).update(value="ABCDEF" * 5 + "01"))
    yield "bad-value", _edited(lambda o: _ext(o).update(value="not hex"))
    yield "unknown-type", _edited(lambda o: _ext(o).update(signal_type="nope"))
    yield "unknown-status", _edited(lambda o: _ext(o).update(status="deleted"))
    yield "float-quality", _edited(lambda o: _ext(o).update(quality=1.5))
    yield "bool-quality", _edited(lambda o: _ext(o).update(quality=True))
    yield "two-tlps", _edited(lambda o: o.update(object_marking_refs=[
        TLP_MARKING_IDS[Tlp.GREEN], TLP_MARKING_IDS[Tlp.RED]]))
    yield "tlp-1", _edited(lambda o: o.update(object_marking_refs=list(TLP1_MARKING_IDS)[:1]))
    yield "no-tlp", _edited(lambda o: o.pop("object_marking_refs"))
    yield "default-description", _edited(lambda o: o.update(
        description="A md5 signal shared through Accord."))
    yield "no-created-by", _edited(lambda o: o.pop("created_by_ref"))


CORPUS = dict(_corpus())


def _outcome(read: Callable[[dict[str, Any]], StixSignal | None],
             obj: dict[str, Any]) -> object:
    try:
        return read(copy.deepcopy(obj))
    except Invalid as exc:
        return f"Invalid: {exc.message}"


@pytest.mark.parametrize("name", list(CORPUS))
def test_the_fast_path_reads_as_the_strict_one(name: str) -> None:
    obj = CORPUS[name]
    strict = _outcome(_strict_reading, obj)
    assert _outcome(_accord_reading, obj) in (None, strict)  # None: not Accord's shape
    assert _outcome(indicator_to_signal, obj) == strict


def test_every_indicator_accord_writes_takes_the_fast_path() -> None:
    written = [obj for name, obj in CORPUS.items() if "-" in name and name.split("-")[0]
               in signal_type_names()]
    assert written and all(_accord_reading(obj) is not None for obj in written)


def test_the_reading_carries_the_canonical_type_and_value() -> None:
    found = indicator_to_signal(CORPUS["upper-case-value"])
    assert (found.signal.signal_type, found.signal.value) == ("md5", "abcdef" * 5 + "01")


def test_a_refusal_names_the_object() -> None:
    obj = CORPUS["bad-value"]
    with pytest.raises(Invalid, match=obj["id"]):
        indicator_to_signal(obj)
