"""Federation: peers and their sync state, adding a peer, and "sync now"."""

from __future__ import annotations

from fastapi import Response

from accord.curation.banks import bank_list
from accord.exchange import peers, sync
from accord.exchange.sync import SyncReport
from accord.sharing.roles import CAN_SYNC
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()


def _page(visit: Visit, report: SyncReport | None = None) -> Response:
    visit.me.require(CAN_SYNC, "manage peers")
    own = bank_list(visit.db, visit.me.partner_id, counts=False) if visit.me.partner_id else []
    return visit.render("peers.html", peers=peers.peer_list(visit.db, visit.me),
                        banks=[b.name for b in own], report=report)


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


@router.post("/peers/{name}/sync")
def peer_sync(visit: Member, form: Posted, name: str) -> Response:
    """Pull from and push to one peer now; the page shows what the run did."""
    report = sync.sync_peer(visit.db, visit.web.node.settings, name, actor=visit.me)
    visit.web.counts.invalidate()
    return _page(visit, report)
