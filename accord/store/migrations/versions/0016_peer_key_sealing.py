"""TAXII peers' API keys sealed at rest (``accord.store.sealed``).

Every ``peers.api_key`` still in plain text is sealed with the node's secrets key
(``ACCORD_SECRETS_KEY``/``ACCORD_SECRETS_KEY_FILE``, default HOME/secrets.key, made
with mode 0600 when the first key is sealed). A sealed key of up to 300 bytes fits
the column's 500 characters; a longer one stops the upgrade with the peer named.
Downgrade opens them again (it needs the key).

Revision ID: 0016_peer_key_sealing
Revises: 0016_exchange_writeback
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from accord.config import Settings
from accord.errors import Invalid
from accord.store import sealed

revision = "0016_peer_key_sealing"
# Chained after this branch's 0016_exchange_writeback so the branch has one head; the lead
# re-chains migrations linearly at merge.
down_revision = "0016_exchange_writeback"
branch_labels = None
depends_on = None

_WIDTH = 500  # peers.api_key is VARCHAR(500)
_PEERS = sa.table("peers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                  sa.column("api_key", sa.Text))


def _settings() -> Settings:
    """The node's settings as ``accord init`` passes them (else from the environment)."""
    given = context.config.attributes.get("settings")
    return given if isinstance(given, Settings) else Settings()


def _rewrite(change: bool) -> None:
    """Seal (``change``) or open every stored key."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(_PEERS.c.id, _PEERS.c.name, _PEERS.c.api_key)
                        .where(_PEERS.c.api_key.is_not(None))).all()
    settings = _settings() if rows else None
    for peer_id, name, stored in rows:
        if settings is None or change == sealed.is_sealed(stored):
            continue
        value = sealed.seal(settings, stored) if change else sealed.open_secret(
            settings, stored, f"peer {name}'s API key")
        if len(value) > _WIDTH:
            raise Invalid("peer {peer}'s API key is too long to seal ({length} "
                          "characters; {width} fit sealed): shorten it, then upgrade",
                          peer=name, length=len(stored), width=_WIDTH)
        conn.execute(sa.update(_PEERS).where(_PEERS.c.id == peer_id).values(api_key=value))


def upgrade() -> None:
    _rewrite(True)


def downgrade() -> None:
    _rewrite(False)
