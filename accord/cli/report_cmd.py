"""``accord report transparency|opt-in``: the transparency report and partner consent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from accord.cli.state import state
from accord.errors import Invalid
from accord.incidents.crisis import expire_due
from accord.reports.transparency import (
    set_report_opt_in,
    transparency_document,
    transparency_report,
)

report_app = typer.Typer(no_args_is_help=True, help="Transparency reports.")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid("{option} {text!r} is not a date", hint="use YYYY-MM-DD", option=option,
                      text=text) from None


@report_app.command("transparency")
def report_transparency(
    ctx: typer.Context,
    first: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD."),
    last: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD."),
    out: Path | None = typer.Option(None, "--out", help="Folder for HTML, PDF and JSON."),
    lang: str | None = typer.Option(None, "--lang", help="The HTML and PDF's language: en, "
                                    "zh-Hans, ar, fr, ru or es (default English)."),
) -> None:
    """The transparency report for a period, as JSON (and HTML and PDF with --out):
    node-wide for the operator, over what the member may see with --as.

    Example: accord report transparency --from 2026-01-01 --to 2026-06-30 --out report/
    """
    from accord.reports.bundle import write_bundle  # matplotlib: only for this command
    from accord.reports.document import reader_locale

    locale = reader_locale(lang)
    st = state(ctx)
    db = st.database()
    expire_due(db)
    data = transparency_report(db, _date(first, "--from"), _date(last, "--to"), st.actor())
    typer.echo(json.dumps(data, indent=2))
    if out is not None:
        paths = write_bundle(transparency_document(data, locale), data, out, "transparency-report")
        st.err.print(f"Wrote {len(paths)} files to {out}")


@report_app.command("opt-in")
def report_opt_in(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="Partner name or id."),
    no: bool = typer.Option(False, "--no", help="Withdraw consent instead."),
) -> None:
    """Let a partner be named in transparency reports (or stop, with --no).

    Example: accord report opt-in "Agency A"
    """
    st = state(ctx)
    named = set_report_opt_in(st.database(), st.actor(), partner, not no)
    st.out.print(f"{partner} is {'now' if named else 'no longer'} named in transparency "
                 "reports.")


def register(app: typer.Typer) -> None:
    """Add ``accord report`` to the root app."""
    app.add_typer(report_app, name="report")
