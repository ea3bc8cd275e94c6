"""Accord's files through misp-stix, MISP's own STIX converter, run from its own virtualenv.

What survives each way (``docs/federation.md``, section "MISP"):

- Accord STIX -> misp-stix -> MISP: MD5, SHA-256 and URL indicators become attributes of
  those types, with their TLP as a ``tlp:`` tag. Labels do not survive: misp-stix's
  external path (``ExternalSTIX2IndicatorConverter``) reads an indicator's markings and
  confidence into tags, never its ``labels``. A PDQ indicator (a custom pattern type)
  becomes a ``stix2-pattern`` object holding the pattern, with no type.
- Accord MISP -> misp-stix -> STIX -> Accord: MD5, SHA-256 and URL come back with their
  TLP (misp-stix writes it as a marking) and their labels (misp-stix writes the tags as
  indicator ``labels``; Accord reads its ``accord:`` machine tags there). Labels that name
  no taxonomy label are reported by indicator, never dropped silently. Perceptual
  hashes do not come back: misp-stix writes the ``accord-perceptual-hash`` object as an
  ``x-misp-object``, not an indicator.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.formats import RowError
from accord.curation.signals import SignalInput
from accord.exchange import files
from accord.exchange.formats import read_misp_event
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.tools.venvs import tool_venv

OP = Actor.operator()
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
URL = "https://example.org/propaganda"

CONVERT = r"""
import json, sys
from misp_stix_converter import misp_to_stix2, stix_2_to_misp
way, source, out_dir, out_name = sys.argv[1:5]
if way == "to-stix":
    result = misp_to_stix2(source, version="2.1", output_dir=out_dir, output_name=out_name)
else:
    result = stix_2_to_misp(source, output_dir=out_dir, output_name=out_name)
print(json.dumps({k: str(v) for k, v in result.items()}))
"""


def _convert(way: str, source: Path, tmp_path: Path) -> Any:
    out = tmp_path / f"converted-{way}.json"
    result = tool_venv("misp-stix").python_code(CONVERT, way, str(source), str(tmp_path),
                                                str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout).get("success") == "1", result.stdout
    return json.loads(out.read_text())


def _node(db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER")
    for given in (
        SignalInput("md5", MD5, labels=("behaviour:recruitment", "content:video"), tlp="GREEN"),
        SignalInput("sha256", SHA256, tlp="AMBER"),
        SignalInput("url", URL, labels=("content:video",), tlp="CLEAR"),
        SignalInput("pdq", PDQ, quality=90, labels=("content:image",), tlp="GREEN"),
    ):
        signals.signal_add(db, OP, "a-images", given, settings)
    banks.bank_add(db, OP, "copy", "Agency A", default_tlp="RED")


def _export(db: Database, settings: Settings, fmt: str, path: Path) -> Path:
    with path.open("w") as out:
        files.export_file(db, OP, "a-images", out, fmt, settings)
    return path


def _tags(attribute: dict[str, Any]) -> list[str]:
    return sorted(t["name"] for t in attribute.get("Tag", ()))


def test_accord_stix_through_misp_stix_keeps_hashes_urls_and_tlp_not_labels(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    event = _convert("to-misp", _export(db, settings, "stix", tmp_path / "a.stix.json"),
                     tmp_path)
    event = event.get("Event", event)
    attributes = {a["type"]: (a["value"], _tags(a)) for a in event.get("Attribute", ())}
    assert attributes == {"md5": (MD5, ["tlp:green"]), "sha256": (SHA256, ["tlp:amber"]),
                          "url": (URL, ["tlp:clear"])}
    patterns = [o for o in event.get("Object", ()) if o["name"] == "stix2-pattern"]
    [pdq] = patterns  # untyped: a STIX pattern object, the hash inside its pattern
    assert any(PDQ in a["value"] for a in pdq["Attribute"] if a["type"] == "stix2-pattern")
    # Back into Accord through its MISP reader: what misp-stix kept, and no more.
    path = tmp_path / "converted.json"
    path.write_text(json.dumps(event))
    rows = [item for _, item in read_misp_event(io.StringIO(path.read_text()))]
    back = {(s.signal_type, s.value, s.tlp, s.labels) for s in rows
            if isinstance(s, SignalInput)}
    assert back == {("md5", MD5, "GREEN", ()), ("sha256", SHA256, "AMBER", ()),
                    ("url", URL, "CLEAR", ())}
    assert any("'stix2-pattern' is not a signal" in r.message for r in rows
               if isinstance(r, RowError))


def test_accord_misp_through_misp_stix_back_to_accord_keeps_labels_and_tlp(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    bundle = _convert("to-stix", _export(db, settings, "misp", tmp_path / "a.misp.json"),
                      tmp_path)
    indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert 'accord:behaviour="recruitment"' in {x for o in indicators for x in o["labels"]}
    path = tmp_path / "b.stix.json"
    path.write_text(json.dumps(bundle))
    with path.open("rb") as source:
        report = files.import_file(db, OP, "copy", source, "stix", settings, name=path.name)
    assert report.error_count == 0, report.errors
    kept = {(s.signal_type, s.value, s.tlp, tuple(sorted(s.labels)))
            for s in signals.signal_list(db, OP, bank="copy")}
    assert kept == {("md5", MD5, "GREEN", ("behaviour:recruitment", "content:video")),
                    ("sha256", SHA256, "AMBER", ()),
                    ("url", URL, "CLEAR", ("content:video",))}  # PDQ: an x-misp-object


def test_labels_misp_stix_carries_that_name_no_taxonomy_label_are_reported(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    _node(db, settings)
    exported = json.loads(_export(db, settings, "misp", tmp_path / "a.misp.json").read_text())
    md5 = next(a for a in exported["Event"]["Attribute"] if a["type"] == "md5")
    md5["Tag"] += [{"name": 'osint:source-type="blog-post"'}, {"name": "propaganda"}]
    given = tmp_path / "tagged.misp.json"
    given.write_text(json.dumps(exported))
    bundle = _convert("to-stix", given, tmp_path)
    path = tmp_path / "c.stix.json"
    path.write_text(json.dumps(bundle))
    with path.open("rb") as source:
        report = files.import_file(db, OP, "copy", source, "stix", settings, name=path.name)
    [refusal] = report.errors
    assert refusal.id is not None and refusal.id.startswith("indicator--")
    assert refusal.message == (
        "labels 'osint:source-type=\"blog-post\"', 'propaganda' name no Accord taxonomy "
        "label: not applied (the signal is stored without them; see docs/stix-mapping.md)")
    md5_signal = next(s for s in signals.signal_list(db, OP, bank="copy")
                      if s.signal_type == "md5")
    assert sorted(md5_signal.labels) == ["behaviour:recruitment", "content:video"]
