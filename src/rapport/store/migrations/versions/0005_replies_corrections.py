"""Agents' replies (the outbox, one per idempotency key) and their corrections of the
models' labels (for retraining).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "replies",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("user_id", _ID),
        sa.Column("network", sa.String(32), nullable=False),
        sa.Column("in_reply_to", sa.String(64)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("private", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("message_id", sa.String(64)),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", _ID),
        sa.UniqueConstraint("idempotency_key", name="uq_replies_idempotency_key"),
    )
    op.create_index("ix_replies_case", "replies", ["case_id"])
    op.create_table(
        "corrections",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("post_id", _ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("previous", sa.String(64)),
        sa.Column("user_id", _ID),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_corrections_field", "corrections", ["field", "id"])


def downgrade() -> None:
    op.drop_table("corrections")
    op.drop_table("replies")
