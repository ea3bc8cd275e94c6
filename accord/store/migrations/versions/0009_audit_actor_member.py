"""Audit events name the member behind them by id, so a partner's audit view selects
its staff by identity rather than by a name that someone else could hold.

Existing events are matched to members by username, except the names the node itself
acts under (``operator``, ``demo`` ...): those stay unattributed, so a member who once
took such a name never sees the operator's events as its own.

Revision ID: 0009_audit_actor_member
Revises: 0008_entity_alias_length
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_actor_member"
down_revision = "0008_entity_alias_length"
branch_labels = None
depends_on = None

RESERVED = ("operator", "demo", "system", "accord", "node", "root", "admin")


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_member_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_events_actor_member_id", ["actor_member_id"])
    reserved = ", ".join(f"'{name}'" for name in RESERVED)
    op.execute(
        "UPDATE audit_events SET actor_member_id = (SELECT members.id FROM members "
        "WHERE members.username = audit_events.actor) "
        f"WHERE audit_events.actor NOT IN ({reserved})")


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_actor_member_id")
        batch_op.drop_column("actor_member_id")
