"""``accord serve``: the web UI, the HTTP API and TAXII of this node, on one app."""

from __future__ import annotations

import os
import socket

import typer

from accord.cli.state import state
from accord.errors import Conflict, Invalid
from accord.store.schema import require_current


def check_port_free(host: str, port: int) -> None:
    """Raise ``Conflict`` with a ``--port`` hint when ``port`` on ``host`` cannot be bound.

    Binds the way uvicorn will (``SO_REUSEADDR``), then lets go at once; port 0
    (any free port) is never taken.
    """
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise Invalid("host {host!r} cannot be resolved ({strerror})",
                      hint="use an address such as 127.0.0.1 or 0.0.0.0 with --host", host=host,
                      strerror=exc.strerror) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            raise Conflict("port {port} on {host} is in use",
                           hint="choose another with --port, e.g. --port {next_port}", port=port,
                           host=host, next_port=port + 1) from None


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
    import uvicorn

    st = state(ctx)
    check_port_free(host, port)
    require_current(st.database())
    # Worker processes build their own Settings: hand them the choices made here.
    os.environ["ACCORD_DATABASE_URL"] = st.settings.resolved_database_url()
    os.environ["ACCORD_HOME"] = str(st.settings.home)
    st.err.print(f"Accord on http://{host}:{port}/ (web UI), /api/v1 and TAXII 2.1 at "
                 f"/taxii2/ ({workers} worker(s))")
    uvicorn.run("accord.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)
