"""The navigation bar: one entry per page group, shown to the roles that may use it.

A new page group (incidents, analytics, reports, peers) adds its module to
``accord.web.pages.MODULES`` and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.sharing.roles import CAN_CURATE, CAN_READ, CAN_REVIEW, CAN_SYNC, Actor, Role
from accord.web.i18n import N_


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A link in the navigation bar: path, catalogue id of its text, roles that see it."""

    path: str
    text: str
    roles: frozenset[Role]


ADMINS = frozenset({Role.ADMIN})
NAV = (
    NavEntry("/", N_("Dashboard"), CAN_READ),
    NavEntry("/signals", N_("Signals"), CAN_READ),
    NavEntry("/banks", N_("Banks"), CAN_READ),
    NavEntry("/match", N_("Match"), CAN_READ),
    NavEntry("/review", N_("Review"), CAN_REVIEW),
    NavEntry("/disputes", N_("Disputes"), CAN_CURATE),
    NavEntry("/incidents", N_("Incidents"), CAN_READ),
    NavEntry("/reports", N_("Reports"), CAN_READ),
    NavEntry("/cooperation", N_("Cooperation"), CAN_READ),
    NavEntry("/admin", N_("Admin"), ADMINS),
    NavEntry("/peers", N_("Peers"), CAN_SYNC),
    NavEntry("/audit", N_("Audit log"), ADMINS),
)


def nav_for(actor: Actor | None) -> list[NavEntry]:
    """The entries ``actor`` may use (none before sign-in)."""
    if actor is None:
        return []
    return [e for e in NAV if actor.is_operator or actor.role in e.roles]
