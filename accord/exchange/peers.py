"""Peers: other TAXII 2.1 servers (Accord nodes, medallion...) this node syncs with, and
python-threatexchange exchanges (ThreatExchange/GIFCT, StopNCII, NCMEC, TCAP...) it
pulls from (``kind`` "exchange": ``exchange_peer_add``, ``accord.exchange.pytx_peers``).

A peer row names the server's discovery URL, one collection (its id, or its
title until the first sync resolves it), the local bank pulled signals land
in, an optional local channel whose AMBER items may be pushed, the
credentials, and what the last run did: state, last error, the cursor.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings, default_home
from accord.curation.banks import find_bank_for
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.safeguards import outbound
from accord.sharing.roles import CAN_SYNC, Actor
from accord.sharing.service import find_channel, is_row_id
from accord.store import models as m
from accord.store import sealed
from accord.store.database import Database

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True, slots=True)
class PeerRecord:
    """A peer as ``accord peer list`` shows it (never its API key)."""

    id: int
    name: str
    url: str
    collection: str
    bank: str | None
    channel: str | None
    username: str | None
    state: str
    last_run_at: dt.datetime | None
    last_error: str | None
    cursor: str | None
    pulled: int
    pushed: int
    kind: str = "taxii"
    exchange: str | None = None
    skipped: int = 0
    """Records the peer sent that were not stored (the skip ledger, ``peer_skipped``)."""
    write_back: bool = False
    """Whether verdicts and disputes go back to it (``accord.exchange.writeback``)."""
    opinions: tuple[tuple[str, int], ...] = ()
    """Its outbound opinions by delivery state: (state, count), by state."""


@dataclass(frozen=True, slots=True)
class SkipRecord:
    """One entry of a peer's skip ledger: a record not stored, and why."""

    peer: str
    record_key: str
    reason: str
    skipped_at: dt.datetime


def _check_url(url: str, settings: Settings | None) -> str:
    """The peer's URL, checked (``accord.safeguards.outbound``): http(s), never an internal
    address unless ``ACCORD_OUTBOUND_ALLOW`` allows it (each sync checks it again)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("peer URL {url} is not an http(s) URL",
                      hint="give the server's TAXII discovery URL, e.g. "
                           "https://node.example.org/taxii2/", url=trimmed(url))
    text = outbound.check_url(url, outbound.Outbound.from_settings(settings), what="peer URL",
                              https_only=False)
    return text if text.endswith("/") else text + "/"


def peer_add(db: Database, actor: Actor, url: str, collection: str, *, bank: str | int,
             name: str | None = None, channel: str | None = None, username: str | None = None,
             api_key: str | None = None, settings: Settings | None = None) -> PeerRecord:
    """Register a peer; ``bank`` is where its signals land (a bank of the syncing partner).
    ``settings`` carries the outbound allow-list (None: no internal address is allowed)."""
    actor.require(CAN_SYNC, "add peers")
    url = _check_url(url, settings)
    sealed_key = _sealed(api_key, settings)
    name = (name or urlsplit(url).netloc.replace(":", "-")).strip()
    if not _NAME.match(name):
        raise Invalid("peer name {name} is not usable",
                      hint="letters, digits, _ . - (at most 100), starting with a letter or digit",
                      name=trimmed(name))
    if not collection.strip():
        raise Invalid("the collection is empty", hint="give its id (or title) on the peer")
    with db.transaction() as session:
        if session.execute(select(m.Peer).where(m.Peer.name == name)).scalar_one_or_none():
            raise Conflict("a peer named {name!r} exists", hint="choose another --name", name=name)
        target = find_bank_for(session, actor, bank)
        actor.require_partner(target.owner_partner_id, "sync into this bank")
        row = m.Peer(name=name, url=url, collection=collection.strip(), bank_id=target.id,
                     channel_id=find_channel(session, channel).id if channel else None,
                     username=username or None, api_key=sealed_key, state="new",
                     created_at=m.utcnow())
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.PEER_ADD, "peer", row.id, {
            "name": name, "url": url, "collection": row.collection, "bank": target.id,
            "channel": row.channel_id})
        return peer_record(session, row)


KEY_MAX = 300
"""Bytes of a peer's API key at most (sealed, it fills the 500 characters of its column)."""


def _sealed(api_key: str | None, settings: Settings | None) -> str | None:
    """The peer's API key sealed for the database (``accord.store.sealed``), or None."""
    if not api_key:
        return None
    if len(api_key.encode()) > KEY_MAX or not api_key.isprintable():
        raise Invalid("the API key is not usable (more than {limit} bytes, or control "
                      "characters)", limit=KEY_MAX,
                      hint="give the key exactly as the peer issued it")
    return sealed.seal(settings or Settings(), api_key)


def peer_key_set(db: Database, actor: Actor, name: str, api_key: str, *,
                 settings: Settings | None = None) -> PeerRecord:
    """Replace a TAXII peer's API key (sealed; audited without it)."""
    actor.require(CAN_SYNC, "manage peers")
    stored = _sealed(api_key.strip(), settings)
    if stored is None:
        raise Invalid("the API key is empty", hint="give the key the peer issued")
    with db.transaction() as session:
        row = find_peer(session, name, actor)
        if row.kind != "taxii":
            raise Invalid("peer {peer} is an exchange peer: its credentials are "
                          "referenced, not stored", peer=row.name,
                          hint="change the variable or file it names")
        row.api_key = stored
        audit.record(session, actor, audit.AuditAction.PEER_KEY, "peer", row.id,
                     {"name": row.name})
        return peer_record(session, row)


def peer_record(session: Session, row: m.Peer) -> PeerRecord:
    """The peer as shown (never its API key or credentials)."""
    bank = session.get(m.Bank, row.bank_id) if row.bank_id else None
    channel = session.get(m.Channel, row.channel_id) if row.channel_id else None
    skipped = session.execute(select(func.count()).select_from(m.PeerSkip)
                              .where(m.PeerSkip.peer_id == row.id)).scalar_one()
    cursor = row.checkpoint if row.kind == "exchange" else row.cursor
    opinions = session.execute(select(m.ExchangeOpinion.state, func.count()).where(
        m.ExchangeOpinion.peer_id == row.id).group_by(m.ExchangeOpinion.state)
        .order_by(m.ExchangeOpinion.state)).all()
    return PeerRecord(row.id, row.name, row.url, row.collection, bank.name if bank else None,
                      channel.name if channel else None, row.username, row.state,
                      row.last_run_at, row.last_error, cursor, row.pulled, row.pushed,
                      row.kind, row.exchange, skipped, bool(row.write_back),
                      tuple((str(state), int(n)) for state, n in opinions))


@dataclass(frozen=True, slots=True)
class ExchangePeerSettings:
    """What ``accord peer add --exchange`` takes besides the name and bank."""

    exchange: str
    collab: str = "{}"
    credentials_file: str | None = None
    credentials_env: str | None = None
    endpoint: str | None = None
    tlp: str | None = None
    channel: str | None = None
    tag_map: str | None = None
    flood_factor: int | None = None
    flood_cap: int | None = None


def _check_flood(given: ExchangePeerSettings) -> None:
    for value, flag in ((given.flood_factor, "--flood-factor"), (given.flood_cap, "--flood-cap")):
        if value is not None and value < 1:
            raise Invalid("{flag} {value} is not a positive number", flag=flag, value=value)


def exchange_peer_add(db: Database, actor: Actor, name: str, given: ExchangePeerSettings, *,
                      bank: str | int, settings: Settings | None = None) -> PeerRecord:
    """Register a python-threatexchange exchange as a peer pulling into ``bank``.

    The collab config is checked by the exchange's own dataclass, the tag mapping's
    labels by the taxonomy, the endpoint by the outbound rule; only a reference to the
    credentials is stored (``pytx_peers.credentials_ref``)."""
    from accord.curation.labels import LabelChecker
    from accord.exchange import pytx_peers
    from accord.sharing.tlp import Tlp

    actor.require(CAN_SYNC, "add peers")
    if not _NAME.match(name.strip()):
        raise Invalid("peer name {name} is not usable",
                      hint="letters, digits, _ . - (at most 100), starting with a letter or digit",
                      name=trimmed(name))
    name = name.strip()
    api = pytx_peers.find_exchange(given.exchange)
    collab = pytx_peers.parse_collab(api, name, given.collab)
    home = None if actor.is_operator else Path(settings.home if settings else default_home())
    ref = pytx_peers.credentials_ref(api, given.credentials_file, given.credentials_env,
                                     member_home=home)
    endpoint = ""
    if given.endpoint:
        if api.get_name() not in pytx_peers.ENDPOINT_OVERRIDE:
            raise Invalid("{name} takes no --endpoint", hint="only {endpoint_override}",
                          name=api.get_name(),
                          endpoint_override=", ".join(sorted(pytx_peers.ENDPOINT_OVERRIDE)))
        endpoint = _check_url(given.endpoint, settings).rstrip("/")
    tag_map = pytx_peers.parse_tag_map(given.tag_map)
    _check_flood(given)
    tlp = Tlp.parse(given.tlp).value if given.tlp else None
    with db.transaction() as session:
        if session.execute(select(m.Peer).where(m.Peer.name == name)).scalar_one_or_none():
            raise Conflict("a peer named {name!r} exists", hint="choose another name", name=name)
        target = find_bank_for(session, actor, bank)
        actor.require_partner(target.owner_partner_id, "sync into this bank")
        checker = LabelChecker(session, None)
        labels = {tag: checker.check(label) for tag, label in tag_map.items()}
        row = m.Peer(name=name, url=endpoint, collection=api.get_name(), bank_id=target.id,
                     channel_id=find_channel(session, given.channel).id if given.channel
                     else None, state="new", created_at=m.utcnow(), kind="exchange",
                     exchange=api.get_name(), collab=pytx_peers.collab_json(collab),
                     credentials_ref=ref, tlp=tlp,
                     tag_map=json.dumps(labels, sort_keys=True) if labels else None,
                     flood_factor=given.flood_factor, flood_cap=given.flood_cap)
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.PEER_ADD, "peer", row.id, {
            "name": name, "exchange": api.get_name(), "collab": row.collab,
            "endpoint": endpoint or None, "bank": target.id, "channel": row.channel_id,
            "tlp": tlp, "credentials": ref.partition(":")[0] if ref else None})
        return peer_record(session, row)


def peer_skipped(db: Database, actor: Actor, name: str, *, limit: int = 1000
                 ) -> list[SkipRecord]:
    """The peer's skip ledger, newest first (at most ``limit`` entries)."""
    actor.require(CAN_SYNC, "see peers")
    with db.reader() as session:
        row = find_peer(session, name, actor)
        found = session.execute(select(m.PeerSkip).where(m.PeerSkip.peer_id == row.id)
                                .order_by(m.PeerSkip.id.desc()).limit(limit)).scalars()
        return [SkipRecord(row.name, s.record_key, s.reason, s.skipped_at) for s in found]


def _owned_by(actor: Actor) -> ColumnElement[bool]:
    """Peers whose bank belongs to ``actor``'s partner (every peer for the operator)."""
    if actor.is_operator:
        return true()
    return m.Peer.bank_id.in_(select(m.Bank.id)
                              .where(m.Bank.owner_partner_id == actor.partner_id))


def peer_list(db: Database, actor: Actor) -> list[PeerRecord]:
    """The peers of the actor's partner (pulling into its banks), by name; every peer for
    the operator. Another partner's peers (URL, collection, cursor) are never shown."""
    actor.require(CAN_SYNC, "list peers")
    with db.reader() as session:
        rows = session.execute(select(m.Peer).where(_owned_by(actor))
                               .order_by(m.Peer.name)).scalars().all()
        return [peer_record(session, row) for row in rows]


def find_peer(session: Session, name: str, actor: Actor | None = None) -> m.Peer:
    """The peer called ``name`` (or with that id); with ``actor``, only one of its partner's
    (another partner's peer is "not found", so its existence is not revealed)."""
    query = select(m.Peer).where(m.Peer.name == name.strip())
    row = session.execute(query).scalar_one_or_none()
    if row is None and is_row_id(name.strip()):
        row = session.get(m.Peer, int(name.strip()))
    if row is not None and actor is not None and not actor.is_operator:
        bank = session.get(m.Bank, row.bank_id) if row.bank_id is not None else None
        if bank is None or bank.owner_partner_id != actor.partner_id:
            row = None
    if row is None:
        raise NotFound("no peer {name}", hint="list them with: accord peer list",
                       name=trimmed(name))
    return row


def peer_sync_start(db: Database, actor: Actor, name: str) -> str:
    """Check that ``actor`` may sync peer ``name`` (a sync or admin member of the partner
    owning the peer's bank, or the operator) and record who asked; the peer's name."""
    actor.require(CAN_SYNC, "sync peers")
    with db.transaction() as session:
        row = find_peer(session, name, actor)
        audit.record(session, actor, audit.AuditAction.PEER_SYNC_START, "peer", row.id,
                     {"name": row.name})
        return row.name
