"""The designation view: every source side by side, never resolved."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.cooperation import designations
from accord.entities import service as entities
from accord.errors import NotFound, PermissionDenied
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode


def test_the_view_shows_who_lists_and_who_delisted_side_by_side(
    db: Database, coop: CoopNode
) -> None:
    entities.entity_add(db, Actor.operator(), entities.EntityInput(
        "qde-901", "Example Front",
        designations=(entities.parse_designation("FR-NAT:FR-9:2017-02-01"),)))
    view = designations.designation_view(db, "QDE-901")
    assert [(r.source, r.source_partner, r.listed_on, r.status) for r in view.rows] == [
        ("UN-SC", None, dt.date(2015, 3, 1), "listed"),
        ("EU", None, dt.date(2016, 1, 1), "delisted"),
        ("FR-NAT", "Agency North", dt.date(2017, 2, 1), "listed"),
    ]
    assert view.listed_by == ("UN-SC", "FR-NAT") and view.delisted_by == ("EU",)
    assert view.divergent
    with pytest.raises(NotFound, match="no entity"):
        designations.designation_view(db, "nothing-here")


def test_only_its_own_admins_register_a_partners_source(db: Database, coop: CoopNode) -> None:
    with pytest.raises(PermissionDenied):
        designations.source_register(db, coop.platform_reviewer, "IE-NAT", "Agency North")
    with pytest.raises(PermissionDenied, match="already registered to another partner"):
        designations.source_register(db, Actor.operator(), "FR-NAT", "Agency South")
    assert designations.source_register(db, coop.north_admin, "FR-NAT2", "Agency North") == \
        "FR-NAT2"
