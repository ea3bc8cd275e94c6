"""A crisis as STIX: a ``report`` citing its crisis bank's indicators, in a bundle with them
and with every object they reference (the partners' identities, the markings, Accord's
extension definitions), so the bundle stands on its own.

Only what the actor may pass on leaves: crises on incidents it may see, and the
bank's signals it may reshare (never RED or AMBER+STRICT), as ``accord export``
would write them. The report's TLP is the strictest of those indicators'.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from typing import Any

from accord.config import Settings
from accord.errors import Invalid, NotFound
from accord.exchange.files import exportable
from accord.exchange.indicator import IndicatorRenderer
from accord.exchange.stix import crisis_to_stix, self_contained_bundle
from accord.incidents.crisis import crisis_list
from accord.sharing.roles import Actor
from accord.sharing.tlp import Tlp
from accord.store import models as m
from accord.store.database import Database


def crisis_bundle(db: Database, actor: Actor, crisis_id: int, settings: Settings
                  ) -> dict[str, Any]:
    """A STIX bundle: the crisis ``report`` and the indicators it cites."""
    crisis = next((c for c in crisis_list(db, actor) if c.id == crisis_id), None)
    if crisis is None:
        raise NotFound("no crisis {crisis_id}", hint="list them with: accord crisis list",
                       crisis_id=crisis_id)
    if crisis.bank_id is None:
        raise Invalid("crisis {crisis_id} has no crisis bank", crisis_id=crisis_id)
    with db.reader() as session:
        owner = session.get_one(m.Bank, crisis.bank_id).owner_partner_id
    node_id = settings.resolved_node_id()
    renderer = IndicatorRenderer(node_id)
    leaving = list(exportable(db, actor, crisis.bank_id, with_retracted=False))
    indicators = [renderer.indicator(row) for row, _ in leaving]
    order = list(Tlp)
    strictest = max((Tlp(s.tlp) for _, s in leaving), key=order.index, default=Tlp.GREEN)
    report = crisis_to_stix(crisis, [i["id"] for i in indicators], node_id,
                            owner_partner_id=owner, tlp=strictest.value)
    return self_contained_bundle(db, node_id, [report, *indicators])
