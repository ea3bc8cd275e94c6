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
    samples: Path | None = typer.Option(
        None, "--samples", help="Only write sample inputs for the README's 'Running a node' "
        "into this folder (a UN list, hashes.csv, photo.jpg, uploads/, corpus.parquet)."),
) -> None:
    """Tour a node on generated data: partners, channels, banks, visibility, disputes, audit.

    Example: accord demo --keep ./demo-node ; accord demo --samples samples
    """
    st = state(ctx)
    if samples is not None:
        from accord.demo.samples import write_samples

        for written in write_samples(samples):
            st.out.print(f"Wrote {written}", markup=False)
        return
    if scenario not in ("tour", "cooperation"):
        raise Invalid("scenario {scenario!r} is not known", hint="use tour or cooperation",
                      scenario=scenario)
    from accord.demo.tour import run_demo

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
            raise Conflict("{path} already exists", hint="remove it or choose another --keep",
                           path=path)
        db = Database(f"sqlite:///{path}")
        try:
            upgrade(db)
            settings = Settings(home=folder, database_url=db.url)
            st.out.print(f"[bold]Accord demo[/] on {path}")
            report = run_demo(db, settings, lambda line: st.out.print(line, markup=False),
                              signals_count=signals_count)
            signing_in = _passwords(db) if keep else {}
        finally:
            db.dispose()
        st.out.print(f"[green]Done.[/] {report.signals_imported:,} signals shared; "
                     f"audit chain {'intact' if report.audit_ok else 'BROKEN'}.")
        if keep:
            _explain_kept(st.out, path, signing_in)


def _passwords(db: Database) -> dict[str, str]:
    """Give the kept demo's members generated passwords, so the web UI can be tried."""
    import secrets

    from accord.sharing import accounts
    from accord.sharing.roles import Actor

    given = {}
    for username in ("alice", "bob", "gina"):
        given[username] = secrets.token_urlsafe(12)
        accounts.member_set_password(db, Actor.operator("demo"), username, given[username])
    return given


def _explain_kept(out: Console, path: Path, passwords: dict[str, str]) -> None:
    db = f"sqlite:///{path}"
    out.print(f"Explore it: accord --db {db} signal list --limit 5", markup=False)
    out.print(f"Serve it:   accord --db {db} serve   (then open http://127.0.0.1:8000/)",
              markup=False)
    roles = {"alice": "Agency Alpha curator", "bob": "Agency Beta reviewer",
             "gina": "Platform Gamma reviewer"}
    for username, password in passwords.items():
        out.print(f"Sign in as {username} ({roles[username]}) with password {password}",
                  markup=False)


def _cooperation(out: Console, folder: Path) -> None:
    """The four-node cooperation scenario; North's node is served from a thread."""
    from accord.app import serve_on_loopback
    from accord.demo.scenario import run_cooperation_demo

    taken = sorted(p.name for p in folder.glob("*.sqlite3"))
    if taken:
        raise Conflict("{folder} already holds {taken}",
                       hint="remove them or choose another --keep", folder=folder,
                       taken=', '.join(taken))
    out.print(f"[bold]Accord cooperation scenario[/] in {folder}")
    coop = run_cooperation_demo(folder, lambda line: out.print(line, markup=False),
                                serve_on_loopback)
    out.print(f"[green]Done.[/] {len(coop.nodes)} nodes; audit chains "
              f"{'intact' if coop.audit_ok else 'BROKEN'}.")
