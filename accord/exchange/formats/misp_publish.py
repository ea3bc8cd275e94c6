"""What Accord publishes for MISP: its taxonomy as a MISP taxonomy, and an object template.

Both are generated here, from Accord's own definitions, and shipped under
``docs/misp/`` in the layout of MISP's own repositories, so a MISP administrator copies
a directory into their instance:

- ``docs/misp/taxonomies/accord/machinetag.json``: Accord's taxonomy in MISP's
  ``machinetag.json`` format (the ``misp-taxonomies`` repository). Namespace ``accord``,
  one predicate per Accord namespace, one entry per taxonomy value; a label
  ``behaviour:recruitment`` is the tag ``accord:behaviour="recruitment"``. The
  ``entity`` namespace has no listed values (its values cite organisations stored on
  a node), so its predicate has no entries and ``accord:entity="qde-115"`` is a tag
  of the namespace that MISP does not list. MISP's taxonomy version is an integer:
  Accord's ``YEAR.N`` becomes ``YEAR * 100 + N`` (``2026.1`` is ``202601``). MISP has
  no place for the Chinese titles or for deprecation: a deprecated value says so in
  its description.
- ``docs/misp/objects/accord-perceptual-hash/definition.json``: a MISP object template
  (the ``misp-objects`` format) for the signals MISP has no attribute type for: PDQ,
  video PDQ, TMK+PDQF, text TLSH, and any plug-in type (``hash`` with
  ``signal-type``). PyMISP's ``describeTypes.json`` has ``tlsh`` but no ``pdq``,
  ``vpdq`` or ``tmk`` type, so those values are ``text`` attributes.

Regenerate both after changing the taxonomy or the template with::

    python -m accord.exchange.formats.misp_publish

and commit the result; ``tests/exchange/test_misp_publish.py`` fails while a shipped
file differs from what this module generates.

UUIDs are uuid5 names in Accord's namespace, so regeneration never changes them.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from accord.exchange.stix_common import ACCORD_NAMESPACE
from accord.taxonomy import Taxonomy, load_taxonomy
from accord.taxonomy.model import TaxonomyEntry, version_key

MISP_NAMESPACE = "accord"
DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "misp"
TAXONOMY_PATH = DOCS_DIR / "taxonomies" / MISP_NAMESPACE / "machinetag.json"

TEMPLATE_NAME = "accord-perceptual-hash"
TEMPLATE_VERSION = 1
TEMPLATE_PATH = DOCS_DIR / "objects" / TEMPLATE_NAME / "definition.json"
TEMPLATE_UUID = str(uuid.uuid5(ACCORD_NAMESPACE, f"misp-object-template:{TEMPLATE_NAME}"))

# object_relation -> (MISP attribute type, Accord signal type or "" , description)
TEMPLATE_RELATIONS: dict[str, tuple[str, str, str]] = {
    "pdq": ("text", "pdq", "PDQ hash of an image: 64 hexadecimal digits (256 bits), "
            "matched by Hamming distance."),
    "video-pdq": ("text", "video_pdq", "Video PDQ (vPDQ): the PDQ hashes of a video's "
                  "frames, in Accord's video_pdq value format."),
    "tmk": ("text", "tmk", "TMK+PDQF hash of a video, as python-threatexchange writes it."),
    "text-tlsh": ("tlsh", "text_tlsh", "TLSH of the text extracted from a document (not of "
                  "the file's bytes), in Accord's text_tlsh form."),
    "hash": ("text", "", "The value of a signal of another type, named by signal-type."),
    "signal-type": ("text", "", "Accord's name of the signal type of the hash attribute."),
    "quality": ("counter", "", "The hasher's quality score, 0 to 100 (PDQ)."),
}
HASH_RELATIONS = ("pdq", "video-pdq", "tmk", "text-tlsh", "hash")
RELATION_OF_TYPE = {kind: relation for relation, (_, kind, _) in TEMPLATE_RELATIONS.items()
                    if kind}


def _uuid(name: str) -> str:
    return str(uuid.uuid5(ACCORD_NAMESPACE, f"misp-taxonomy:{name}"))


def misp_version(version: str) -> int:
    """Accord's taxonomy version ``YEAR.N`` as MISP's integer: ``YEAR * 100 + N``."""
    year, n = version_key(version)
    return year * 100 + n


def _description(entry: TaxonomyEntry) -> str:
    if entry.deprecated_in is None:
        return entry.definition
    successor = f", use {entry.replaced_by}" if entry.replaced_by else ""
    return f"Deprecated in {entry.deprecated_in}{successor}. {entry.definition}"


def taxonomy_machinetag(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """Accord's taxonomy as a MISP ``machinetag.json`` document (see the module docstring)."""
    taxonomy = taxonomy or load_taxonomy()
    predicates = [{"value": ns.name, "expanded": ns.title, "description": ns.definition,
                   "uuid": _uuid(ns.name)} for ns in taxonomy.namespaces]
    values = [{"predicate": ns.name,
               "entry": [{"value": e.value, "expanded": e.title, "description": _description(e),
                          "uuid": _uuid(f"{e.namespace}:{e.value}")} for e in ns.entries]}
              for ns in taxonomy.namespaces if ns.entries]
    return {
        "namespace": MISP_NAMESPACE,
        "expanded": "Accord",
        "description": "Accord's label taxonomy for terrorist and violent extremist content: "
                       "what an item is (content), what it does (behaviour), which violent "
                       "ideology it promotes (ideology), where it was found (context) and "
                       "which designated organisation it cites (entity). Labels never name "
                       "a faith, people or nationality.",
        "version": misp_version(taxonomy.version),
        "uuid": _uuid(MISP_NAMESPACE),
        "type": ["event", "attribute"],
        "exclusive": False,
        "predicates": predicates,
        "values": values,
    }


def perceptual_hash_template() -> dict[str, Any]:
    """The ``accord-perceptual-hash`` MISP object template (``definition.json``)."""
    attributes: dict[str, dict[str, Any]] = {}
    for relation, (misp_type, _, description) in TEMPLATE_RELATIONS.items():
        attribute: dict[str, Any] = {"description": description, "misp-attribute": misp_type,
                                     "ui-priority": 1 if relation in HASH_RELATIONS else 0}
        if relation in ("signal-type", "quality"):
            attribute["disable_correlation"] = True
        if misp_type == "text" and relation in HASH_RELATIONS:
            attribute["categories"] = ["Payload delivery", "Artifacts dropped", "Other"]
        attributes[relation] = attribute
    return {
        "name": TEMPLATE_NAME,
        "meta-category": "file",
        "description": "A perceptual or similarity hash of terrorist or violent extremist "
                       "content shared through Accord (PDQ, video PDQ, TMK+PDQF, text TLSH): "
                       "matched by distance, not equality, so it has no MISP attribute type "
                       "of its own.",
        "version": TEMPLATE_VERSION,
        "uuid": TEMPLATE_UUID,
        "attributes": attributes,
        "requiredOneOf": list(HASH_RELATIONS),
    }


def rendered(document: dict[str, Any]) -> str:
    """A published document as its file holds it: sorted keys, two-space indent."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_published() -> list[Path]:
    """Write both published files under ``docs/misp/``; the paths written."""
    written = []
    for path, document in ((TAXONOMY_PATH, taxonomy_machinetag()),
                           (TEMPLATE_PATH, perceptual_hash_template())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered(document), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_published():
        print(written_path)
