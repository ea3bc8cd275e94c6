"""``accord index ...``: the match index snapshot that makes start-up fast."""

from __future__ import annotations

import time

import typer

from accord.cli.state import state

index_app = typer.Typer(help="The match index snapshot.", no_args_is_help=True)


@index_app.command("build")
def build(ctx: typer.Context) -> None:
    """Build the match index from the store and save it as the node's snapshot.

    Example: accord index build
    """
    from accord.matching.engine import MatchEngine, snapshot_folder

    st = state(ctx)
    started = time.perf_counter()
    with st.err.status("building the match index"):
        engine = MatchEngine.load(st.database(), st.settings)
        folder = snapshot_folder(st.settings)
        engine.save(folder)
    sizes = ", ".join(f"{k} {v:,}" for k, v in engine.size().items() if v)
    st.out.print(f"Saved the match index ({sizes or 'empty'}) to {folder} in "
                 f"{time.perf_counter() - started:.1f} s.")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(index_app, name="index")
