"""Internal notes on cases, reply templates per language, and customers across handles.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", _ID),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id"])
    op.create_table(
        "reply_templates",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant", "name", "lang", name="uq_reply_templates_name_lang"),
    )
    op.create_table(
        "customer_handles",
        sa.Column("network", sa.String(32), primary_key=True),
        sa.Column("author_source_id", sa.String(64), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_handles_customer", "customer_handles", ["tenant", "customer_id"])


def downgrade() -> None:
    op.drop_table("customer_handles")
    op.drop_table("reply_templates")
    op.drop_table("case_notes")
