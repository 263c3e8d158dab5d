"""What the models concluded about each post: sentiment, intent, team, complaint, urgency,
the explainable priority scored from them, and where the workflow rules routed the post.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column(
            "post_id",
            _ID,
            sa.ForeignKey("posts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("sentiment", sa.String(16)),
        sa.Column("sentiment_score", sa.Float),
        sa.Column("intent", sa.String(64)),
        sa.Column("intent_score", sa.Float),
        sa.Column("team", sa.String(64)),
        sa.Column("complaint_score", sa.Float),
        sa.Column("urgency", sa.String(16)),
        sa.Column("urgency_reasons", sa.Text, nullable=False, server_default="[]"),
        sa.Column("classes", sa.Text, nullable=False, server_default="{}"),
        sa.Column("priority", sa.Float),
        sa.Column("priority_factors", sa.Text, nullable=False, server_default="[]"),
        sa.Column("routing", sa.Text, nullable=False, server_default="null"),
    )
    op.create_index("ix_analyses_team_urgency", "analyses", ["team", "urgency"])
    op.create_index("ix_analyses_intent", "analyses", ["intent"])


def downgrade() -> None:
    op.drop_table("analyses")
