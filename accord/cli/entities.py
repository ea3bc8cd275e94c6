"""``accord entity ...``: organisations and who designates them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from accord.cli.state import state
from accord.entities import service
from accord.errors import Invalid
from accord.store import records as r

entity_app = typer.Typer(help="Entities: designated organisations (never persons).",
                         no_args_is_help=True)


@entity_app.command("import")
def entity_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="UN Security Council Consolidated List XML."),
) -> None:
    """Import organisations from the UN Consolidated List; individuals are dropped.

    Example: accord entity import consolidated.xml
    """
    st = state(ctx)
    if not path.is_file():
        raise Invalid("no file {path!r}", path=str(path))
    report = service.import_un_list(st.database(), st.actor(), path)
    for warning in report.warnings:
        st.err.print(f"warning: {warning}", markup=False)
    st.out.print(f"Entities: {report.created} added, {report.updated} updated, "
                 f"{report.unchanged} unchanged; {report.individuals_dropped} individual "
                 "entries dropped (Accord holds no data on persons).")


@entity_app.command("add")
def entity_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The organisation's name."),
    ref: str = typer.Option(..., "--ref", help="Label reference, e.g. eu-2002-334."),
    alias: list[str] = typer.Option([], "--alias", help="NAME or NAME@SCRIPT (Latn, Hani, Arab)."),
    designation: list[str] = typer.Option(
        [], "--designation", help="SOURCE:REFERENCE:LISTED[:DELISTED], repeatable."),
) -> None:
    """Add or update an organisation listed by a national or regional list.

    Example: accord entity add "Example Front" --ref ex-front --designation EU:EU-1:2020-01-31
    """
    st = state(ctx)
    aliases = []
    for text in alias:
        alias_name, _, script = text.rpartition("@") if "@" in text else (text, "", "")
        aliases.append(r.AliasRecord(alias_name, script or "Zyyy"))
    given = service.EntityInput(ref, name, tuple(aliases),
                                tuple(service.parse_designation(d) for d in designation))
    e = service.entity_add(st.database(), st.actor(), given)
    st.out.print(f"Entity {e.ref}: {e.name}, {len(e.designations)} designation(s).")


@entity_app.command("list")
def entity_list(
    ctx: typer.Context,
    search: str = typer.Option("", "--search", help="Only entities whose reference, name or "
                               "an alias (in any script) holds this text."),
) -> None:
    """List entities with every designation side by side.

    Example: accord entity list --search 东突厥斯坦
    """
    st = state(ctx)
    table = Table("ref (label entity:…)", "name", "aliases", "designations")
    found = service.entity_search(st.database(), search) if search.strip() else \
        service.entity_list(st.database())
    for e in found:
        designations = "; ".join(
            f"{d.source} {d.reference} since {d.listed_on or '?'}"
            + (f", delisted {d.delisted_on}" if d.delisted_on else "")
            for d in e.designations)
        table.add_row(e.ref, e.name, ", ".join(a.name for a in e.aliases), designations)
    st.out.print(table)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(entity_app, name="entity")
