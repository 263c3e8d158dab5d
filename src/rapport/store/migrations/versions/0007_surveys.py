"""Net Promoter surveys (one per resolved case at most) and customers' opt-outs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("network", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("agent_id", _ID),
        sa.Column("intent", sa.String(64)),
        sa.Column("lang", sa.String(16)),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question_message_id", sa.String(64)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("score", sa.Integer),
        sa.Column("answer_post_id", _ID),
        sa.Column("follow_up_case_id", _ID),
        sa.UniqueConstraint("case_id", name="uq_surveys_case"),
    )
    op.create_index("ix_surveys_customer", "surveys", ["network", "customer_id", "asked_at"])
    op.create_table(
        "survey_opt_outs",
        sa.Column("network", sa.String(32), primary_key=True),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("survey_opt_outs")
    op.drop_table("surveys")
