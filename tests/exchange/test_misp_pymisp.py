"""Accord's MISP files against the real PyMISP, run from its own virtualenv.

- PyMISP's ``MISPEvent`` loads Accord's export with the distribution each TLP maps to,
  the owning partner as ``Orgc``, the event date and TLP tag, labels as ``accord:``
  machine tags, and PDQ as an object of Accord's published template, which PyMISP's
  strict object validation accepts.
- Accord imports what PyMISP's ``to_json()`` writes: a bare event, objects only, with
  attributes inside objects (MISP's ``file`` template and Accord's own).
- A round trip Accord -> PyMISP -> Accord keeps type, value, TLP, labels and quality.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.formats import RowError
from accord.curation.signals import SignalInput
from accord.exchange import files
from accord.exchange.formats import read_misp_event
from accord.exchange.formats.misp_publish import TEMPLATE_PATH, TEMPLATE_UUID
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.tools.venvs import tool_venv

OP = Actor.operator()
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
OBJECTS_DIR = TEMPLATE_PATH.parent.parent


def _pymisp(code: str, *args: str) -> Any:
    """Run ``code`` in PyMISP's virtualenv; it prints one JSON document, returned parsed."""
    result = tool_venv("pymisp").python_code(code, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _node(db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER")
    for given in (
        SignalInput("md5", MD5, labels=("behaviour:recruitment", "content:video"), tlp="GREEN",
                    rationale="seen on a forum"),
        SignalInput("url", "https://example.org/propaganda", tlp="CLEAR"),
        SignalInput("sha256", SHA256, tlp="AMBER"),
        SignalInput("pdq", PDQ, quality=90, labels=("content:image",), tlp="GREEN"),
    ):
        signals.signal_add(db, OP, "a-images", given, settings)


def _export(db: Database, settings: Settings, path: Path) -> None:
    with path.open("w") as out:
        assert files.export_file(db, OP, "a-images", out, "misp", settings) == 4


LOAD_EXPORT = r"""
import json, sys
from pymisp import MISPEvent, MISPObject
event = MISPEvent()
event.load_file(sys.argv[1])
def tags(x): return sorted(t.name for t in x.tags)
out = {
    "distribution": event.distribution, "date": event.date.isoformat(),
    "orgc": {"name": event.Orgc.name, "uuid": event.Orgc.uuid},
    "org": event.Org.name, "tags": tags(event),
    "attributes": {a.type: {"value": a.value, "distribution": a.distribution,
                            "tags": tags(a), "to_ids": a.to_ids}
                   for a in event.attributes},
    "objects": [{"name": o.name, "template_uuid": o.template_uuid,
                 "distribution": o.distribution,
                 "attributes": {a.object_relation: {"type": a.type, "value": a.value,
                                                    "tags": tags(a)}
                                for a in o.attributes}} for o in event.objects],
}
# The published template, as PyMISP's strict validation reads it.
strict = MISPObject("accord-perceptual-hash", strict=True,
                    misp_objects_path_custom=sys.argv[2])
for relation, attribute in out["objects"][0]["attributes"].items():
    strict.add_attribute(relation, value=attribute["value"])
strict.to_json()
out["strict_template_uuid"] = strict.template_uuid
out["strict_types"] = {a.object_relation: a.type for a in strict.attributes}
print(json.dumps(out))
"""


def test_pymisp_loads_accords_export_with_distribution_orgc_date_tlp_labels_and_objects(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    path = tmp_path / "a.misp.json"
    _export(db, settings, path)
    seen = _pymisp(LOAD_EXPORT, str(path), str(OBJECTS_DIR))
    assert seen["orgc"]["name"] == seen["org"] == "Agency A"
    assert len(seen["orgc"]["uuid"]) == 36
    assert seen["date"] == dt.datetime.now(dt.UTC).date().isoformat()
    # The event is as restricted as its most restricted signal (AMBER: your organisation).
    assert seen["tags"] == ["tlp:amber"]
    assert seen["distribution"] == 0
    assert seen["attributes"] == {
        "md5": {"value": MD5, "distribution": 1, "to_ids": True,
                "tags": ['accord:behaviour="recruitment"', 'accord:content="video"',
                         "tlp:green"]},
        "url": {"value": "https://example.org/propaganda", "distribution": 3,
                "to_ids": True, "tags": ["tlp:clear"]},
        "sha256": {"value": SHA256, "distribution": 0, "to_ids": True,
                   "tags": ["tlp:amber"]},
    }
    [pdq] = seen["objects"]
    assert pdq == {"name": "accord-perceptual-hash", "template_uuid": TEMPLATE_UUID,
                   "distribution": 1, "attributes": {
                       "pdq": {"type": "text", "value": PDQ,
                               "tags": ['accord:content="image"', "tlp:green"]},
                       "quality": {"type": "counter", "value": "90", "tags": []}}}
    assert seen["strict_template_uuid"] == TEMPLATE_UUID
    assert seen["strict_types"] == {"pdq": "text", "quality": "counter"}


def test_a_clear_only_export_is_shared_with_all_communities(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "open", "Agency A", default_tlp="CLEAR")
    signals.signal_add(db, OP, "open", SignalInput("md5", MD5), settings)
    path = tmp_path / "open.json"
    with path.open("w") as out:
        files.export_file(db, OP, "open", out, "misp", settings)
    seen = _pymisp("import json, sys\nfrom pymisp import MISPEvent\ne = MISPEvent()\n"
                   "e.load_file(sys.argv[1])\nprint(json.dumps([e.distribution, "
                   "[t.name for t in e.tags], e.uuid]))", str(path))
    assert seen[:2] == [3, ["tlp:clear"]]
    again = io.StringIO()
    files.export_file(db, OP, "open", again, "misp", settings)
    assert json.loads(again.getvalue())["Event"]["uuid"] == seen[2]  # one event, updated


OBJECTS_ONLY = r"""
import sys
from pymisp import MISPEvent, MISPObject
event = MISPEvent()
event.info = "OSINT - propaganda video re-uploads"
event.distribution = 1
event.add_tag("tlp:green")
file_object = MISPObject("file")
file_object.add_attribute("filename", value="clip.mp4")
file_object.add_attribute("md5", value=sys.argv[1], Tag=[{"name": 'accord:content="video"'}])
file_object.add_attribute("sha256", value=sys.argv[2])
event.add_object(file_object)
pdq = MISPObject("accord-perceptual-hash", strict=True, misp_objects_path_custom=sys.argv[4])
pdq.add_attribute("pdq", value=sys.argv[3], Tag=[{"name": "tlp:amber"}])
pdq.add_attribute("quality", value=77)
event.add_object(pdq)
print(event.to_json())
"""


def test_accord_imports_pymisps_to_json_of_an_objects_only_event(
        db: Database, settings: Settings) -> None:
    text = tool_venv("pymisp").python_code(OBJECTS_ONLY, MD5, SHA256, PDQ, str(OBJECTS_DIR))
    assert text.returncode == 0, text.stderr[-3000:]
    written = json.loads(text.stdout)
    assert "Event" not in written and "Attribute" not in written  # bare, objects only
    rows = [item for _, item in read_misp_event(io.StringIO(text.stdout))]
    assert [r.message for r in rows if isinstance(r, RowError)] == [
        "attribute type 'filename' is not a signal Accord shares (md5, sha256, url)"]
    found = {(s.signal_type, s.value, s.tlp, s.labels, s.quality)
             for s in rows if isinstance(s, SignalInput)}
    assert found == {("md5", MD5, "GREEN", ("content:video",), None),
                     ("sha256", SHA256, "GREEN", (), None),
                     ("pdq", PDQ, "AMBER", (), 77)}
    service.partner_add(db, OP, "Agency B", "agency", "DE")
    banks.bank_add(db, OP, "from-misp", "Agency B", default_tlp="GREEN")
    report = files.import_file(db, OP, "from-misp", io.BytesIO(text.stdout.encode()), "misp",
                               settings, name="event.json")
    assert report.imported == 3
    assert report.error_count == 1  # the file name, by attribute


ROUND_TRIP = r"""
import sys
from pymisp import MISPEvent
event = MISPEvent()
event.load_file(sys.argv[1])
print(event.to_json())
"""


def test_accord_to_pymisp_to_accord_keeps_type_value_tlp_labels_and_quality(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    path = tmp_path / "a.misp.json"
    _export(db, settings, path)
    again = tool_venv("pymisp").python_code(ROUND_TRIP, str(path))
    assert again.returncode == 0, again.stderr[-3000:]
    banks.bank_add(db, OP, "copy", "Agency A", default_tlp="RED")
    report = files.import_file(db, OP, "copy", io.BytesIO(again.stdout.encode()), "misp",
                               settings, name="again.json")
    assert (report.imported, report.error_count) == (4, 0)
    kept = {(s.signal_type, s.value, s.tlp, tuple(sorted(s.labels)), s.quality)
            for s in signals.signal_list(db, OP, bank="copy")}
    before = {(s.signal_type, s.value, s.tlp, tuple(sorted(s.labels)), s.quality)
              for s in signals.signal_list(db, OP, bank="a-images")}
    assert kept == before


@pytest.mark.parametrize("bare", [True, False])
def test_an_event_with_only_objects_is_not_refused(bare: bool) -> None:
    event: dict[str, Any] = {"info": "x", "Object": [
        {"name": "file", "Attribute": [{"type": "md5", "value": MD5}]}]}
    text = json.dumps(event if bare else {"Event": event})
    assert [item for _, item in read_misp_event(io.StringIO(text))] == [SignalInput("md5", MD5)]
