"""``accord demo``: the self-contained tour."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich.console import Console

from accord.cli.state import state
from accord.config import Settings
from accord.errors import Conflict, Invalid
from accord.store.database import Database
from accord.store.schema import upgrade


def demo(
    ctx: typer.Context,
    keep: Path | None = typer.Option(
        None, "--keep", help="Write the demo database into this folder and keep it."),
    signals_count: int = typer.Option(2000, "--signals", min=10, max=1_000_000,
                                      help="How many generated PDQ signals to import."),
    scenario: str = typer.Option("tour", "--scenario",
                                 help="tour (a node's basics) or cooperation (four nodes on "
                                 "127.0.0.1: incident patterns, designations, flows, TAXII "
                                 "sync and matching, requests, liaison, programmes)."),
) -> None:
    """Tour a node on generated data: partners, channels, banks, visibility, disputes, audit.

    Example: accord demo --keep ./demo-node ; accord demo --scenario cooperation
    """
    if scenario not in ("tour", "cooperation"):
        raise Invalid(f"scenario {scenario!r} is not known", hint="use tour or cooperation")
    from accord.demo.tour import run_demo

    st = state(ctx)
    with tempfile.TemporaryDirectory(prefix="accord-demo-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if scenario == "cooperation":
            _cooperation(st.out, folder)
            if keep:
                st.out.print(f"Explore a node: accord --db sqlite:///{folder / 'platform.sqlite3'}"
                             " signal list --limit 5")
            return
        path = folder / "demo.sqlite3"
        if path.exists():
            raise Conflict(f"{path} already exists", hint="remove it or choose another --keep")
        db = Database(f"sqlite:///{path}")
        try:
            upgrade(db)
            settings = Settings(home=folder, database_url=db.url)
            st.out.print(f"[bold]Accord demo[/] on {path}")
            report = run_demo(db, settings, lambda line: st.out.print(line, markup=False),
                              signals_count=signals_count)
        finally:
            db.dispose()
        st.out.print(f"[green]Done.[/] {report.signals_imported:,} signals shared; "
                     f"audit chain {'intact' if report.audit_ok else 'BROKEN'}.")
        if keep:
            st.out.print(f"Explore it: accord --db sqlite:///{path} signal list --limit 5")


def _cooperation(out: Console, folder: Path) -> None:
    """The four-node cooperation scenario; North's node is served from a thread."""
    from accord.app import serve_on_loopback
    from accord.demo.scenario import run_cooperation_demo

    taken = sorted(p.name for p in folder.glob("*.sqlite3"))
    if taken:
        raise Conflict(f"{folder} already holds {', '.join(taken)}",
                       hint="remove them or choose another --keep")
    out.print(f"[bold]Accord cooperation scenario[/] in {folder}")
    coop = run_cooperation_demo(folder, lambda line: out.print(line, markup=False),
                                serve_on_loopback)
    out.print(f"[green]Done.[/] {len(coop.nodes)} nodes; audit chains "
              f"{'intact' if coop.audit_ok else 'BROKEN'}.")
