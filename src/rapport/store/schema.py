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
    # An author's posts, newest first: their influence now, their relationship later.
    # SQLite keeps this lookup in a file of its own (`backends/sqlite_lookups.py`).
    sa.Index("ix_posts_author", "network", "author_source_id", "created_at").ddl_if(
        dialect="postgresql"
    ),
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

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")

# A unit of care work: one customer's thread in one team's queue. Due times are kept in
# columns (recomputed from `case_events` whenever one is added) so that a queue is one
# indexed read ordered by priority and the next deadline.
cases = sa.Table(
    "cases",
    metadata,
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
    sa.Index("ix_cases_queue", "team", "status", "priority"),
    sa.Index("ix_cases_thread", "network", "conversation_id", "customer_id"),
    sa.Index("ix_cases_fingerprint", "fingerprint", "status"),
    # The SLA watch reads only the clocks due to change (a warning or a deadline passing).
    sa.Index("ix_cases_sla_next_change", "sla_next_change"),
)

# Which posts a case holds: each post belongs to at most one case, which is what makes
# case building idempotent when a batch is replayed.
case_posts = sa.Table(
    "case_posts",
    metadata,
    # A post is in at most one case of each tenant: the tenants that listen to it each work it.
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("post_id", _ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # message | duplicate | repost
    sa.Index("ix_case_posts_case", "case_id"),
    sa.Index("ix_case_posts_post", "post_id"),
)

# Everything that happened to a case, in order: the SLA clock is computed from these.
case_events = sa.Table(
    "case_events",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(128), nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
    sa.Index("ix_case_events_case", "case_id", "at"),
)

# Spike and virality alerts. One row per (kind, subject, window): a replayed stream finds
# its alerts already raised.
alerts = sa.Table(
    "alerts",
    metadata,
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
    sa.UniqueConstraint("kind", "subject_kind", "subject", "window_start", name="uq_alerts_window"),
    sa.Index("ix_alerts_detected", "detected_at"),
)

# Every version of the workflow rules ever saved; the newest is the one in force.
rule_versions = sa.Table(
    "rule_versions",
    metadata,
    sa.Column("version", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("author", sa.String(128), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Accounts and access ----------------------------------------------------------------------------
# People who work the care desk. Email is unique within a tenant only: one person may work for
# two brands. A null password_hash means the account cannot log in with a password (yet).
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("name", sa.String(128), nullable=False, server_default=""),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("languages", sa.Text, nullable=False, server_default="[]"),
    sa.Column("skills", sa.Text, nullable=False, server_default="[]"),
    sa.Column("capacity", sa.Integer, nullable=False, server_default="5"),
    sa.Column("needs_approval", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("tenant", "email", name="uq_users_tenant_email"),
)

user_teams = sa.Table(
    "user_teams",
    metadata,
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("team", sa.String(64), primary_key=True),
)

# Browser sessions. The id is the sha256 of the secret in the cookie, so a copy of this table
# logs nobody in.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_sessions_user", "user_id"),
)

# Scoped API tokens, stored as the sha256 of the token: it is shown once, when created.
api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("scopes", sa.Text, nullable=False, server_default="[]"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("token_hash", name="uq_api_tokens_hash"),
    sa.Index("ix_api_tokens_user", "user_id"),
)

# Who did what, when, with the record before and after. user_id has no foreign key on purpose:
# the trail must outlive any change to the accounts it names.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_id", _ID),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(256), nullable=False, server_default=""),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
    sa.Column("ip", sa.String(64)),
    sa.Index("ix_audit_log_tenant", "tenant", "id"),
)

# Failed logins, kept in the database so that throttling survives a restart. The key is
# "email:<address>" or "ip:<address>".
login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("key", sa.String(320), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_login_attempts_key", "key", "at"),
)

# Agents' replies: the outbox and its record. The idempotency key is unique, so a button
# clicked twice, or a request retried by the browser, sends one reply.
replies = sa.Table(
    "replies",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("user_id", _ID),
    sa.Column("network", sa.String(32), nullable=False),
    sa.Column("in_reply_to", sa.String(64)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("private", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # sending | sent | failed | unknown
    sa.Column("idempotency_key", sa.String(128), nullable=False),
    sa.Column("message_id", sa.String(64)),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("approved_by", _ID),
    sa.UniqueConstraint("idempotency_key", name="uq_replies_idempotency_key"),
    sa.Index("ix_replies_case", "case_id"),
)

# Agents' corrections of what the models said: labels for retraining.
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("post_id", _ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("field", sa.String(80), nullable=False),  # sentiment | intent | class:NAME
    sa.Column("label", sa.String(64), nullable=False),
    sa.Column("previous", sa.String(64)),
    sa.Column("user_id", _ID),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_corrections_field", "field", "id"),
)

# Internal notes on a case: seen by the team, never sent to the customer.
case_notes = sa.Table(
    "case_notes",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", _ID),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_case_notes_case", "case_id"),
)

# Reply templates per tenant, name and language; `{name}`-style variables are filled in
# when an agent picks one.
reply_templates = sa.Table(
    "reply_templates",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("lang", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant", "name", "lang", name="uq_reply_templates_name_lang"),
)

# One customer across handles and networks: each (network, author id) belongs to at most
# one customer; an author without a row is a customer of their own.
customer_handles = sa.Table(
    "customer_handles",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("network", sa.String(32), primary_key=True),
    sa.Column("author_source_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_customer_handles_customer", "tenant", "customer_id"),
)

# Net Promoter surveys: one per resolved case at most; the answer, when it comes, with the
# case's team, agent, intent, language and channel copied in for the breakdowns.
surveys = sa.Table(
    "surveys",
    metadata,
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
    sa.Index("ix_surveys_customer", "network", "customer_id", "asked_at"),
)

# Customers who asked not to be surveyed again.
survey_opt_outs = sa.Table(
    "survey_opt_outs",
    metadata,
    sa.Column("network", sa.String(32), primary_key=True),
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# What happened to each recommendation on a case: shown to the agent, used by the agent,
# taken up by the customer. Ranking learns from these per tenant (`care/recommend.py`).
recommendation_events = sa.Table(
    "recommendation_events",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("event", sa.String(16), nullable=False),  # shown | used | taken_up
    sa.Column("user_id", _ID),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("case_id", "item_id", "event", name="uq_recommendation_events_once"),
    sa.Index("ix_recommendation_events_item", "tenant", "item_id", "event"),
)

# Tenants ------------------------------------------------------------------------------------------

# Brands, agencies and merchants sharing one install. Their data rows carry the tenant's id;
# posts and authors are the shared public stream and carry none.
tenants = sa.Table(
    "tenants",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, server_default="brand"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Every version of each piece of a tenant's configuration (listening queries, SLA book, team
# map, priority weights, own handles); the newest per (tenant, kind) is in force. The ids grow
# across all of them, so a process knows it is current by the highest id it has applied.
tenant_config = sa.Table(
    "tenant_config",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("author", sa.String(128), nullable=False, server_default=""),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_tenant_config_current", "tenant", "kind", "id"),
)

# Processes ----------------------------------------------------------------------------------------

# Each running Rapport process (web tier, bus worker, ingest) and the configuration generation
# it has applied, refreshed every few seconds: the API says a change is in force everywhere
# only once every process seen lately has applied it. Rows of processes gone for a day are
# swept away.
processes = sa.Table(
    "processes",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("generation", sa.BigInteger),
    sa.Index("ix_processes_seen", "seen_at"),
)

# State every web tier shares --------------------------------------------------------------------

# Who has a case open, and who is typing: one row per (case, user), renewed by the console's
# heartbeat every few seconds. Rows not renewed within the presence window count for nothing and
# are swept away on a schedule, so a closed tab clears itself on every tier.
presence = sa.Table(
    "presence",
    metadata,
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("typing", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_presence_seen", "seen_at"),
)

# The agent each team's round-robin turn passed to last, so that assignment runs on any tier
# take turns as one.
assignment_turns = sa.Table(
    "assignment_turns",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("team", sa.String(64), primary_key=True),
    sa.Column("last_agent_id", _ID, nullable=False),
    sa.Column("turns", sa.BigInteger, nullable=False, server_default="0"),
)
