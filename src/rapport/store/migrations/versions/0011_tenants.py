"""Tenants as records, with versioned configuration of their own.

Until now a tenant was only a string on the rows that belong to one. Existing installs get
one tenant, `default`, so nothing changes for them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    tenants = op.create_table(
        "tenants",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, server_default="brand"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tenant_config",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author", sa.String(128), nullable=False, server_default=""),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tenant_config_current", "tenant_config", ["tenant", "kind", "id"])
    op.bulk_insert(
        tenants,
        [{"id": "default", "name": "Default", "kind": "brand", "active": True,
          "created_at": datetime.now(UTC)}],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("tenant_config")
    op.drop_table("tenants")
