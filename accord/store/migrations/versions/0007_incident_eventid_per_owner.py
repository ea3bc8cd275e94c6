"""Incident eventids are unique per owning partner, not across the node.

One partner's incident (say a RED one) must not make another partner's import
of the same GTD/ACLED row a "duplicate", nor let a partner probe for eventids
it may not see.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_incidents_eventid"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_incidents_owner_partner_id_eventid"), ["owner_partner_id", "eventid"])


def downgrade() -> None:
    # Fails if two partners now hold the same eventid: remove one first.
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_incidents_owner_partner_id_eventid"),
                                 type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_incidents_eventid"), ["eventid"])
