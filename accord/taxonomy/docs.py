"""Render the taxonomy as the Markdown table kept in ``docs/taxonomy.md``.

Regenerate the table after editing the taxonomy file with::

    python -m accord.taxonomy.docs

and paste the output over the table in ``docs/taxonomy.md``; a test fails
while any entry's row is missing or stale.
"""

from __future__ import annotations

from accord.taxonomy.loader import load_taxonomy
from accord.taxonomy.model import TaxonomyEntry
from accord.taxonomy.taxonomy import Taxonomy

TABLE_HEADER = (
    "| namespace | value | English | 中文 | definition | added in |",
    "| --- | --- | --- | --- | --- | --- |",
)


def markdown_row(entry: TaxonomyEntry) -> str:
    """One table row for ``entry``; deprecated entries say so in the definition cell."""
    definition = entry.definition.replace("|", "\\|")
    if entry.deprecated_in is not None:
        successor = f", use `{entry.replaced_by}`" if entry.replaced_by else ""
        definition = f"*Deprecated in {entry.deprecated_in}{successor}.* {definition}"
    return (
        f"| {entry.namespace} | `{entry.value}` | {entry.title} | {entry.title_zh} "
        f"| {definition} | {entry.added_in} |"
    )


def markdown_table(taxonomy: Taxonomy) -> str:
    """The whole table, one row per entry in file order."""
    rows = [*TABLE_HEADER, *(markdown_row(entry) for entry in taxonomy.entries())]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(load_taxonomy()), end="")
