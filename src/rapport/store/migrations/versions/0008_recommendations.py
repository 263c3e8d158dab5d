"""Recommendation events: an item shown, used or taken up on a case, once each.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "recommendation_events",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("user_id", _ID),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "item_id", "event", name="uq_recommendation_events_once"),
    )
    op.create_index(
        "ix_recommendation_events_item", "recommendation_events", ["tenant", "item_id", "event"]
    )


def downgrade() -> None:
    op.drop_table("recommendation_events")
