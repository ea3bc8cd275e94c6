"""The ``accord`` command: a Typer root that only composes one sub-app per area."""

from __future__ import annotations

from accord.cli.root import app, main

__all__ = ["app", "main"]
