"""Registers the cooperation commands: liaison, request, designations, policy, programme,
bundle."""

from __future__ import annotations

import typer

from accord.cli.bundle_cmd import bundle_command
from accord.cli.designations_cmd import designations_command, policy_app
from accord.cli.liaison_cmd import liaison_app
from accord.cli.programme_cmd import programme_app
from accord.cli.request_cmd import request_app


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(liaison_app, name="liaison")
    app.add_typer(request_app, name="request")
    app.add_typer(programme_app, name="programme")
    app.add_typer(policy_app, name="policy")
    app.command("designations")(designations_command)
    app.command("bundle")(bundle_command)
