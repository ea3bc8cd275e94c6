"""A node with two partners and a channel, and generated GTD-format files."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.incidents import synthetic
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database


@pytest.fixture
def partners(db: Database) -> Database:
    """Agency A and Platform B share the channel "ab"; NGO C stands apart."""
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    service.partner_add(db, op, "NGO C", "ngo", "KE")
    service.channel_add(db, op, "ab", "Agency A")
    service.channel_join(db, op, "ab", "Platform B")
    return db


@pytest.fixture(scope="session")
def planted_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GTD-format CSV with a level shift (2012), a new province (2016) and a soft-target
    share rise (2015)."""
    path = tmp_path_factory.mktemp("gtd") / "planted.csv"
    synthetic.write_csv(synthetic.generate(synthetic.Plan()), path)
    return path


@pytest.fixture(scope="session")
def control_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same kind of data with no pattern planted."""
    path = tmp_path_factory.mktemp("gtd") / "control.csv"
    synthetic.write_csv(synthetic.generate(synthetic.Plan.control()), path)
    return path
