"""``accord flows import|report``: aggregate foreign-fighter flows."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from accord.cli.incidents_cmd import print_import_report
from accord.cli.state import state
from accord.incidents import flows
from accord.incidents.service import Sharing
from accord.incidents.tables import open_table

flows_app = typer.Typer(no_args_is_help=True,
                        help="Foreign-fighter flows: aggregate counts, never persons.")


@flows_app.command("import")
def flows_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="CSV: origin_country, destination, direction, "
                                "period_start, period_end, count, confidence[, "
                                "transit_country, group, source]."),
    owner: str = typer.Option(..., "--owner", help="Partner contributing the flows."),
    tlp: str = typer.Option("AMBER", "--tlp", help="TLP 2.0 marking."),
    channel: str | None = typer.Option(None, "--channel", help="Channel they are shared to."),
) -> None:
    """Import aggregate flows; a file with columns about persons is refused.

    Example: accord flows import flows.csv --owner "Agency A" --tlp AMBER --channel ab
    """
    st = state(ctx)
    report = flows.flow_import(st.database(), st.actor(), open_table(path),
                               Sharing(owner, tlp, channel))
    print_import_report(ctx, report)


@flows_app.command("report")
def flows_report(
    ctx: typer.Context,
    first: int = typer.Option(..., "--from", help="First year."),
    last: int = typer.Option(..., "--to", help="Last year."),
    out: Path | None = typer.Option(None, "--out", help="Folder for HTML, PDF, JSON, charts."),
    lang: str | None = typer.Option(None, "--lang", help="The report's language: en, "
                                    "zh-Hans, ar, fr, ru or es (default English)."),
) -> None:
    """Routes and per-country departures and returns; small counts suppressed.

    Example: accord flows report --from 2013 --to 2019 --out flows/ --lang fr
    """
    from accord.reports.bundle import write_bundle  # matplotlib: only for this command
    from accord.reports.document import reader_locale
    from accord.reports.flow_report import aggregate, flow_document

    st = state(ctx)
    locale = reader_locale(lang)
    rows = flows.flow_rows(st.database(), st.actor(), first, last)
    data = aggregate(rows, st.settings.flow_suppress_below)
    typer.echo(json.dumps(data, indent=2))
    if out is not None:
        paths = write_bundle(flow_document(data, first, last, locale), data, out, "flow-report")
        st.err.print(f"Wrote {len(paths)} files to {out}")


def register(app: typer.Typer) -> None:
    """Add ``accord flows`` to the root app."""
    app.add_typer(flows_app, name="flows")
