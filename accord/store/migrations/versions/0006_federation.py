"""Federation: the signals' change sequence, peer settings, TAXII status resources.

``signals.sync_seq`` is the cursor TAXII pages by. Triggers give every
inserted or updated signal row the next number, so no code path (bulk
import, retraction, quarantine, anything added later) can forget it:

- SQLite: write transactions hold the database lock (``BEGIN IMMEDIATE``),
  so ``max(sync_seq) + 1`` is unique and in commit order. Bulk inserts give
  the numbers themselves (a per-row trigger tripled their cost); the insert
  trigger numbers rows that come without one.
- PostgreSQL: a sequence, taken after locking the audit chain's head row, the
  lock every writer takes anyway before it commits. Numbers are therefore
  handed out in commit order: a reader that has seen number N has seen every
  number below it, and a cursor never skips a row committed late.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    # Bulk import numbers its rows itself (accord.curation.signals._sync_seqs); this
    # numbers any row inserted without a number.
    """CREATE TRIGGER signals_sync_seq_insert AFTER INSERT ON signals FOR EACH ROW
    WHEN NEW.sync_seq IS NULL
    BEGIN
        UPDATE signals SET sync_seq = (SELECT coalesce(max(sync_seq), 0) + 1 FROM signals)
        WHERE id = NEW.id;
    END""",
    # The trigger's own UPDATE changes sync_seq, so the WHEN clause stops it re-firing.
    """CREATE TRIGGER signals_sync_seq_update AFTER UPDATE ON signals FOR EACH ROW
    WHEN NEW.sync_seq IS OLD.sync_seq
    BEGIN
        UPDATE signals SET sync_seq = (SELECT coalesce(max(sync_seq), 0) + 1 FROM signals)
        WHERE id = NEW.id;
    END""",
)
_POSTGRES_TRIGGERS = (
    "CREATE SEQUENCE signals_sync_seq_seq",
    """CREATE FUNCTION accord_signals_lock_head() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION accord_signals_sync_seq() RETURNS trigger AS $$
    BEGIN
        NEW.sync_seq := nextval('signals_sync_seq_seq');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER signals_lock_head BEFORE INSERT OR UPDATE ON signals
    FOR EACH STATEMENT EXECUTE FUNCTION accord_signals_lock_head()""",
    """CREATE TRIGGER signals_sync_seq BEFORE INSERT OR UPDATE ON signals
    FOR EACH ROW EXECUTE FUNCTION accord_signals_sync_seq()""",
)


def upgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sync_seq", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_signals_sync_seq"), ["sync_seq"], unique=False)
    with op.batch_alter_table("peers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channel_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("username", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("api_key", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("pulled", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("pushed", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_peers_bank_id_banks"), "banks",
                                    ["bank_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_peers_channel_id_channels"), "channels",
                                    ["channel_id"], ["id"])
    op.create_table(
        "taxii_statuses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("successes", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"],
                                name=op.f("fk_taxii_statuses_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_statuses")),
    )
    op.create_index(op.f("ix_taxii_statuses_partner_id"), "taxii_statuses", ["partner_id"],
                    unique=False)
    # Number the signals already stored, oldest first, then let the triggers go on.
    op.execute("UPDATE signals SET sync_seq = id")
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRES_TRIGGERS:
            op.execute(statement)
        op.execute("SELECT setval('signals_sync_seq_seq', "
                    "(SELECT coalesce(max(id), 0) + 1 FROM signals), false)")
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER signals_sync_seq ON signals")
        op.execute("DROP TRIGGER signals_lock_head ON signals")
        op.execute("DROP FUNCTION accord_signals_sync_seq()")
        op.execute("DROP FUNCTION accord_signals_lock_head()")
        op.execute("DROP SEQUENCE signals_sync_seq_seq")
    else:
        op.execute("DROP TRIGGER signals_sync_seq_update")
        op.execute("DROP TRIGGER signals_sync_seq_insert")
    op.drop_index(op.f("ix_taxii_statuses_partner_id"), table_name="taxii_statuses")
    op.drop_table("taxii_statuses")
    with op.batch_alter_table("peers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_peers_channel_id_channels"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_peers_bank_id_banks"), type_="foreignkey")
        for column in ("pushed", "pulled", "api_key", "username", "channel_id", "bank_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signals_sync_seq"))
        batch_op.drop_column("sync_seq")
