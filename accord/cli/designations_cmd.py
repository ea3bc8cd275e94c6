"""``accord designations ENTITY`` and ``accord policy ...``: divergence and auto-action policy."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.state import state
from accord.cooperation import designations
from accord.cooperation.records import AutoActionPolicy

policy_app = typer.Typer(help="Auto-action policies: which designation sources back "
                         "auto-action.", no_args_is_help=True)


def designations_command(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help="The entity's reference, e.g. qde-004."),
) -> None:
    """Who designates an entity, since when, on what source, who delisted it: side by side,
    never resolved. Example: accord designations qde-004"""
    st = state(ctx)
    view = designations.designation_view(st.database(), entity)
    table = Table("source", "whose list", "reference", "listed", "delisted", "status",
                  title=f"{view.name} (entity:{view.ref})")
    for row in view.rows:
        table.add_row(row.source, row.source_partner or "multilateral/regional", row.reference,
                      str(row.listed_on or "?"), str(row.delisted_on or ""), row.status)
    st.out.print(table)
    st.out.print(f"Listed by: {', '.join(view.listed_by) or 'none'}; delisted by: "
                 f"{', '.join(view.delisted_by) or 'none'}. Accord shows the sources side by "
                 "side and does not resolve them.")


@policy_app.command("show")
def show(ctx: typer.Context, partner: str = typer.Argument(..., help="The partner.")) -> None:
    """Sources a partner's auto-action accepts, and whether it consents to auto-action of its
    own matches. Example: accord policy show "Platform P" """
    st = state(ctx)
    st.out.print(_describe(partner, designations.policy_get(st.database(), partner)))


def _describe(partner: str, policy: AutoActionPolicy) -> str:
    consent = ("allowed" if policy.allow_auto_action else
               "not allowed (every match goes to its reviewers)")
    return (f"Auto-action of {partner}'s matches: {consent}; accepted sources: "
            f"{', '.join(policy.sources)}")


@policy_app.command("set")
def set_policy(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="The partner."),
    source: list[str] = typer.Option([], "--source", help="An accepted source; repeatable. "
                                     "None: back to the default (UN-SC)."),
    allow: bool | None = typer.Option(
        None, "--allow-auto-action/--no-auto-action",
        help="Whether the partner's own matches may be auto-actioned at all (where the "
        "bank's owner opted in too). Omitted: unchanged; a new partner does not consent."),
) -> None:
    """Choose the sources backing a partner's auto-action. Example: accord policy set
    "Platform P" --source UN-SC --source EU --allow-auto-action"""
    st = state(ctx)
    policy = designations.policy_set(st.database(), st.actor(), partner, source,
                                     allow_auto_action=allow)
    st.out.print(_describe(partner, policy))


@policy_app.command("own-source")
def own_source(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="The source name designations carry."),
    partner: str = typer.Option(..., "--partner", help="The partner whose own list it is."),
) -> None:
    """Mark a source as one partner's own (national) list. Example: accord policy own-source
    FR-NAT --partner "Agency North" """
    st = state(ctx)
    designations.source_register(st.database(), st.actor(), source, partner)
    st.out.print(f"{source} is {partner}'s own list: it never backs auto-action in other "
                 "partners' banks.")
