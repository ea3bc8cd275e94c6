"""A node for cooperation tests: two national agencies, a third-country agency, a platform.

Agency North (FR) and Agency South (KE) share a bilateral channel; Agency
Third (TZ) is a capacity-building beneficiary; Platform P (IE) matches
content. Two generated entities: one on the UN list, one on North's own
national list only (registered as North's source, ``FR-NAT``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accord.config import Settings
from accord.cooperation import designations
from accord.curation import banks, signals
from accord.entities import service as entities
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from tests.cooperation.offline import start_offline_build


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the offline build as soon as a selected test needs it (it takes ~50 s)."""
    if not session.config.option.collectonly and any(
            "offline_node" in getattr(item, "fixturenames", ()) for item in session.items):
        start_offline_build(session.config)


@dataclass(frozen=True)
class CoopNode:
    """Partner ids and members of the test node."""

    north: int
    south: int
    third: int
    platform: int
    north_curator: Actor
    north_admin: Actor
    south_reviewer: Actor
    third_curator: Actor
    platform_reviewer: Actor
    platform_reader: Actor
    signal_id: int


def member(db: Database, partner: str, username: str, role: str) -> Actor:
    """A new member of ``partner`` as an ``Actor``."""
    mem = service.member_add(db, Actor.operator(), partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def coop(db: Database, settings: Settings) -> CoopNode:
    op = Actor.operator()
    ids = [service.partner_add(db, op, name, kind, country).id for name, kind, country in (
        ("Agency North", "agency", "FR"), ("Agency South", "agency", "KE"),
        ("Agency Third", "agency", "TZ"), ("Platform P", "platform", "IE"))]
    service.channel_add(db, op, "north-south", "Agency North")
    service.channel_join(db, op, "north-south", "Agency South")
    entities.entity_add(db, op, entities.EntityInput(
        "qde-901", "Example Front", designations=(
            entities.parse_designation("UN-SC:QDe.901:2015-03-01"),
            entities.parse_designation("EU:EU-X-1:2016-01-01:2021-06-30"))))
    entities.entity_add(db, op, entities.EntityInput(
        "fr-nat-7", "Sample Brigade", designations=(
            entities.parse_designation("FR-NAT:FR-7:2019-05-02"),)))
    designations.source_register(db, op, "FR-NAT", "Agency North")
    banks.bank_add(db, op, "north-media", "Agency North", default_tlp="AMBER",
                   channel="north-south")
    north_curator = member(db, "Agency North", "nora", "curator")
    sig = signals.signal_add(db, north_curator, "north-media", signals.SignalInput(
        "md5", "d" * 32, labels=("entity:qde-901",)), settings)
    return CoopNode(
        *ids, north_curator, member(db, "Agency North", "nils", "admin"),
        member(db, "Agency South", "sami", "reviewer"),
        member(db, "Agency Third", "tara", "curator"),
        member(db, "Platform P", "pia", "reviewer"),
        member(db, "Platform P", "pete", "reader"), sig.id,
    )
