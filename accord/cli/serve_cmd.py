"""``accord serve``: the web UI, the HTTP API and TAXII of this node, on one app."""

from __future__ import annotations

import os

import typer
import uvicorn

from accord.cli.state import state
from accord.store.schema import require_current


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Server processes; each keeps its own match index "
                                "current from the store."),
) -> None:
    """Serve the web UI at / and the API under /api/v1 (OpenAPI at /docs).

    Example: accord serve --workers 2
    """
    st = state(ctx)
    require_current(st.database())
    # Worker processes build their own Settings: hand them the choices made here.
    os.environ["ACCORD_DATABASE_URL"] = st.settings.resolved_database_url()
    os.environ["ACCORD_HOME"] = str(st.settings.home)
    st.err.print(f"Accord on http://{host}:{port}/ (web UI), /api/v1 and TAXII 2.1 at "
                 f"/taxii2/ ({workers} worker(s))")
    uvicorn.run("accord.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)
