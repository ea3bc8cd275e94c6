"""Audit events as a reader reads them: the action as a word, the object named and
linked when the reader may open it, and the details as labelled phrases.

Each detail reads "label: value" in the page's language. A value that names an object
(a signal, bank, incident, request or match) is named by ``accord.web.objects``, linked
only where the reader may open it and otherwise plain, exactly as a missing one. A stored
code (a kind, verdict, state, role, purpose) reads as its word. A value that is a
filesystem path (an import file, a snapshot, a bundle, a key file) shows its base name
only: the node's paths are not the reader's business. Nothing here decides who may see
what; the events themselves are the core's (``accord.audit``) to select.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from accord.audit import AuditEvent
from accord.web.i18n import N_, Translator
from accord.web.objects import Named, Objects

OBJECT_WORDS = {
    "signal": N_("signal"), "signals": N_("signals"), "bank": N_("bank"),
    "match": N_("match"), "incident": N_("incident"), "request": N_("request"),
    "member": N_("member"), "partner": N_("partner"), "channel": N_("channel"),
    "channel_invitation": N_("channel invitation"), "peer": N_("peer"),
    "webhook": N_("webhook"), "crisis": N_("crisis"), "dialogue": N_("dialogue"),
    "action_item": N_("action item"), "programme": N_("programme"), "flow": N_("flow"),
    "api_key": N_("API key"), "query": N_("query"), "sign_in": N_("sign-in"),
    "exchange_opinion": N_("opinion written back"), "taxii_status": N_("TAXII status"),
}
"""The words for the kinds of object events are about (``object_type``)."""

LABELS = {
    "added": N_("added"), "attempts": N_("attempts"), "bank": N_("bank"),
    "channel": N_("channel"), "collection": N_("collection"), "decision": N_("decision"),
    "false_positive": N_("false positive"), "first_id": N_("first id"),
    "last_id": N_("last id"), "first_eventid": N_("first event id"),
    "last_eventid": N_("last event id"), "first": N_("first"), "last": N_("last"),
    "format": N_("format"), "from": N_("from"), "to": N_("to"), "incident": N_("incident"),
    "kind": N_("kind"), "labels": N_("labels"), "match": N_("match"),
    "method": N_("method"), "name": N_("name"), "note": N_("note"), "owner": N_("owner"),
    "partner": N_("partner"), "peer": N_("peer"), "proposal": N_("proposal"),
    "purpose": N_("purpose"), "reason": N_("reason"), "refs": N_("references"),
    "request": N_("request"), "role": N_("role"), "rows": N_("rows"),
    "signal": N_("signal"), "source": N_("source"), "state": N_("state"),
    "status": N_("status"), "tlp": N_("TLP"), "total": N_("total"), "url": N_("address"),
    "username": N_("username"), "verdict": N_("verdict"), "crisis": N_("crisis"),
    "level": N_("level"), "retracted": N_("retracted"), "quarantined": N_("quarantined"),
    "file": N_("file"), "path": N_("file"), "snapshot": N_("snapshot"),
    "bundle": N_("bundle"), "key_file": N_("key file"),
}
"""The labels of the details events carry; another detail reads by its key."""

# Details whose value names an object of that kind (see accord.web.objects).
_OBJECTS = {"signal": "signal", "bank": "bank", "incident": "incident",
            "request": "request", "match": "match"}
# Details whose value is a stored code, shown as its word.
_WORDS = frozenset({"kind", "verdict", "decision", "state", "previous_state", "status",
                    "role", "purpose", "level", "area"})
# Details that hold a file's name, or its path on the node.
_FILES = frozenset({"source", "file", "path", "filename", "snapshot", "bundle", "key_file",
                    "out", "into"})
_ABSOLUTE = re.compile(r"^(?:/|~/|\.\.?/|[A-Za-z]:[\\/]|\\\\)")


@dataclass(frozen=True, slots=True)
class Detail:
    """One detail of an event: its label and its value, in the reader's language."""

    label: str
    value: Named


@dataclass(frozen=True, slots=True)
class EventView:
    """An event as the audit table shows it."""

    event: AuditEvent
    action: str
    subject: Named
    details: tuple[Detail, ...]


def base_name(value: str) -> str:
    """A path's last part (a name with no folder is returned as it is)."""
    if "\\" in value:
        return PureWindowsPath(value).name or value
    return PurePosixPath(value).name or value


def _is_path(key: str, value: str) -> bool:
    if "://" in value:
        return False
    return bool(_ABSOLUTE.match(value)) or (key in _FILES and ("/" in value or "\\" in value))


class EventWords:
    """Words events for one reader: ``t`` their language, ``vocab`` the core's words
    (audit actions, purposes...), ``objects`` how they may know an object."""

    def __init__(self, t: Translator, vocab: Callable[[str], str], objects: Objects) -> None:
        self._t, self._vocab, self._objects = t, vocab, objects

    def word(self, code: str) -> str:
        """A stored code's word: the UI's catalogue, else the core's vocab, else the code."""
        shown = self._t.gettext(code)
        return shown if shown != code else self._vocab(code)

    def view(self, event: AuditEvent) -> EventView:
        """One event, worded."""
        details = tuple(Detail(self._t.gettext(LABELS[key]) if key in LABELS
                               else key.replace("_", " "), self.value(key, value))
                        for key, value in sorted(event.details.items()))
        return EventView(event, self._vocab(event.action), self.subject(event), details)

    def subject(self, event: AuditEvent) -> Named:
        """What the event is about, linked when the reader may open it."""
        kind, ref = event.object_type, event.object_id
        if kind in self._objects.kinds():
            return self._objects.named(kind, ref)
        word = self._t.gettext(OBJECT_WORDS[kind]) if kind in OBJECT_WORDS else kind
        return Named(self._t.gettext(N_("%(kind)s %(ref)s"), kind=word, ref=ref)
                     if ref not in ("", None) else word)

    def value(self, key: str, value: Any) -> Named:
        """A detail's value as a phrase."""
        if value is None:
            return Named("—")
        if key in _OBJECTS and not isinstance(value, bool | list | dict):
            return self._objects.named(_OBJECTS[key], value)
        if isinstance(value, bool):
            return Named(self._t.gettext(N_("yes") if value else N_("no")))
        if isinstance(value, int | float):
            return Named(self._t.number(value))
        if isinstance(value, str):
            return Named(self._text(key, value))
        if isinstance(value, list | tuple):
            return Named(", ".join(self.value(key, v).text for v in value) or "—")
        if isinstance(value, dict):
            return Named("; ".join(f"{k}: {self.value(k, v).text}"
                                   for k, v in sorted(value.items())))
        return Named(str(value))

    def _text(self, key: str, value: str) -> str:
        if _is_path(key, value):
            return base_name(value)
        if key in _WORDS:
            return self.word(value)
        return value


def event_views(events: Sequence[AuditEvent], words: EventWords) -> list[EventView]:
    """The events of a page, worded for its reader."""
    return [words.view(event) for event in events]
