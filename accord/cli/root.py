"""The ``accord`` root: global options, sub-apps, and the one error-to-exit-code table.

Sub-apps load on first use: ``accord signal list`` imports the signal commands and
nothing else, so every command starts in a fraction of a second (bench/cli_startup.py).
``LAZY_COMMANDS`` names the module behind each top-level command; a test holds it equal
to what those modules register.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from accord import __version__
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


# Top-level command -> (module under accord.cli, its command function), or None for a
# module whose register(app) adds it (with its siblings).
LAZY_COMMANDS: dict[str, tuple[str, str | None]] = {
    **{name: ("admin", None)
       for name in ("init", "partner", "member", "key", "channel", "webhook")},
    **{name: ("banks", None) for name in ("bank", "signal")},
    **{name: ("labels_cmd", None) for name in ("dispute", "proposal")},
    "entity": ("entities", None),
    "audit": ("audit_cmd", None),
    "index": ("index_cmd", None),
    **{name: ("cooperation", None)
       for name in ("liaison", "request", "programme", "policy", "designations", "bundle")},
    "incidents": ("incidents_cmd", None),
    "review": ("review_cmd", None),
    "flows": ("flows_cmd", None),
    "crisis": ("crisis_cmd", None),
    "report": ("report_cmd", None),
    **{name: ("federation", None) for name in ("peer", "sync", "import", "export")},
    "hash": ("hash_cmd", "hash_command"),
    "match": ("match_cmd", "match_command"),
    "scan": ("scan_cmd", "scan_command"),
    "serve": ("serve_cmd", "serve_command"),
    "demo": ("demo_cmd", "demo"),
}


def load_commands(module_name: str, attr: str | None, name: str) -> dict[str, Any]:
    """The click commands one CLI module contributes to the root, by name."""
    module = importlib.import_module(f"accord.cli.{module_name}")
    holder = typer.Typer()
    if attr is None:
        module.register(holder)
    else:
        holder.command(name)(getattr(module, attr))
    return dict(typer.main.get_group(holder).commands)


class AccordGroup(TyperGroup):
    """Turns ``AccordError`` into a one-line message and an exit code: never a traceback.

    At the root it also loads the sub-apps lazily (``LAZY_COMMANDS``).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        if ctx.parent is None:
            names = sorted(set(names) | set(LAZY_COMMANDS))
        return names

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and ctx.parent is None and cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name]
            for name, loaded in load_commands(module_name, attr, cmd_name).items():
                self.commands.setdefault(name, loaded)
            command = self.commands.get(cmd_name)
        return command

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except AccordError as error:
            from rich.console import Console
            from rich.markup import escape

            err = Console(stderr=True, highlight=False)
            message, hint = error.message, error.hint
            locale = ctx.find_root().params.get("lang")
            if locale:
                message, hint = error.localized(locale)
            # Messages and hints quote user input and shell syntax ("pip install '.[gpu]'"):
            # escaped, so Rich prints them as written instead of reading them as markup.
            err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
            if hint:
                err.print(f"[yellow]Hint:[/] {escape(hint)}", soft_wrap=True)
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


def _language(value: str | None) -> str | None:
    """``--lang``: one of the six UN languages (``zh-Hans``, ``zh_CN``, ``ar``...), as a
    locale; a language Accord does not ship is a usage error."""
    if value is None:
        return None
    from accord import i18n

    locale = i18n.canonical(value)
    if locale == i18n.DEFAULT and not value.strip().lower().startswith("en"):
        raise typer.BadParameter(
            f"{value[:35]!r} is not one of " + ", ".join(map(i18n.html_lang, i18n.LOCALES)))
    return locale


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
    lang: str | None = typer.Option(
        None, "--lang", callback=_language, show_default=False,
        help="The language of error messages and hints: en (the default), zh-Hans, ar, fr, "
        "ru or es. Reports take their own --lang.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Accord command line. Example: accord init && accord partner list"""
    from accord.cli.state import CliState
    from accord.config import Settings

    settings = Settings() if db is None else Settings(database_url=db)  # bad ones: Invalid
    ctx.obj = CliState(settings=settings, as_member=as_member)


def main() -> None:
    """Entry point of the ``accord`` console script."""
    app()
