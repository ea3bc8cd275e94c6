"""Objects a page names, as its reader may know them.

A bank reads by its name, with its owner partner's name when it is another partner's;
a signal, incident or request is linked to its page when the reader may open it. One the
reader may not see reads exactly like one that does not exist: its kind and reference,
as plain text. Who may see what is the core's to say (``find_bank_for``, ``signal_get``,
``incident_get``, ``request_get``, ``match_get``, all over ``accord.sharing.visibility``);
this module only asks and words the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from accord.cooperation import requests
from accord.curation import banks
from accord.curation import signals as sig
from accord.errors import NotFound, PermissionDenied
from accord.incidents import service as incidents
from accord.review import service as review
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from accord.web.i18n import N_, Translator


@dataclass(frozen=True, slots=True)
class Named:
    """How a page names an object: its words, and its page when the reader may open it."""

    text: str
    href: str | None = None

    def __str__(self) -> str:
        return self.text


# "signal 12": how each kind is named by its reference, seen or not.
_BY_REF = {"signal": N_("signal %(ref)s"), "bank": N_("bank %(ref)s"),
           "incident": N_("incident %(ref)s"), "request": N_("request %(ref)s"),
           "match": N_("match %(ref)s")}


def _row_id(ref: object) -> int | None:
    text = str(ref).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


class Objects:
    """Names objects for one reader on one page (each asked once)."""

    def __init__(self, db: Database, actor: Actor, t: Translator) -> None:
        self._db, self._actor, self._t = db, actor, t
        self._known: dict[tuple[str, str], Named] = {}

    def kinds(self) -> frozenset[str]:
        """The kinds of object this reader's pages name by a reference."""
        return frozenset(_BY_REF)

    def named(self, kind: str, ref: object) -> Named:
        """The object of ``kind`` (one of ``kinds()``) with reference ``ref``."""
        key = (kind, str(ref))
        if key not in self._known:
            self._known[key] = self._look_up(kind, ref)
        return self._known[key]

    def bank(self, ref: object) -> Named:
        """A bank by id or name: its name, its owner's too when another partner's."""
        return self.named("bank", ref)

    def _plain(self, kind: str, ref: object) -> Named:
        return Named(self._t.gettext(_BY_REF[kind], ref=ref))

    def _look_up(self, kind: str, ref: object) -> Named:
        if kind == "bank":
            return self._bank(ref)
        number = _row_id(ref)
        opener = _OPENERS.get(kind)
        if number is None or opener is None:
            return self._plain(kind, ref)
        try:
            href = opener(self._db, self._actor, number)
        except (NotFound, PermissionDenied):
            return self._plain(kind, ref)
        return Named(self._plain(kind, ref).text, href)

    def _bank(self, ref: object) -> Named:
        if ref is None or not str(ref).strip():
            return Named("—")
        with self._db.reader() as session:
            try:
                row = banks.find_bank_for(session, self._actor, str(ref))
            except NotFound:
                return self._plain("bank", ref)
            name, owner_id = row.name, row.owner_partner_id
            owner = session.get(m.Partner, owner_id)
            owner_name = owner.name if owner is not None else None
        if self._actor.partner_id is not None and owner_id == self._actor.partner_id:
            return Named(name, "/banks/" + quote(name, safe=""))
        if owner_name is None:
            return Named(name)
        return Named(self._t.gettext(N_("%(bank)s of %(partner)s"), bank=name,
                                     partner=owner_name))


def _signal(db: Database, actor: Actor, number: int) -> str:
    sig.signal_get(db, actor, number)
    return f"/signals/{number}"


def _incident(db: Database, actor: Actor, number: int) -> str:
    incidents.incident_get(db, actor, number)
    return f"/incidents/{number}"


def _request(db: Database, actor: Actor, number: int) -> str:
    requests.request_get(db, actor, number)
    return f"/cooperation#request-{number}"


def _match(db: Database, actor: Actor, number: int) -> str:
    # A match has no page of its own: it is reviewed on its signal's desk card, and
    # linked to the signal it matched (which its partner may see).
    found = review.match_get(db, actor, number)
    sig.signal_get(db, actor, found.signal_id)
    return f"/signals/{found.signal_id}"


_OPENERS: dict[str, Callable[[Database, Actor, int], str]] = {
    "signal": _signal, "incident": _incident, "request": _request, "match": _match}
