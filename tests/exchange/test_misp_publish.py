"""The taxonomy and the object template Accord publishes for MISP: the shipped files are what
the generator writes, and MISP's own loaders (pytaxonomies, PyMISP) read them."""

from __future__ import annotations

import io
import json
from pathlib import Path

from accord.curation.signals import SignalInput
from accord.exchange.formats import write_misp_event
from accord.exchange.formats.misp_publish import (
    TAXONOMY_PATH,
    TEMPLATE_PATH,
    misp_version,
    perceptual_hash_template,
    rendered,
    taxonomy_machinetag,
)
from accord.taxonomy import load_taxonomy
from tests.tools.venvs import tool_venv


def test_the_shipped_taxonomy_and_template_are_what_the_generator_writes() -> None:
    hint = "regenerate with: python -m accord.exchange.formats.misp_publish"
    assert TAXONOMY_PATH.read_text(encoding="utf-8") == rendered(taxonomy_machinetag()), hint
    assert TEMPLATE_PATH.read_text(encoding="utf-8") == rendered(perceptual_hash_template()), hint


def test_every_taxonomy_entry_is_a_machine_tag_of_the_accord_namespace() -> None:
    document = taxonomy_machinetag()
    entries = {f"{v['predicate']}:{e['value']}" for v in document["values"] for e in v["entry"]}
    assert entries == {str(e.label) for e in load_taxonomy().entries()}
    assert [p["value"] for p in document["predicates"]] == [
        n.name for n in load_taxonomy().namespaces]
    assert misp_version("2026.1") == 202601


LOAD_TAXONOMY = r"""
import json, sys
from pathlib import Path
from pytaxonomies import Taxonomies
root = Path(sys.argv[1])
manifest = root / "MANIFEST.json"
manifest.write_text(json.dumps({
    "description": "Accord", "license": "CC0", "path": "machinetag.json", "url": str(root),
    "version": 1, "taxonomies": [{"name": "accord", "description": "Accord", "version": 1}]}))
taxonomies = Taxonomies(manifest_path=manifest)
taxonomies.validate_with_schema()  # misp-taxonomies' own schema.json
accord = taxonomies["accord"]
reverted = []
for tag in json.loads(sys.argv[2]):
    found = taxonomies.revert_machinetag(tag)
    reverted.append([found[0].name, *(str(part) for part in found[1:])])
print(json.dumps({"version": accord.version, "machinetags": sorted(accord.machinetags()),
                  "reverted": reverted}))
"""


def test_pytaxonomies_loads_the_published_taxonomy_and_reverts_exported_tags(
        tmp_path: Path) -> None:
    (tmp_path / "accord").mkdir()
    (tmp_path / "accord" / "machinetag.json").write_bytes(TAXONOMY_PATH.read_bytes())
    out = io.StringIO()
    write_misp_event([SignalInput("md5", "d41d8cd98f00b204e9800998ecf8427e",
                                  labels=("behaviour:recruitment", "content:video"))], out)
    tags = [t["name"] for t in json.loads(out.getvalue())["Event"]["Attribute"][0]["Tag"]]
    result = tool_venv("pymisp").python_code(LOAD_TAXONOMY, str(tmp_path), json.dumps(tags))
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout)
    assert seen["version"] == 202601
    assert 'accord:behaviour="recruitment"' in seen["machinetags"]
    assert len(seen["machinetags"]) == len(load_taxonomy().entries()) + 1  # + accord:entity
    assert seen["reverted"] == [["accord", "behaviour", "recruitment"],
                                ["accord", "content", "video"]]


VALIDATE_TEMPLATE = r"""
import json, sys
from pathlib import Path
import jsonschema, pymisp
schema = json.loads((Path(pymisp.__file__).parent / "data" / "misp-objects"
                     / "schema_objects.json").read_text())
jsonschema.validate(json.loads(Path(sys.argv[1]).read_text()), schema)
print(json.dumps("ok"))
"""


def test_the_template_is_valid_against_misp_objects_schema() -> None:
    result = tool_venv("pymisp").python_code(VALIDATE_TEMPLATE, str(TEMPLATE_PATH))
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == "ok"
