"""``accord init``, ``partner``, ``member``, ``key``, ``channel`` and ``webhook`` commands."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.state import CliState, state
from accord.review import webhooks
from accord.sharing import accounts, invitations, service
from accord.store import records as r
from accord.store.database import redacted
from accord.store.schema import upgrade

partner_app = typer.Typer(help="Partner organisations on this node.", no_args_is_help=True)
member_app = typer.Typer(help="Members (staff accounts) of partners.", no_args_is_help=True)
key_app = typer.Typer(help="API keys of members.", no_args_is_help=True)
channel_app = typer.Typer(help="Channels: sharing groups of partners.", no_args_is_help=True)
webhook_app = typer.Typer(help="Partners' webhooks: list, pause, resume, delete.",
                          no_args_is_help=True)


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to this version's schema (data is kept).

    Example: accord init --db postgresql+psycopg://accord@localhost/accord
    """
    st = state(ctx)
    if st.settings.database_url is None:
        st.settings.home.mkdir(parents=True, exist_ok=True)
    db = st.database(check=False)
    before, after = upgrade(db, st.settings)
    where = redacted(db.url)
    if before == after:
        st.out.print(f"Database {where} is up to date (schema {after}).")
    elif before is None:
        st.out.print(f"Created the Accord database at {where} (schema {after}).")
    else:
        st.out.print(f"Upgraded {where} from schema {before} to {after}.")


@partner_app.command("add")
def partner_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The organisation's name."),
    kind: str = typer.Option(..., "--kind", help="agency, platform, ngo or research."),
    country: str = typer.Option(..., "--country", help="ISO 3166-1 alpha-2 code, e.g. FR."),
) -> None:
    """Register a partner.

    Example: accord partner add "Example Platform" --kind platform --country IE
    """
    st = state(ctx)
    p = service.partner_add(st.database(), st.actor(), name, kind, country)
    st.out.print(f"Added partner {p.id}: {p.name} ({p.kind}, {p.country}).")


@partner_app.command("list")
def partner_list(ctx: typer.Context) -> None:
    """List partners. Example: accord partner list"""
    st = state(ctx)
    table = Table("id", "name", "kind", "country", "since")
    for p in service.partner_list(st.database()):
        table.add_row(str(p.id), p.name, p.kind, p.country, p.created_at.date().isoformat())
    st.out.print(table)


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="Partner name or id."),
    username: str = typer.Argument(..., help="Sign-in name (lower case)."),
    role: str = typer.Option("reader", "--role", help="admin, curator, reviewer, reader or sync."),
    display_name: str = typer.Option("", "--name", help="Name shown in the UI."),
) -> None:
    """Add a member to a partner.

    Example: accord member add "Example Platform" alice --role curator
    """
    st = state(ctx)
    mem = service.member_add(st.database(), st.actor(), partner, username, role, display_name)
    st.out.print(f"Added member {mem.username} ({mem.role}) to partner {mem.partner_id}.")


@member_app.command("password")
def member_password(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The member who signs in to the web UI."),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True,
                                 confirmation_prompt=True,
                                 help="Asked for (twice, hidden) when not given; stored "
                                 "only as an argon2 hash."),
) -> None:
    """Set a member's password for signing in to the web UI.

    Example: accord member password alice
    """
    st = state(ctx)
    mem = accounts.member_set_password(st.database(), st.actor(), username, password)
    st.out.print(f"Password set for {mem.username}.")


@member_app.command("deactivate")
def member_deactivate(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The member to switch off."),
) -> None:
    """Deactivate a member: its sessions end, it cannot sign in, its API keys stop working.

    Example: accord member deactivate alice
    """
    st = state(ctx)
    mem = accounts.member_set_active(st.database(), st.actor(), username, False)
    st.out.print(f"Member {mem.username} deactivated; its sessions and API keys no longer "
                 "work.")


@member_app.command("reactivate")
def member_reactivate(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The deactivated member to switch on again."),
) -> None:
    """Reactivate a deactivated member (it signs in again; its unrevoked keys work again).

    Example: accord member reactivate alice
    """
    st = state(ctx)
    mem = accounts.member_set_active(st.database(), st.actor(), username, True)
    st.out.print(f"Member {mem.username} reactivated.")


@member_app.command("list")
def member_list(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="Partner name or id."),
) -> None:
    """List a partner's members: id, username, role, whether active.

    Example: accord member list "Example Platform"
    """
    st = state(ctx)
    table = Table("id", "username", "name", "role", "active", "since")
    for mem in accounts.member_list(st.database(), st.actor(), partner):
        table.add_row(str(mem.id), mem.username, mem.display_name, mem.role,
                      "yes" if mem.active else "no", mem.created_at.date().isoformat())
    st.out.print(table)


@key_app.command("create")
def key_create(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The member the key acts as."),
    label: str = typer.Option("", "--label", help="What the key is for."),
) -> None:
    """Create an API key; it is shown once. Example: accord key create alice --label uploads"""
    st = state(ctx)
    new = service.key_create(st.database(), st.actor(), username, label)
    st.err.print(f"Created key {new.key.id} ({new.key.prefix}) for {username}. "
                 "It is shown once; store it now:")
    st.out.print(new.secret, markup=False)


@key_app.command("revoke")
def key_revoke(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Key id or its prefix (acc_xxxxxxxx)."),
) -> None:
    """Revoke an API key. Example: accord key revoke acc_Ab12Cd34"""
    st = state(ctx)
    k = service.key_revoke(st.database(), st.actor(), key)
    st.out.print(f"Key {k.id} ({k.prefix}) revoked at {k.revoked_at:%Y-%m-%d %H:%M:%S} UTC.")


@channel_app.command("add")
def channel_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Channel name."),
    owner: str = typer.Option(..., "--owner", help="Owning partner (name or id)."),
    description: str = typer.Option("", "--description", help="What the channel is for."),
) -> None:
    """Create a channel. Example: accord channel add eu-amber --owner "Agency A" """
    st = state(ctx)
    c = service.channel_add(st.database(), st.actor(), name, owner, description)
    st.out.print(f"Added channel {c.id}: {c.name}.")


@channel_app.command("join")
def channel_join(
    ctx: typer.Context,
    channel: str = typer.Argument(..., help="Channel name or id."),
    partner: str = typer.Argument(..., help="Partner to add (name or id)."),
) -> None:
    """Add a partner to a channel: the operator adds it; a partner's admin (--as) invites it,
    and it joins when its own admin accepts.

    Example: accord channel join eu-amber "Example Platform"
    """
    st = state(ctx)
    made = service.channel_join(st.database(), st.actor(), channel, partner)
    if isinstance(made, r.ChannelInvitation):
        _invited(st, made)
    else:
        st.out.print(f"Channel {made.name} now has partners "
                     f"{', '.join(map(str, made.partner_ids))}.")


def _invited(st: CliState, made: r.ChannelInvitation) -> None:
    names = {p.id: p.name for p in service.partner_list(st.database())}
    st.out.print(f"Invited {names.get(made.partner_id, made.partner_id)} to channel "
                 f"{made.channel_name} "
                 f"(invitation {made.id}); it joins when its admin accepts: "
                 f"accord channel accept {made.id}", markup=False)


@channel_app.command("invite")
def channel_invite(
    ctx: typer.Context,
    channel: str = typer.Argument(..., help="Channel name or id (its owner's admins invite)."),
    partner: str = typer.Argument(..., help="Partner to invite (name or id)."),
) -> None:
    """Invite a partner into a channel; it joins when its own admin accepts.

    Example: accord --as ada channel invite eu-amber "Example Platform"
    """
    st = state(ctx)
    _invited(st, invitations.channel_invite(st.database(), st.actor(), channel, partner))


@channel_app.command("invitations")
def channel_invitations(
    ctx: typer.Context,
    state_name: str | None = typer.Option(None, "--state",
                                          help="pending, accepted, declined or withdrawn."),
) -> None:
    """List the channel invitations your partner sent or received, newest first.

    Example: accord --as pat channel invitations --state pending
    """
    st = state(ctx)
    found = invitations.invitation_list(st.database(), st.actor(), state_name)
    names = {p.id: p.name for p in service.partner_list(st.database())}
    table = Table("id", "channel", "from", "to", "state", "invited", "decided")
    for i in found:
        table.add_row(str(i.id), i.channel_name, names.get(i.owner_partner_id, "?"),
                      names.get(i.partner_id, "?"), i.state,
                      f"{i.created_at:%Y-%m-%d %H:%M} {i.invited_by}",
                      f"{i.decided_at:%Y-%m-%d %H:%M} {i.decided_by}" if i.decided_at else "")
    st.out.print(table)


_ID_HELP = "The invitation's id (accord channel invitations)."


@channel_app.command("accept")
def channel_accept(ctx: typer.Context,
                   invitation_id: int = typer.Argument(..., help=_ID_HELP)) -> None:
    """Accept an invitation (the invited partner's admins): your partner joins the channel
    and receives its AMBER signals. Example: accord --as pat channel accept 4"""
    st = state(ctx)
    done = invitations.invitation_accept(st.database(), st.actor(), invitation_id)
    st.out.print(f"Joined channel {done.channel_name} (invitation {done.id} accepted).",
                 markup=False)


@channel_app.command("decline")
def channel_decline(ctx: typer.Context,
                    invitation_id: int = typer.Argument(..., help=_ID_HELP)) -> None:
    """Decline an invitation (the invited partner's admins).
    Example: accord --as pat channel decline 4"""
    st = state(ctx)
    done = invitations.invitation_decline(st.database(), st.actor(), invitation_id)
    st.out.print(f"Invitation {done.id} to channel {done.channel_name} declined.",
                 markup=False)


@channel_app.command("withdraw")
def channel_withdraw(ctx: typer.Context,
                     invitation_id: int = typer.Argument(..., help=_ID_HELP)) -> None:
    """Withdraw a pending invitation (the inviting partner's admins).
    Example: accord --as ada channel withdraw 4"""
    st = state(ctx)
    done = invitations.invitation_withdraw(st.database(), st.actor(), invitation_id)
    st.out.print(f"Invitation {done.id} to channel {done.channel_name} withdrawn.",
                 markup=False)


@channel_app.command("list")
def channel_list(ctx: typer.Context) -> None:
    """List channels and their partners (a member sees its partner's channels only).
    Example: accord channel list"""
    st = state(ctx)
    table = Table("id", "name", "owner", "partners", "description")
    for c in service.channel_list(st.database(), st.actor()):
        table.add_row(str(c.id), c.name, str(c.owner_partner_id),
                      ", ".join(map(str, c.partner_ids)), c.description)
    st.out.print(table)


@webhook_app.command("list")
def webhook_list(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="Partner name or id."),
) -> None:
    """List a partner's webhooks. Example: accord webhook list "Example Platform" """
    st = state(ctx)
    table = Table("id", "url", "events", "active")
    for hook in webhooks.webhook_list(st.database(), st.actor(), partner=partner):
        table.add_row(str(hook.id), hook.url, ", ".join(hook.events),
                      "yes" if hook.active else "paused")
    st.out.print(table)


@webhook_app.command("pause")
def webhook_pause(
    ctx: typer.Context,
    webhook_id: int = typer.Argument(..., help="The webhook's id (accord webhook list)."),
) -> None:
    """Pause a webhook: no new deliveries until it is resumed. Example: accord webhook pause 3"""
    st = state(ctx)
    hook = webhooks.webhook_set_active(st.database(), st.actor(), webhook_id, False)
    st.out.print(f"Webhook {hook.id} paused.")


@webhook_app.command("resume")
def webhook_resume(
    ctx: typer.Context,
    webhook_id: int = typer.Argument(..., help="The webhook's id (accord webhook list)."),
) -> None:
    """Resume a paused webhook. Example: accord webhook resume 3"""
    st = state(ctx)
    hook = webhooks.webhook_set_active(st.database(), st.actor(), webhook_id, True)
    st.out.print(f"Webhook {hook.id} resumed.")


@webhook_app.command("delete")
def webhook_delete(
    ctx: typer.Context,
    webhook_id: int = typer.Argument(..., help="The webhook's id (accord webhook list)."),
) -> None:
    """Delete a webhook with its secret and deliveries. Example: accord webhook delete 3"""
    st = state(ctx)
    hook = webhooks.webhook_delete(st.database(), st.actor(), webhook_id)
    st.out.print(f"Webhook {hook.id} deleted.")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.command("init")(init)
    app.add_typer(partner_app, name="partner")
    app.add_typer(member_app, name="member")
    app.add_typer(key_app, name="key")
    app.add_typer(channel_app, name="channel")
    app.add_typer(webhook_app, name="webhook")
