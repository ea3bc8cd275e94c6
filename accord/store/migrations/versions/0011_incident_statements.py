"""Public statements on incidents (``incident_statements``).

A partner's own public statement on an incident (condemnation, condolence,
statement of concern, other) or its record that it made none, TLP-marked,
with ``sync_seq``, the statements' own TAXII cursor (given in the recording
transaction after the audit head is locked, so in commit order).

Revision ID: 0011_incident_statements
Revises: 0010_tmk_threshold
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models import UtcDateTime

revision = "0011_incident_statements"
down_revision = "0010_tmk_threshold"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("eventid", sa.String(length=20), nullable=True),
        sa.Column("incident_date", sa.Date(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("speaker_ref", sa.String(length=100), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("spoken_at", UtcDateTime(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=200), nullable=True),
        sa.Column("stix_id", sa.String(length=100), nullable=True),
        sa.Column("contributor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("sync_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_statements_incident_id_incidents")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"],
                                name=op.f("fk_incident_statements_partner_id_partners")),
        sa.ForeignKeyConstraint(["owner_partner_id"], ["partners.id"],
                                name=op.f("fk_incident_statements_owner_partner_id_partners")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_incident_statements_channel_id_channels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_statements")),
        sa.UniqueConstraint("stix_id", name=op.f("uq_incident_statements_stix_id")),
    )
    for column in ("incident_id", "eventid", "partner_id", "sync_seq"):
        op.create_index(op.f(f"ix_incident_statements_{column}"), "incident_statements",
                        [column], unique=False)


def downgrade() -> None:
    for column in ("sync_seq", "partner_id", "eventid", "incident_id"):
        op.drop_index(op.f(f"ix_incident_statements_{column}"),
                      table_name="incident_statements")
    op.drop_table("incident_statements")
