"""The tables, declared once with SQLAlchemy Core; Alembic migrations create them.

Posts reference their author by natural key (network, author_source_id) so that ingest
never needs a round trip to learn an id. List-valued fields are JSON text. Indexes follow
queries: each one costs every ingested post, so one is added with the query that needs it.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

authors = sa.Table(
    "authors",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("network", sa.String(32), nullable=False),
    sa.Column("source_id", sa.String(64), nullable=False),
    sa.Column("handle", sa.String(128), nullable=False),
    sa.Column("display_name", sa.Text, nullable=False, server_default=""),
    sa.Column("followers", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("following", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("verified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("post_count", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("network", "source_id", name="uq_authors_network_source_id"),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("network", sa.String(32), nullable=False),
    sa.Column("source_id", sa.String(64), nullable=False),
    sa.Column("author_source_id", sa.String(64), nullable=False),
    sa.Column("author_handle", sa.String(128), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("reply_to_id", sa.String(64)),
    sa.Column("quote_of_id", sa.String(64)),
    sa.Column("repost_of_id", sa.String(64)),
    sa.Column("lang", sa.String(16)),
    sa.Column("links", sa.Text, nullable=False, server_default="[]"),
    sa.Column("domains", sa.Text, nullable=False, server_default="[]"),
    sa.Column("hashtags", sa.Text, nullable=False, server_default="[]"),
    sa.Column("mentions", sa.Text, nullable=False, server_default="[]"),
    sa.Column("cashtags", sa.Text, nullable=False, server_default="[]"),
    sa.Column("has_media", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("media_types", sa.Text, nullable=False, server_default="[]"),
    sa.Column("likes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("reposts", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("replies", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("quotes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("views", sa.BigInteger),
    sa.UniqueConstraint("network", "source_id", name="uq_posts_network_source_id"),
    sa.Index("ix_posts_conversation", "network", "conversation_id"),
)

# What the models concluded about each stored post, one row per post, written in the same
# transaction as the post. Kept beside `posts` so ingest without models writes nothing here.
analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column(
        "post_id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
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
    sa.Index("ix_analyses_team_urgency", "team", "urgency"),
    sa.Index("ix_analyses_intent", "intent"),
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("location", sa.String(64), nullable=False),
    sa.Column("format", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("raw", sa.LargeBinary, nullable=False),
    sa.Column("raw_sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="open"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("source", "location", "raw_sha256", name="uq_quarantine_origin"),
    sa.Index("ix_quarantine_status", "status"),
)
