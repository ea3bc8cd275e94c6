"""pytx's ``vpdq`` value and Accord's ``video_pdq`` value, checked with pytx's own code.

pytx's vpdq extension (``extensions/vpdq/vpdq_util.py``: ``json_to_vpdq``,
``vpdq_to_json``; ``vpdq.py``: ``VPDQSignal``) runs in pytx's virtualenv, with a stub
for the C++ binding it only needs for hashing files (``tests/exchange/pytx_cli.py``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.signals import get_signal_type
from accord.signals.base import InvalidSignal
from accord.signals.video import from_vpdq_json, to_vpdq_json
from tests.exchange.pytx_cli import PytxCli

VIDEO = get_signal_type("video_pdq")
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"

# Reads a JSON list of vpdq values on stdin; for each: what pytx parses (hex, quality,
# timestamp), whether VPDQSignal accepts it, pytx's re-serialisation, and its match
# percentages against the first value.
_PYTX = """
import json, sys
from threatexchange.extensions.vpdq.vpdq import VPDQSignal
from threatexchange.extensions.vpdq.vpdq_util import json_to_vpdq, vpdq_to_json
values = json.load(sys.stdin)
out = []
for value in values:
    VPDQSignal.validate_signal_str(value)
    features = json_to_vpdq(value)
    match = VPDQSignal.compare_hash(values[0], value)
    out.append({"features": [[f.pdq_hex, f.quality, f.timestamp] for f in features],
                "again": vpdq_to_json(features), "match": match.match})
print(json.dumps(out))
"""
_PYTX_MADE = """
import json
from threatexchange.extensions.vpdq.vpdq import VPDQSignal
from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature, vpdq_to_json
hexes = [h for h in json.loads(%r)]
features = [VpdqCompactFeature(h, q, float(t)) for t, (h, q) in enumerate(hexes)]
print(json.dumps([VPDQSignal.get_examples()[0], vpdq_to_json(features)]))
"""


def _frames(count: int, stride: int = 30) -> str:
    hexes = [f"{i:064x}" for i in range(count)]
    return ";".join(f"{i * stride}:{100 - i % 50}:{h}" for i, h in enumerate(hexes))


@pytest.fixture(scope="module")
def pytx(tmp_path_factory: pytest.TempPathFactory) -> PytxCli:
    return PytxCli.make(tmp_path_factory.mktemp("pytx"))


def _pytx_reads(pytx: PytxCli, values: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(pytx.python(_PYTX, json.dumps(values)))
    return out


def test_pytx_reads_accords_values_frame_for_frame_and_writes_them_back_byte_for_byte(
        pytx: PytxCli) -> None:
    """Past 100 s pytx writes 3 significant digits (``1.5e+02``); so does Accord."""
    ours = [to_vpdq_json(VIDEO.validate(v)) for v in (_frames(3), _frames(160), _frames(1))]
    read = _pytx_reads(pytx, ours)
    for value, seen in zip(ours, read, strict=True):
        assert seen["again"] == value
        frames = VIDEO.validate(from_vpdq_json(value)).split(";")
        assert [[h, q] for h, q, _ in seen["features"]] == [
            [f.split(":")[2], int(f.split(":")[1])] for f in frames]
    assert [t for _, _, t in read[1]["features"]][:3] == [0.0, 1.0, 2.0]
    assert read[1]["features"][150][2] == 150.0
    assert f'"{150:064x},100,1.5e+02"' in ours[1]


def test_accord_reads_values_pytx_made_and_gives_them_back_unchanged(pytx: PytxCli) -> None:
    hexes = [(PDQ, 100), ("a5" * 32, 90), ("0f" * 32, 40)]
    made = json.loads(pytx.python(_PYTX_MADE % json.dumps(hexes)))
    for value in made:
        canonical = VIDEO.validate(value)
        assert to_vpdq_json(canonical) == value
        parsed = json.loads(value)
        assert [item.split(":")[1:] for item in canonical.split(";")] == [
            [item.split(",")[1], item.split(",")[0]] for item in parsed]


def test_a_round_trip_through_pytx_matches_the_original_on_both_sides(pytx: PytxCli) -> None:
    original = VIDEO.validate(_frames(20))
    through_pytx = VIDEO.validate(from_vpdq_json(to_vpdq_json(original)))
    assert VIDEO.distance(original, through_pytx) == 0
    read = _pytx_reads(pytx, [to_vpdq_json(original), to_vpdq_json(through_pytx)])
    assert read[1]["match"] is True


@pytest.mark.parametrize(("value", "message"), [
    ("[]", "expected a JSON list of at least one"),
    ("[{}", "not a JSON list"),
    (json.dumps([f"{PDQ},100"]), "item 0 is not '<64 hex digits>,<quality 0-100>,<seconds>'"),
    (json.dumps([f"{PDQ},100,0.0", f"{PDQ},101,1.0"]), "item 1 is not"),
    (json.dumps([f"{PDQ},100,-1.0"]), "item 0 is not"),
    (json.dumps([f"{PDQ[:-1]},100,0.0"]), "item 0 is not"),
])
def test_a_malformed_vpdq_value_is_refused_with_the_rule(value: str, message: str) -> None:
    with pytest.raises(InvalidSignal, match=message):
        VIDEO.validate(value)


def test_a_pytx_list_is_numbered_by_its_sampling_so_the_comparison_reads_its_rate() -> None:
    from accord.index.video import parse_frames
    from accord.signals.video import from_vpdq_json

    every_frame = json.dumps([f"{'ab' * 32},100,{n / 30:.3}" for n in range(900)])
    one_a_second = json.dumps([f"{'ab' * 32},100,{float(n):.3}" for n in range(30)])
    assert [f for f, _, _ in parse_frames(from_vpdq_json(every_frame))][:4] == [0, 1, 2, 3]
    assert [f for f, _, _ in parse_frames(from_vpdq_json(one_a_second))][:4] == [0, 30, 60, 90]
