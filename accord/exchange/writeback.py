"""Write-back: delivering verdicts and disputes to the exchange peers they are about.

The queue is ``accord.curation.writeback`` (a confirmed match is a
``true_positive``, a rejected one a ``false_positive``, a dispute ``disputed``);
this module switches write-back per peer, lists a peer's opinions, and
delivers them, during ``accord sync`` of that peer, through
python-threatexchange's own client for the exchange:

- ``fb_threatexchange`` (ThreatExchange, GIFCT): ``ThreatExchangeAPI.
  react_to_threat_descriptor`` on each other member's descriptor of the record:
  true_positive is ``SAW_THIS_TOO``, false_positive and disputed are
  ``DISAGREE_WITH_TAGS`` (the reaction pytx itself reads as a negative opinion).
- ``stop_ncii``: ``StopNCIIAPI.submit_feedback`` of the record's hash: true_positive
  is ``Blocked``, false_positive and disputed ``NotBlocked``; its SubmitFeedback
  function key comes from a ``submit_feedback_key=`` line of the peer's credentials.

Only the upstream id (a descriptor id, StopNCII's hash) and the opinion travel: no content
reference, rationale, note, member or partner name. pytx 1.2.17's
``SignalExchangeAPI.report_opinion`` is implemented by none of these exchanges
(only by ``local_file``, which appends to a file), so the library's own clients are
used directly; their HTTP is never re-written here. The other exchanges refuse
``--write-back`` with the reason (``WRITE_BACK_REFUSED``).

Delivery is in queue order per upstream id (a later opinion on a record waits
while an earlier one is undelivered); a failure is retried at the next sync
after ``writeback_backoff_seconds * 2 ** (attempts - 1)`` (capped), and after
``writeback_max_attempts`` the opinion is dead. Every outcome is audited
(``exchange.opinion.delivered/failed/dead``); an error message never holds the
exchange's response body or the access token.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from threatexchange.exchanges.clients.stopncii.api import (
    StopNCIIAPI,
    StopNCIICSPFeedbackValue,
    StopNCIISignalType,
)

from accord import audit
from accord.config import Settings
from accord.curation.writeback import OutboundKind
from accord.errors import AccordError, Invalid, trimmed
from accord.exchange import pytx_peers
from accord.exchange.peer_client import describe
from accord.exchange.peers import PeerRecord, find_peer, peer_record
from accord.sharing.roles import CAN_SYNC, Actor
from accord.store import models as m
from accord.store.database import Database

Sender = Callable[[str, OutboundKind], None]

REACTIONS = {OutboundKind.TRUE_POSITIVE: "SAW_THIS_TOO",
             OutboundKind.FALSE_POSITIVE: "DISAGREE_WITH_TAGS",
             OutboundKind.DISPUTED: "DISAGREE_WITH_TAGS"}
"""ThreatExchange's reaction for each opinion kind."""
FEEDBACK = {OutboundKind.TRUE_POSITIVE: StopNCIICSPFeedbackValue.Blocked,
            OutboundKind.FALSE_POSITIVE: StopNCIICSPFeedbackValue.NotBlocked,
            OutboundKind.DISPUTED: StopNCIICSPFeedbackValue.NotBlocked}
"""StopNCII's CSP feedback for each opinion kind."""
NCII_TYPES = {"pdq": StopNCIISignalType.ImagePDQ, "video_md5": StopNCIISignalType.VideoMD5,
              "url": StopNCIISignalType.URL}
"""StopNCII's signal type of a record key's pytx type."""
WRITE_BACK_REFUSED = {
    "tat": "TCAP's hash list API takes no opinions",
    "local_file": "a local file is not a source that takes opinions",
    "ncmec": "NCMEC feedback needs a reason id per fingerprint type, not yet mapped",
    "static_sample": "the static sample exchange takes no opinions",
}
"""Exchanges whose write-back is refused, and why."""
WRITE_BACK = frozenset({"fb_threatexchange", "stop_ncii"})
"""Exchanges that take write-back."""
BATCH = 500
_TOKEN = re.compile(r"(access_token|key|token)=[^&\s]+", re.IGNORECASE)


class WriteBackFailed(AccordError):
    """An opinion the exchange did not take (retried until dead)."""

    title = "Write-back failed"


@dataclass(frozen=True, slots=True)
class OpinionRecord:
    """An outbound opinion as ``accord peer opinions`` shows it."""

    id: int
    peer: str
    signal_id: int
    upstream_id: str
    kind: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


@dataclass
class WriteBackOutcome:
    """What one delivery run did."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    first_error: str | None = None


def check_write_back(row: m.Peer) -> None:
    """``Invalid`` unless ``row`` is an exchange peer whose API takes opinions."""
    if row.kind != "exchange":
        raise Invalid("peer {peer} is a TAXII peer: write-back is for exchange peers",
                      peer=row.name,
                      hint="opinions reach Accord peers through their own sync")
    api = row.exchange or ""
    if api not in WRITE_BACK:
        reason = WRITE_BACK_REFUSED.get(api, "its API takes no opinions")
        raise Invalid("peer {peer} ({api}) cannot take write-back: {reason}", peer=row.name,
                      api=api, reason=reason,
                      hint="write-back works with fb_threatexchange (ThreatExchange, GIFCT) and "
                           "stop_ncii")


def peer_write_back_set(db: Database, actor: Actor, name: str, on: bool) -> PeerRecord:
    """Switch write-back of verdicts and disputes to peer ``name`` on or off (audited)."""
    actor.require(CAN_SYNC, "manage peers")
    with db.transaction() as session:
        row = find_peer(session, name, actor)
        if on:
            check_write_back(row)
            if row.exchange == "stop_ncii":  # its feedback key must be there now
                pytx_peers.stopncii_feedback_client(row.credentials_ref, row.url or None)
        if row.write_back != on:
            row.write_back = on
            audit.record(session, actor, audit.AuditAction.PEER_WRITE_BACK, "peer", row.id,
                         {"name": row.name, "write_back": on})
        return peer_record(session, row)


def peer_opinions(db: Database, actor: Actor, name: str, *, limit: int = 1000
                  ) -> list[OpinionRecord]:
    """The peer's outbound opinions, newest first (at most ``limit``)."""
    actor.require(CAN_SYNC, "see peers")
    with db.reader() as session:
        row = find_peer(session, name, actor)
        found = session.execute(select(m.ExchangeOpinion).where(
            m.ExchangeOpinion.peer_id == row.id).order_by(m.ExchangeOpinion.id.desc())
            .limit(limit)).scalars()
        return [OpinionRecord(o.id, row.name, o.signal_id, o.upstream_id, o.kind, o.state,
                              o.attempts, o.next_attempt_at, o.last_error, o.created_at,
                              o.delivered_at) for o in found]


def deliver(db: Database, settings: Settings, name: str, *,
            now: dt.datetime | None = None) -> WriteBackOutcome:
    """Deliver peer ``name``'s due opinions (none while its write-back is off)."""
    now = now or m.utcnow()
    outcome = WriteBackOutcome()
    with db.reader() as session:
        peer = find_peer(session, name)
        session.expunge(peer)
        rows = session.execute(select(m.ExchangeOpinion).where(
            m.ExchangeOpinion.peer_id == peer.id,
            m.ExchangeOpinion.state.in_(("pending", "failed")))
            .order_by(m.ExchangeOpinion.id).limit(BATCH)).scalars().all()
        for row in rows:
            session.expunge(row)
    if not peer.write_back or not rows:
        return outcome
    send: Sender | None = None
    blocked: set[str] = set()  # upstream ids with an earlier opinion undelivered
    for row in rows:
        if row.upstream_id in blocked or (row.next_attempt_at and row.next_attempt_at > now):
            blocked.add(row.upstream_id)
            outcome.waiting += 1
            continue
        try:
            send = send or _sender(peer)
            send(row.upstream_id, OutboundKind(row.kind))
        except Exception as exc:  # whatever the exchange does, this opinion is retried
            blocked.add(row.upstream_id)
            _failed(db, settings, peer, row.id, _explain(exc), now, outcome)
            continue
        _delivered(db, peer, row.id, now)
        outcome.delivered += 1
    return outcome


def _sender(peer: m.Peer) -> Sender:
    """How opinions reach ``peer``: its exchange's pytx client, signed in (credentials read
    now, as a fetch reads them)."""
    check_write_back(peer)
    if peer.exchange == "stop_ncii":
        client = pytx_peers.stopncii_feedback_client(peer.credentials_ref, peer.url or None)
        return lambda upstream, kind: _feedback(client, upstream, kind)
    api = pytx_peers.find_exchange(peer.exchange or "")
    exchange = pytx_peers.open_exchange(
        api, pytx_peers.parse_collab(api, peer.name, peer.collab or "{}"),
        peer.credentials_ref, peer.url or None)
    return lambda upstream, kind: _react(exchange, upstream, kind)


def _feedback(client: StopNCIIAPI, upstream_id: str, kind: OutboundKind) -> None:
    """One CSP feedback through pytx's StopNCII client (``submit_feedback``: the hash and
    the feedback value, no tags); an HTTP error raises."""
    type_name, _, hash_value = upstream_id.partition(":")
    if type_name not in NCII_TYPES or not hash_value:
        raise WriteBackFailed("{record} is not a StopNCII record key",
                              record=trimmed(upstream_id, 60))
    client.submit_feedback(NCII_TYPES[type_name], hash_value, FEEDBACK[kind])


def _react(exchange: Any, upstream_id: str, kind: OutboundKind) -> None:
    """One reaction through pytx's ThreatExchange client; ``WriteBackFailed`` unless the
    Graph API answers ``{"success": true}``."""
    if not upstream_id.isdigit():
        raise WriteBackFailed("{record} is not a ThreatExchange descriptor "
                              "id (the record was fetched before write-back kept them)",
                              record=trimmed(upstream_id, 60),
                              hint="it is sent once the peer's next full fetch renews it")
    _, error, body = exchange.client.react_to_threat_descriptor(int(upstream_id),
                                                                REACTIONS[kind])
    if error is not None or not (isinstance(body, dict) and body.get("success") is True):
        raise WriteBackFailed("ThreatExchange did not confirm the reaction")


def _explain(error: BaseException) -> str:
    """The failure in words: never the exchange's response body, never a token."""
    if isinstance(error, AccordError):
        text = error.message
    elif isinstance(error, ValueError):  # a body that is not JSON (an error page)
        text = "the exchange answered with something that is not JSON"
    else:
        text = describe(error)
    return _TOKEN.sub(r"\1=…", text)[:500]


def _delivered(db: Database, peer: m.Peer, opinion_id: int, now: dt.datetime) -> None:
    with db.transaction() as session:
        row = session.get_one(m.ExchangeOpinion, opinion_id)
        row.state, row.delivered_at, row.next_attempt_at = "delivered", now, None
        row.attempts += 1
        row.last_error = None
        audit.record(session, Actor.operator(f"sync:{peer.name}"),
                     audit.AuditAction.EXCHANGE_OPINION_DELIVERED, "exchange_opinion", row.id,
                     {"peer": peer.name, "signal": row.signal_id, "kind": row.kind,
                      "upstream_id": row.upstream_id, "attempts": row.attempts})


def _failed(db: Database, settings: Settings, peer: m.Peer, opinion_id: int, error: str,
            now: dt.datetime, outcome: WriteBackOutcome) -> None:
    with db.transaction() as session:
        row = session.get_one(m.ExchangeOpinion, opinion_id)
        row.attempts += 1
        row.last_error = error
        dead = row.attempts >= settings.writeback_max_attempts
        if dead:
            row.state, row.next_attempt_at = "dead", None
        else:
            wait = min(settings.writeback_backoff_cap_seconds,
                       settings.writeback_backoff_seconds * 2 ** (row.attempts - 1))
            row.state, row.next_attempt_at = "failed", now + dt.timedelta(seconds=wait)
        details = {"peer": peer.name, "signal": row.signal_id, "kind": row.kind,
                   "upstream_id": row.upstream_id, "attempts": row.attempts, "error": error}
        actor = Actor.operator(f"sync:{peer.name}")
        if dead:
            audit.record(session, actor, audit.AuditAction.EXCHANGE_OPINION_DEAD,
                         "exchange_opinion", row.id, details)
        else:
            audit.record(session, actor, audit.AuditAction.EXCHANGE_OPINION_FAILED,
                         "exchange_opinion", row.id, details)
    if dead:
        outcome.dead += 1
    else:
        outcome.failed += 1
    outcome.first_error = outcome.first_error or error
