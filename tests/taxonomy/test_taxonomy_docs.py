"""docs/taxonomy.md lists every taxonomy entry, exactly as the file defines it."""

from __future__ import annotations

from pathlib import Path

from accord.taxonomy import load_taxonomy
from accord.taxonomy.docs import TABLE_HEADER, markdown_row

DOCS = Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md"


def test_every_taxonomy_entry_has_an_up_to_date_row_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        str(entry.label)
        for entry in load_taxonomy().entries()
        if markdown_row(entry) not in text.splitlines()
    ]
    assert not missing, (
        f"docs/taxonomy.md lacks or has stale rows for {missing}; "
        "regenerate the table with `python -m accord.taxonomy.docs`"
    )


def test_docs_table_has_its_header() -> None:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    assert list(TABLE_HEADER) == lines[lines.index(TABLE_HEADER[0]) :][:2]


def test_docs_state_the_rule_on_faiths_peoples_and_nationalities() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "never names a faith, a people, an ethnicity or a nationality" in text
    assert "Values are never renamed or removed" in text
