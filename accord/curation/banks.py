"""Banks: lists of signals owned by one partner, with their sharing defaults."""

from __future__ import annotations

import re
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.service import find_channel_for, find_partner, is_row_id
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import actor_visible_clause, viewer_of
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

_BANK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def bank_record(row: m.Bank, signal_count: int = 0) -> r.Bank:
    """The record for an ORM row."""
    return r.Bank(row.id, row.name, row.owner_partner_id, row.description, row.default_tlp,
                  row.channel_id, row.auto_action, row.negative, row.pdq_threshold, signal_count,
                  row.tmk_threshold, row.match_variants, row.matching_enabled)


def _no_bank(ref: str | int) -> NotFound:
    return NotFound("no bank {ref}", hint="list banks with: accord bank list",
                    ref=trimmed(str(ref).strip()))


def find_bank(session: Session, ref: str | int) -> m.Bank:
    """A bank by id or name, or ``NotFound`` (for the operator's and the node's own jobs;
    for a member, ``find_bank_for``)."""
    text = str(ref).strip()
    row = session.execute(select(m.Bank).where(
        m.Bank.id == int(text) if is_row_id(text) else m.Bank.name == text
    )).scalar_one_or_none()
    if row is None:
        raise _no_bank(ref)
    return row


def find_bank_for(session: Session, actor: Actor, ref: str | int) -> m.Bank:
    """A bank ``actor`` may know of, by id or name; any other is ``NotFound`` exactly as one
    that does not exist (same message, hint and status), so its existence is not told.

    An actor knows its own partner's banks (the operator, every bank), a bank shared into
    a channel of its partner, and a bank holding a signal it may see (that signal's record
    names it). Whether it may act on the bank is
    the caller's check (``require_partner``), made after this one.
    """
    row = find_bank(session, ref)
    if actor.is_operator or actor.partner_id == row.owner_partner_id:
        return row
    if row.channel_id is not None and row.channel_id in viewer_of(session, actor).channel_ids:
        return row
    seen = session.execute(select(m.Signal.id).where(
        m.Signal.bank_id == row.id,
        actor_visible_clause(session, actor, m.Signal.owner_partner_id, m.Signal.tlp,
                             m.Signal.channel_id)).limit(1)).first()
    if seen is None:
        raise _no_bank(ref)
    return row


def bank_add(
    db: Database,
    actor: Actor,
    name: str,
    owner: str | int,
    *,
    default_tlp: str = "AMBER",
    channel: str | int | None = None,
    description: str = "",
    negative: bool = False,
    auto_action: bool = False,
    pdq_threshold: int | None = None,
    tmk_threshold: int | None = None,
    match_variants: str | None = None,
) -> r.Bank:
    """Create a bank for a partner. Auto-action stays off unless asked for explicitly.

    ``match_variants`` (e.g. ``"dihedral,unletterbox"``; see
    :mod:`accord.signals.pdq_variants`) chooses which variants of an uploaded
    picture may hit its PDQ signals; ``None`` keeps the default.
    """
    name = _check_name(name)
    tlp = Tlp.parse(default_tlp)
    _check_threshold(pdq_threshold)
    _check_tmk_threshold(tmk_threshold)
    variants = _variants(match_variants)
    with db.transaction() as session:
        partner = find_partner(session, owner)
        actor.require_partner(partner.id, "create banks for this partner")
        actor.require(CAN_CURATE, "create banks")
        channel_id = None
        if channel is not None:
            chan = find_channel_for(session, actor, channel)
            if session.get(m.ChannelMember, (chan.id, partner.id)) is None:
                raise Invalid("partner {name!r} is not a member of channel {chan_name!r}",
                              hint="a bank can only share into a channel its owner belongs to",
                              name=partner.name, chan_name=chan.name)
            channel_id = chan.id
        if session.execute(select(m.Bank.id).where(m.Bank.name == name)).first():
            raise Conflict("a bank named {name!r} already exists", name=name)
        description = checked_text(session, "bank description", description)
        row = m.Bank(name=name, owner_partner_id=partner.id, description=description,
                     default_tlp=tlp.value, channel_id=channel_id, negative=negative,
                     auto_action=auto_action, pdq_threshold=pdq_threshold,
                     tmk_threshold=tmk_threshold, match_variants=variants)
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.BANK_ADD, "bank", row.id, {
            "name": name, "owner": partner.id, "default_tlp": tlp.value,
            "channel": channel_id, "negative": negative, "auto_action": auto_action,
            "match_variants": variants,
        })
        return bank_record(row)


def _check_threshold(pdq_threshold: int | None) -> None:
    if pdq_threshold is not None and not 0 <= pdq_threshold <= 128:
        raise Invalid("PDQ threshold {pdq_threshold} is outside 0-128", pdq_threshold=pdq_threshold)


def _check_tmk_threshold(tmk_threshold: int | None) -> None:
    if tmk_threshold is not None and not 0 <= tmk_threshold <= 2000:
        raise Invalid("TMK threshold {tmk_threshold} is outside 0-2000",
                      hint="a tmk threshold t admits level-1 and level-2 scores >= 1 - t/1000",
                      tmk_threshold=tmk_threshold)


def _variants(text: str | None) -> str | None:
    """A variant setting in its canonical spelling; ``None`` or "default": the default."""
    if text is None or text.strip().lower() == "default":
        return None
    # Imported here: pdq_variants pulls in numpy and pdqhash, which `accord signal list`
    # and every other command that never sets variants should not wait for at start-up.
    from accord.signals.pdq_variants import parse_variants, variants_text
    return variants_text(parse_variants(text))


class Keep(Enum):
    """The value of a setting left as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def bank_set_matching(db: Database, actor: Actor, bank: str | int, *,
                      match_variants: str | Keep | None = KEEP,
                      pdq_threshold: int | Keep | None = KEEP,
                      tmk_threshold: int | Keep | None = KEEP,
                      enabled: bool | Keep = KEEP) -> r.Bank:
    """Change how uploads match a bank: its query variants, its PDQ and TMK thresholds,
    and whether it matches at all (``enabled``; off, its signals stay, shared and synced
    as before, but none matches an upload).

    ``KEEP`` leaves one as it is; ``None`` (or ``"default"`` for the variants)
    returns it to the node's default. The engine follows through the audit log.
    """
    variants = match_variants if isinstance(match_variants, Keep) else _variants(match_variants)
    if not isinstance(pdq_threshold, Keep):
        _check_threshold(pdq_threshold)
    if not isinstance(tmk_threshold, Keep):
        _check_tmk_threshold(tmk_threshold)
    with db.transaction() as session:
        row = find_bank_for(session, actor, bank)
        actor.require_partner(row.owner_partner_id, "change this bank's matching")
        actor.require(CAN_CURATE, "change banks")
        if not isinstance(variants, Keep):
            row.match_variants = variants
        if not isinstance(pdq_threshold, Keep):
            row.pdq_threshold = pdq_threshold
        if not isinstance(tmk_threshold, Keep):
            row.tmk_threshold = tmk_threshold
        if not isinstance(enabled, Keep):
            row.matching_enabled = enabled
        audit.record(session, actor, audit.AuditAction.BANK_MATCHING, "bank", row.id, {
            "match_variants": row.match_variants, "pdq_threshold": row.pdq_threshold,
            "tmk_threshold": row.tmk_threshold, "enabled": row.matching_enabled,
        })
        active = session.scalar(select(func.count()).select_from(m.Signal).where(
            m.Signal.bank_id == row.id, m.Signal.status == "active"))
        return bank_record(row, active or 0)


def _check_name(name: str) -> str:
    name = name.strip()
    if not _BANK_NAME.match(name):
        raise Invalid(
            "bank name {name} is not allowed", name=trimmed(name),
            hint="use 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )
    return name


def bank_rename(db: Database, actor: Actor, bank: str | int, new_name: str) -> r.Bank:
    """Give a bank of the actor's partner a new name (its id, signals, peers and channel
    stay; past match records keep the name they were made under). Audited."""
    name = _check_name(new_name)
    with db.transaction() as session:
        row = find_bank_for(session, actor, bank)
        actor.require_partner(row.owner_partner_id, "rename this bank")
        actor.require(CAN_CURATE, "rename banks")
        if name != row.name and session.execute(
                select(m.Bank.id).where(m.Bank.name == name)).first():
            raise Conflict("a bank named {name!r} already exists", name=name)
        old, row.name = row.name, name
        audit.record(session, actor, audit.AuditAction.BANK_RENAME, "bank", row.id,
                     {"from": old, "to": name})
        return bank_record(row)


def bank_delete(db: Database, actor: Actor, bank: str | int) -> None:
    """Delete a bank of the actor's partner that has never held a signal and that no
    peer pulls into nor crisis names. A bank that held signals is never deleted: its
    signals, retracted ones included, are tombstones that partners' syncs, match records
    and the audit log refer to; retract them instead. Audited."""
    with db.transaction() as session:
        row = find_bank_for(session, actor, bank)
        actor.require_partner(row.owner_partner_id, "delete this bank")
        actor.require(CAN_CURATE, "delete banks")
        held = session.scalar(select(func.count()).select_from(m.Signal).where(
            m.Signal.bank_id == row.id)) or 0
        if held:
            raise Conflict(
                "bank {bank!r} holds {held:,} signal(s), retracted ones included, and "
                "is kept", bank=row.name, held=held,
                hint="retract its signals instead: they stop matching, and the "
                "tombstones stay for partners' syncs and the audit log")
        if session.execute(select(m.Peer.id).where(m.Peer.bank_id == row.id).limit(1)).first():
            raise Conflict("bank {bank!r} is used by an exchange or TAXII peer and is kept",
                           bank=row.name, hint="remove that peer first")
        if session.execute(
                select(m.Crisis.id).where(m.Crisis.bank_id == row.id).limit(1)).first():
            raise Conflict("bank {bank!r} is used by a crisis and is kept", bank=row.name,
                           hint="remove that crisis first")
        audit.record(session, actor, audit.AuditAction.BANK_DELETE, "bank", row.id,
                     {"name": row.name})
        session.delete(row)


def bank_list(db: Database, owner: str | int | None = None, *, counts: bool = True
              ) -> list[r.Bank]:
    """Banks (of one partner, or all) with their number of active signals.

    Counting scans every signal of the banks; ``counts=False`` skips it (counts are 0).
    """
    if not counts:
        with db.reader() as session:
            plain = select(m.Bank).order_by(m.Bank.name)
            if owner is not None:
                plain = plain.where(m.Bank.owner_partner_id == find_partner(session, owner).id)
            return [bank_record(b) for b in session.execute(plain).scalars()]
    with db.reader() as session:
        counts_of = (
            select(m.Signal.bank_id, func.count().label("n"))
            .where(m.Signal.status == "active").group_by(m.Signal.bank_id).subquery()
        )
        query = (select(m.Bank, func.coalesce(counts_of.c.n, 0))
                 .outerjoin(counts_of, counts_of.c.bank_id == m.Bank.id).order_by(m.Bank.name))
        if owner is not None:
            query = query.where(m.Bank.owner_partner_id == find_partner(session, owner).id)
        return [bank_record(b, n) for b, n in session.execute(query).all()]
