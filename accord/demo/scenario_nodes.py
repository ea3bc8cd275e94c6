"""The cooperation scenario's nodes: one SQLite database per partner, in one folder.

North's node hosts the forum (the partners, both channels, requests, dialogues,
programmes) and is served on 127.0.0.1 by the caller's ``Serve`` (the API edge
runs it in a thread). South and the platform pull from it by TAXII 2.1 sync
(``accord.exchange.sync``), each with its own sync key; the air-gapped Third
gets a TAXII envelope file instead (``accord export --taxii-envelope`` /
``accord import``).

Demo module (an edge under the CLI): no fastapi, typer, jinja2, accord.api, accord.web or
accord.cli imports.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from accord.config import Settings
from accord.curation import banks
from accord.entities import service as entities
from accord.errors import Invalid
from accord.exchange import files
from accord.exchange.peers import peer_add
from accord.exchange.sync import SyncReport, sync_peer
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from accord.store.schema import upgrade

# Serve a node's API on 127.0.0.1 until the block ends; the block gets its base URL.
Serve = Callable[[Settings], AbstractContextManager[str]]
OP = Actor.operator("demo")


@dataclass
class Node:
    """One partner's node: its own database and settings."""

    name: str
    partner: str
    db: Database
    settings: Settings
    url: str = ""

    def member(self, username: str, role: Role) -> Actor:
        """A new member of the node's partner."""
        mem = sharing.member_add(self.db, OP, self.partner, username, role.value)
        return Actor(mem.username, mem.partner_id, role, mem.id)


def new_node(folder: Path, name: str, partner: tuple[str, str, str]) -> Node:
    """A fresh, migrated node ``name`` in ``folder`` that knows its own partner."""
    path = folder / f"{name}.sqlite3"
    url = f"sqlite:///{path}"
    # The scenario's nodes talk to each other on loopback, which the outbound rule refuses
    # unless allowed (accord.safeguards.outbound): these nodes allow it, nothing wider.
    node = Node(name, partner[0], Database(url),
                Settings(home=folder / f"{name}-home", database_url=url, node_id=name,
                         outbound_allow=("127.0.0.1/32",)))
    upgrade(node.db)
    sharing.partner_add(node.db, OP, *partner)
    return node


def sync_key(hub: Node, partner: str, username: str) -> str:
    """A sync member of ``partner`` on the hub and its API key (given to that partner)."""
    sharing.member_add(hub.db, OP, partner, username, Role.SYNC.value)
    return sharing.key_create(hub.db, OP, username, "cooperation scenario").secret


def pull(node: Node, hub: Node, channel: str, key_user: str, key: str,
         *, auto_action: bool = False) -> SyncReport:
    """``node`` peers with the hub's channel collection into a new bank and syncs it."""
    banks.bank_add(node.db, OP, f"from-{hub.name}", node.partner, default_tlp="AMBER",
                   auto_action=auto_action, description=f"pulled from {hub.name}'s node")
    peer_add(node.db, OP, f"{hub.url}/taxii2/", f"Channel {channel}", bank=f"from-{hub.name}",
             name=hub.name, username=key_user, api_key=key, settings=node.settings)
    return sync_peer(node.db, node.settings, hub.name)


def carry_envelope(hub: Node, bank: str, node: Node, inbox: Path) -> int:
    """Export ``bank`` from the hub as a TAXII envelope file into ``inbox`` and import it
    on the air-gapped ``node``; returns how many signals it imported."""
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / f"{bank}.taxii.json"
    with path.open("w", encoding="utf-8") as out:
        files.export_file(hub.db, OP, bank, out, "taxii-envelope", hub.settings)
    banks.bank_add(node.db, OP, f"from-{hub.name}", node.partner, default_tlp="AMBER",
                   description=f"carried from {hub.name}'s node on removable media")
    with path.open("rb") as source:
        report = files.import_file(node.db, OP, f"from-{hub.name}", source, "taxii-envelope",
                                   node.settings, name=path.name)
    if report.error_count:
        raise Invalid("{name} refused {error_count} object(s) of {path_name}: {reason}",
                      name=node.name, error_count=report.error_count, path_name=path.name,
                      reason=report.errors[0].message)
    return report.imported


def add_listings(node: Node) -> None:
    """The entities the scenario labels hashes with, as the node's analysts list them."""
    entities.entity_add(node.db, OP, entities.EntityInput(
        "demo-brigade", "Demo Brigade", designations=(
            entities.parse_designation("FR-NAT:FR-DEMO-7:2019-05-02"),
            entities.parse_designation("KE-NAT:KE-DEMO-3:2018-02-01:2023-09-30"))))
    entities.entity_add(node.db, OP, entities.EntityInput(
        "qde-990", "Demo Front", designations=(
            entities.parse_designation("UN-SC:QDe.990:2015-03-01"),)))
