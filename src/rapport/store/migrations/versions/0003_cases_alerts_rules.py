"""Cases (one customer's thread in a team queue), their posts and events, spike alerts,
the versions of the workflow rules, and an index of posts by author.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_index("ix_posts_author", "posts", ["network", "author_source_id", "created_at"])
    op.create_table(
        "cases",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("network", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("customer_handle", sa.String(128), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("priority", sa.Float, nullable=False, server_default="0"),
        sa.Column("reasons", sa.Text, nullable=False, server_default="[]"),
        sa.Column("tags", sa.Text, nullable=False, server_default="[]"),
        sa.Column("skills", sa.Text, nullable=False, server_default="[]"),
        sa.Column("lang", sa.String(16)),
        sa.Column("intent", sa.String(64)),
        sa.Column("fingerprint", sa.String(32)),
        sa.Column("root_post_id", _ID, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("latest_post_id", _ID, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("post_count", sa.Integer, nullable=False, server_default="1"),
        sa.Column("duplicate_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("sla_policy", sa.String(64), nullable=False, server_default=""),
        sa.Column("sla_state", sa.String(16), nullable=False, server_default="ok"),
        sa.Column("next_due", sa.DateTime(timezone=True)),
        sa.Column("sla_next_change", sa.DateTime(timezone=True)),
        sa.Column("escalated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("assignee_id", _ID),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("snoozed_until", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_cases_queue", "cases", ["team", "status", "priority"])
    op.create_index("ix_cases_thread", "cases", ["network", "conversation_id", "customer_id"])
    op.create_index("ix_cases_fingerprint", "cases", ["fingerprint", "status"])
    op.create_index("ix_cases_sla_next_change", "cases", ["sla_next_change"])
    op.create_table(
        "case_posts",
        sa.Column("post_id", _ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),  # message | duplicate | repost
    )
    op.create_index("ix_case_posts_case", "case_posts", ["case_id"])
    op.create_table(
        "case_events",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_case_events_case", "case_events", ["case_id", "at"])
    op.create_table(
        "alerts",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject_kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(256), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("expected", sa.Float, nullable=False),
        sa.Column("z", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False, server_default="none"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint(
            "kind", "subject_kind", "subject", "window_start", name="uq_alerts_window"
        ),
    )
    op.create_index("ix_alerts_detected", "alerts", ["detected_at"])
    op.create_table(
        "rule_versions",
        sa.Column("version", _ID, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author", sa.String(128), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_index("ix_posts_author", "posts")
    op.drop_table("rule_versions")
    op.drop_table("alerts")
    op.drop_table("case_events")
    op.drop_table("case_posts")
    op.drop_table("cases")
