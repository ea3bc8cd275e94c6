"""Cooperation: designation-source policy, liaison, requests between partners, programmes.

Adds ``designation_sources`` (a partner's own national list) and
``auto_action_sources`` (what a partner's auto-action policy accepts), the
liaison tables (``dialogues``, ``dialogue_partners``, ``agenda_items``,
``action_items``), requests (``coop_requests``, ``request_refs``) and
capacity-building programmes (``programmes``, ``programme_donors``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.models import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auto_action_sources",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_auto_action_sources_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("partner_id", "source", name=op.f("pk_auto_action_sources")),
    )
    op.create_table(
        "designation_sources",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_designation_sources_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_designation_sources")),
    )
    with op.batch_alter_table("designation_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_designation_sources_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "coop_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_partner_id", sa.Integer(), nullable=False),
        sa.Column("to_partner_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_coop_requests_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["from_partner_id"],
            ["partners.id"],
            name=op.f("fk_coop_requests_from_partner_id_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["to_partner_id"], ["partners.id"], name=op.f("fk_coop_requests_to_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_requests")),
    )
    with op.batch_alter_table("coop_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coop_requests_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coop_requests_from_partner_id"), ["from_partner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coop_requests_to_partner_id"), ["to_partner_id"], unique=False
        )

    op.create_table(
        "dialogues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_dialogues_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["owner_partner_id"],
            ["partners.id"],
            name=op.f("fk_dialogues_owner_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogues")),
    )
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogues_owner_partner_id"), ["owner_partner_id"], unique=False
        )

    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=False),
        sa.Column("beneficiary_partner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("area", sa.String(length=30), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("assessed_by", sa.String(length=100), nullable=True),
        sa.Column("assessed_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_partner_id"],
            ["partners.id"],
            name=op.f("fk_programmes_beneficiary_partner_id_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_programmes_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["owner_partner_id"],
            ["partners.id"],
            name=op.f("fk_programmes_owner_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programmes_beneficiary_partner_id"),
            ["beneficiary_partner_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_programmes_owner_partner_id"), ["owner_partner_id"], unique=False
        )

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"], ["dialogues.id"], name=op.f("fk_action_items_dialogue_id_dialogues")
        ),
        sa.ForeignKeyConstraint(
            ["owner_partner_id"],
            ["partners.id"],
            name=op.f("fk_action_items_owner_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_items_dialogue_id"), ["dialogue_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_items_owner_partner_id"), ["owner_partner_id"], unique=False
        )

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=True),
        sa.Column("object_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["dialogue_id"], ["dialogues.id"], name=op.f("fk_agenda_items_dialogue_id_dialogues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_dialogue_id"), ["dialogue_id"], unique=False
        )

    op.create_table(
        "dialogue_partners",
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_dialogue_partners_dialogue_id_dialogues"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_dialogue_partners_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("dialogue_id", "partner_id", name=op.f("pk_dialogue_partners")),
    )
    with op.batch_alter_table("dialogue_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_partners_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "programme_donors",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_programme_donors_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_donors_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "partner_id", name=op.f("pk_programme_donors")),
    )
    op.create_table(
        "request_refs",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_key", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["coop_requests.id"],
            name=op.f("fk_request_refs_request_id_coop_requests"),
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "object_type", "object_key", name=op.f("pk_request_refs")
        ),
    )


def downgrade() -> None:
    op.drop_table("request_refs")
    op.drop_table("programme_donors")
    with op.batch_alter_table("dialogue_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_partners_partner_id"))

    op.drop_table("dialogue_partners")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_dialogue_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_owner_partner_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_dialogue_id"))

    op.drop_table("action_items")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programmes_owner_partner_id"))
        batch_op.drop_index(batch_op.f("ix_programmes_beneficiary_partner_id"))

    op.drop_table("programmes")
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogues_owner_partner_id"))

    op.drop_table("dialogues")
    with op.batch_alter_table("coop_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coop_requests_to_partner_id"))
        batch_op.drop_index(batch_op.f("ix_coop_requests_from_partner_id"))
        batch_op.drop_index(batch_op.f("ix_coop_requests_created_at"))

    op.drop_table("coop_requests")
    with op.batch_alter_table("designation_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_designation_sources_partner_id"))

    op.drop_table("designation_sources")
    op.drop_table("auto_action_sources")
