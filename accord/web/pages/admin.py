"""Partner administration: partners, members, API keys, channels, webhooks and deliveries."""

from __future__ import annotations

from fastapi import Response

from accord.review import webhooks
from accord.sharing import accounts, invitations, service
from accord.sharing.roles import Role
from accord.web import forms
from accord.web.i18n import N_
from accord.web.nav import ADMINS
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()


def _partner(visit: Visit) -> int:
    visit.me.require(ADMINS, "administer the partner")
    return visit.me.partner_id or 0


def _page(visit: Visit, new_secret: str | None = None, secret_label: str = "") -> Response:
    partner = _partner(visit)
    return visit.render(
        "admin.html", partners=service.partner_list(visit.db),
        members=accounts.member_list(visit.db, visit.me, partner),
        keys=accounts.key_list(visit.db, visit.me, partner),
        channels=service.channel_list(visit.db, visit.me),
        invitations=invitations.invitation_list(visit.db, visit.me, "pending"),
        hooks=webhooks.webhook_list(visit.db, visit.me), events=webhooks.EVENTS,
        roles=[r.value for r in Role], new_secret=new_secret, secret_label=secret_label)


@router.get("/admin")
def admin_page(visit: Member) -> Response:
    """Everything a partner admin manages, on one page."""
    return _page(visit)


@router.post("/admin/members")
def member_create(visit: Member, form: Posted) -> Response:
    """Add a staff account to the admin's partner."""
    added = service.member_add(visit.db, visit.me, _partner(visit), field(form, "username"),
                               field(form, "role", "reader"), field(form, "display_name"))
    password = str(form.get("password") or "")
    if password:
        accounts.member_set_password(visit.db, visit.me, added.username, password)
    return visit.redirect("/admin", N_("Member %(name)s added."), name=added.username)


@router.post("/admin/members/{username}/deactivate")
def member_deactivate(visit: Member, form: Posted, username: str) -> Response:
    """Switch a member off: its sessions end, it cannot sign in, its keys stop working."""
    _partner(visit)
    done = accounts.member_set_active(visit.db, visit.me, username, False)
    return visit.redirect("/admin", N_("Member %(name)s deactivated."), name=done.username)


@router.post("/admin/members/{username}/reactivate")
def member_reactivate(visit: Member, form: Posted, username: str) -> Response:
    """Switch a deactivated member on again."""
    _partner(visit)
    done = accounts.member_set_active(visit.db, visit.me, username, True)
    return visit.redirect("/admin", N_("Member %(name)s reactivated."), name=done.username)


@router.post("/admin/keys")
def key_create(visit: Member, form: Posted) -> Response:
    """Create an API key; its secret is shown on this response only."""
    _partner(visit)
    created = service.key_create(visit.db, visit.me, field(form, "username"),
                                 field(form, "label"))
    return _page(visit, new_secret=created.secret, secret_label=N_("New API key"))


@router.post("/admin/keys/{key_id}/revoke")
def key_revoke(visit: Member, form: Posted, key_id: forms.RowId) -> Response:
    """Revoke a key at once."""
    service.key_revoke(visit.db, visit.me, str(key_id))
    return visit.redirect("/admin", N_("Key %(id)s revoked."), id=key_id)


@router.post("/admin/channels")
def channel_create(visit: Member, form: Posted) -> Response:
    """Create a channel owned by the admin's partner."""
    made = service.channel_add(visit.db, visit.me, field(form, "name"), _partner(visit),
                               field(form, "description"))
    return visit.redirect("/admin", N_("Channel %(name)s created."), name=made.name)


@router.post("/admin/channels/{channel_id}/invitations")
def channel_invite(visit: Member, form: Posted, channel_id: forms.RowId) -> Response:
    """Invite a partner into one of the admin's partner's channels; it joins on accepting."""
    made = invitations.channel_invite(visit.db, visit.me, channel_id, field(form, "partner"))
    return visit.redirect("/admin", N_("Invitation to %(name)s sent; the partner joins when "
                                       "its admin accepts."), name=made.channel_name)


@router.post("/admin/channel-invitations/{invitation_id}/accept")
def invitation_accept(visit: Member, form: Posted, invitation_id: forms.RowId) -> Response:
    """Accept an invitation: the admin's partner joins the channel."""
    done = invitations.invitation_accept(visit.db, visit.me, invitation_id)
    return visit.redirect("/admin", N_("You joined channel %(name)s."), name=done.channel_name)


@router.post("/admin/channel-invitations/{invitation_id}/decline")
def invitation_decline(visit: Member, form: Posted, invitation_id: forms.RowId) -> Response:
    """Decline an invitation: the admin's partner stays out of the channel."""
    done = invitations.invitation_decline(visit.db, visit.me, invitation_id)
    return visit.redirect("/admin", N_("Invitation to %(name)s declined."),
                          name=done.channel_name)


@router.post("/admin/channel-invitations/{invitation_id}/withdraw")
def invitation_withdraw(visit: Member, form: Posted, invitation_id: forms.RowId) -> Response:
    """Withdraw a pending invitation the admin's partner sent."""
    done = invitations.invitation_withdraw(visit.db, visit.me, invitation_id)
    return visit.redirect("/admin", N_("Invitation to %(name)s withdrawn."),
                          name=done.channel_name)


@router.post("/admin/webhooks")
def webhook_create(visit: Member, form: Posted) -> Response:
    """Register a webhook; its signing secret is shown on this response only."""
    _partner(visit)
    _, secret = webhooks.webhook_add(visit.db, visit.me, field(form, "url"),
                                     [str(e) for e in form.getlist("events")])
    return _page(visit, new_secret=secret, secret_label=N_("New webhook signing secret"))


@router.get("/admin/webhooks/{webhook_id}")
def webhook_page(visit: Member, webhook_id: forms.RowId) -> Response:
    """One webhook's deliveries, newest first."""
    _partner(visit)
    hook = next((h for h in webhooks.webhook_list(visit.db, visit.me) if h.id == webhook_id),
                None)
    deliveries = webhooks.delivery_list(visit.db, visit.me, webhook_id)
    return visit.render("webhook.html", hook=hook, deliveries=deliveries)


@router.post("/admin/webhooks/{webhook_id}/pause")
def webhook_pause(visit: Member, form: Posted, webhook_id: forms.RowId) -> Response:
    """Stop new deliveries to a webhook until it is resumed."""
    webhooks.webhook_set_active(visit.db, visit.me, webhook_id, False)
    return visit.redirect(f"/admin/webhooks/{webhook_id}", N_("Webhook paused."))


@router.post("/admin/webhooks/{webhook_id}/resume")
def webhook_resume(visit: Member, form: Posted, webhook_id: forms.RowId) -> Response:
    """Deliver to a paused webhook again."""
    webhooks.webhook_set_active(visit.db, visit.me, webhook_id, True)
    return visit.redirect(f"/admin/webhooks/{webhook_id}", N_("Webhook resumed."))


@router.post("/admin/webhooks/{webhook_id}/delete")
def webhook_remove(visit: Member, form: Posted, webhook_id: forms.RowId) -> Response:
    """Delete a webhook with its secret and deliveries."""
    webhooks.webhook_delete(visit.db, visit.me, webhook_id)
    return visit.redirect("/admin", N_("Webhook %(id)s deleted."), id=webhook_id)


@router.post("/admin/webhooks/{webhook_id}/test")
def webhook_test(visit: Member, form: Posted, webhook_id: forms.RowId) -> Response:
    """Queue a ping delivery."""
    webhooks.webhook_test(visit.db, visit.me, webhook_id)
    return visit.redirect(f"/admin/webhooks/{webhook_id}", N_("Test delivery queued."))
