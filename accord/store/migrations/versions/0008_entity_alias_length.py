"""Entity aliases up to 600 characters: the UN list's longest alias is 324.

QDe.137's alias "Hay'at Tahrir al-Sham (HTS) (... (original script); ...)"
is one alias element of the published list; at 300 characters it was cut.

Revision ID: 0008_entity_alias_length
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_entity_alias_length"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(300), type_=sa.String(600),
                              existing_nullable=False)


def downgrade() -> None:
    # Fails on PostgreSQL while an alias is longer than 300 characters: shorten it first.
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(600), type_=sa.String(300),
                              existing_nullable=False)
