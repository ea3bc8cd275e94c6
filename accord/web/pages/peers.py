"""Federation: peers and their sync state, adding a peer, and "sync now"."""

from __future__ import annotations

from fastapi import Response

from accord.curation.banks import bank_list
from accord.errors import AccordError, http_status
from accord.exchange import peers, pytx_peers, sync, writeback
from accord.exchange.sync import SyncReport
from accord.sharing.roles import CAN_SYNC
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()


_EXCHANGE_FIELDS = ("name", "exchange", "collab", "bank", "credentials_env",
                    "credentials_file", "endpoint", "tlp", "channel", "tag_map")


def _page(visit: Visit, report: SyncReport | None = None, *, typed: dict[str, str] | None = None,
          http_status: int = 200) -> Response:
    visit.me.require(CAN_SYNC, "manage peers")
    own = bank_list(visit.db, visit.me.partner_id, counts=False) if visit.me.partner_id else []
    return visit.render("peers.html", http_status, peers=peers.peer_list(visit.db, visit.me),
                        banks=[b.name for b in own], report=report,
                        exchanges=sorted(pytx_peers.EXCHANGES), typed=typed or {})


@router.get("/peers")
def peers_page(visit: Member) -> Response:
    """Every peer with its state, last run, last error, counts and cursor."""
    return _page(visit)


@router.post("/peers")
def peer_create(visit: Member, form: Posted) -> Response:
    """Register a peer (the same service as ``accord peer add``)."""
    added = peers.peer_add(visit.db, visit.me, field(form, "url"), field(form, "collection"),
                           bank=field(form, "bank"), name=field(form, "name") or None,
                           channel=field(form, "channel") or None,
                           username=field(form, "username") or None,
                           api_key=field(form, "api_key") or None,
                           settings=visit.web.node.settings)
    return visit.redirect("/peers", N_("Peer %(name)s added."), name=added.name)


@router.post("/peers/exchange")
def exchange_peer_create(visit: Member, form: Posted) -> Response:
    """Register an exchange peer (the same service as ``accord peer add --exchange``). A
    refusal shows the page again with the reason and everything typed (credentials are
    only names of variables and files, never secrets)."""
    try:
        return _add_exchange_peer(visit, form)
    except AccordError as error:
        visit.flash_error(error)
        typed = {name: field(form, name) for name in _EXCHANGE_FIELDS}
        return _page(visit, typed=typed, http_status=http_status(error))


def _add_exchange_peer(visit: Member, form: Posted) -> Response:
    given = peers.ExchangePeerSettings(
        exchange=field(form, "exchange"), collab=field(form, "collab") or "{}",
        credentials_file=field(form, "credentials_file") or None,
        credentials_env=field(form, "credentials_env") or None,
        endpoint=field(form, "endpoint") or None, tlp=field(form, "tlp") or None,
        channel=field(form, "channel") or None, tag_map=field(form, "tag_map") or None)
    added = peers.exchange_peer_add(visit.db, visit.me, field(form, "name"), given,
                                    bank=field(form, "bank"), settings=visit.web.node.settings)
    return visit.redirect("/peers", N_("Exchange peer %(name)s added."), name=added.name)


@router.get("/peers/{name}/skipped")
def peer_skipped(visit: Member, name: str) -> Response:
    """The peer's skip ledger: records not stored, and why (``accord peer skipped``)."""
    visit.me.require(CAN_SYNC, "manage peers")
    found = peers.peer_skipped(visit.db, visit.me, name)
    return visit.render("peer_skipped.html", peer=name, skipped=found)


@router.post("/peers/{name}/sync")
def peer_sync(visit: Member, form: Posted, name: str) -> Response:
    """Pull from and push to one peer now; the page shows what the run did."""
    report = sync.sync_peer(visit.db, visit.web.node.settings, name, actor=visit.me)
    visit.web.counts.invalidate()
    return _page(visit, report)


@router.post("/peers/{name}/write-back")
def peer_write_back(visit: Member, form: Posted, name: str) -> Response:
    """Switch write-back to an exchange peer on or off (``accord peer set --write-back``);
    a refusal (an exchange that takes no opinions) shows the page with the reason."""
    on = field(form, "write_back") == "on"
    try:
        done = writeback.peer_write_back_set(visit.db, visit.me, name, on)
    except AccordError as error:
        visit.session.set_flash("error", error.message, hint=error.hint or "")
        return _page(visit, http_status=http_status(error))
    return visit.redirect("/peers", N_("Write-back to %(name)s switched on.") if done.write_back
                          else N_("Write-back to %(name)s switched off."), name=done.name)


OPINION_KINDS = {"true_positive": N_("true positive"), "false_positive": N_("false positive"),
                 "disputed": N_("disputed")}


@router.get("/peers/{name}/opinions")
def peer_opinions(visit: Member, name: str) -> Response:
    """The opinions written back to the peer, with their delivery (``accord peer opinions``)."""
    visit.me.require(CAN_SYNC, "manage peers")
    found = writeback.peer_opinions(visit.db, visit.me, name)
    return visit.render("peer_opinions.html", peer=name, opinions=found, kinds=OPINION_KINDS)
