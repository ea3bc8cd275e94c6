"""The ``accord`` root: global options, sub-apps, and the one error-to-exit-code table."""

from __future__ import annotations

from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from accord import __version__
from accord.config import Settings
from accord.errors import (
    AccordError,
    Conflict,
    IntegrityError,
    Invalid,
    NotFound,
    PartnerUnavailable,
    PermissionDenied,
    nearest,
)

# One table: error class -> exit code (2 user error, 3 something outside us, 4 integrity).
EXIT_CODES: dict[type[AccordError], int] = {
    Invalid: 2,
    NotFound: 2,
    Conflict: 2,
    PermissionDenied: 2,
    PartnerUnavailable: 3,
    IntegrityError: 4,
}


def exit_code(error: AccordError) -> int:
    """The exit code for an error, by its nearest class in ``EXIT_CODES`` (else 1)."""
    return nearest(EXIT_CODES, error, 1)


class AccordGroup(TyperGroup):
    """Turns ``AccordError`` into a one-line message and an exit code: never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except AccordError as error:
            err = Console(stderr=True, highlight=False)
            # Messages and hints quote user input and shell syntax ("pip install '.[gpu]'"):
            # escaped, so Rich prints them as written instead of reading them as markup.
            err.print(f"[bold red]Error:[/] {escape(error.message)}", soft_wrap=True)
            if error.hint:
                err.print(f"[yellow]Hint:[/] {escape(error.hint)}", soft_wrap=True)
            raise typer.Exit(exit_code(error)) from None
        finally:
            obj = ctx.obj
            if ctx.parent is None and hasattr(obj, "close"):
                obj.close()


app = typer.Typer(
    cls=AccordGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Accord: share hashes of known terrorist content, match against them, review, "
    "federate.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", help="Database URL (default: SQLite in ACCORD_HOME).", show_default=False
    ),
    as_member: str | None = typer.Option(
        None, "--as", help="Act as this member (its partner and role) instead of the operator."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Accord command line. Example: accord init && accord partner list"""
    from accord.cli.state import CliState

    try:
        settings = Settings() if db is None else Settings(database_url=db)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "ACCORD_" + str(first["loc"][0]).upper() if first["loc"] else "setting"
        raise Invalid(f"setting {name}: {first['msg']}") from None
    ctx.obj = CliState(settings=settings, as_member=as_member)


def _register() -> None:
    from accord.cli import (
        admin,
        audit_cmd,
        banks,
        cooperation,
        crisis_cmd,
        demo_cmd,
        entities,
        federation,
        flows_cmd,
        incidents_cmd,
        index_cmd,
        report_cmd,
    )
    from accord.cli.hash_cmd import hash_command
    from accord.cli.match_cmd import match_command
    from accord.cli.scan_cmd import scan_command
    from accord.cli.serve_cmd import serve_command

    admin.register(app)
    banks.register(app)
    entities.register(app)
    audit_cmd.register(app)
    index_cmd.register(app)
    cooperation.register(app)
    incidents_cmd.register(app)
    flows_cmd.register(app)
    crisis_cmd.register(app)
    report_cmd.register(app)
    federation.register(app)
    app.command("hash")(hash_command)
    app.command("match")(match_command)
    app.command("scan")(scan_command)
    app.command("serve")(serve_command)
    app.command("demo")(demo_cmd.demo)


_register()


def main() -> None:
    """Entry point of the ``accord`` console script."""
    app()
