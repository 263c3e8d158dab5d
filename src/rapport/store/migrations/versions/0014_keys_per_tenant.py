"""Keys per tenant: a post may be in one case of each tenant that listens to it, and each
tenant links customers' handles its own way.

`case_posts` was keyed by the post alone, so a post matching two tenants' listening could
join only one tenant's case; `customer_handles` by the handle alone, so only one tenant could
link a handle. Both keys gain the tenant; existing links take their case's tenant. The
tables are rebuilt (SQLite cannot change a primary key in place).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _create(name: str, *, per_tenant: bool) -> None:
    columns: list[sa.Column[object]] = [
        sa.Column("post_id", _ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
    ]
    if per_tenant:
        columns.insert(0, sa.Column("tenant", sa.String(64), primary_key=True))
    op.create_table(name, *columns)


def upgrade() -> None:
    _create("case_posts_new", per_tenant=True)
    op.execute(
        "INSERT INTO case_posts_new (tenant, post_id, case_id, role) "
        "SELECT cases.tenant, case_posts.post_id, case_posts.case_id, case_posts.role "
        "FROM case_posts JOIN cases ON cases.id = case_posts.case_id"
    )
    op.drop_index("ix_case_posts_case", table_name="case_posts")
    op.drop_table("case_posts")
    op.rename_table("case_posts_new", "case_posts")
    op.create_index("ix_case_posts_case", "case_posts", ["case_id"])
    op.create_index("ix_case_posts_post", "case_posts", ["post_id"])
    _rekey_handles(per_tenant=True)


def _rekey_handles(*, per_tenant: bool) -> None:
    key = (
        ["tenant", "network", "author_source_id"] if per_tenant else ["network", "author_source_id"]
    )
    op.create_table(
        "customer_handles_new",
        sa.Column("tenant", sa.String(64), nullable=False, server_default="default"),
        sa.Column("network", sa.String(32), nullable=False),
        sa.Column("author_source_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*key),
    )
    op.execute(
        "INSERT INTO customer_handles_new (tenant, network, author_source_id, customer_id, "
        "linked_at) SELECT tenant, network, author_source_id, customer_id, linked_at "
        "FROM customer_handles"
    )
    op.drop_index("ix_customer_handles_customer", table_name="customer_handles")
    op.drop_table("customer_handles")
    op.rename_table("customer_handles_new", "customer_handles")
    op.create_index("ix_customer_handles_customer", "customer_handles", ["tenant", "customer_id"])


def downgrade() -> None:
    # Only one tenant's link of a handle survives the older key; drop the others first.
    op.execute(
        "DELETE FROM customer_handles WHERE EXISTS (SELECT 1 FROM customer_handles AS older "
        "WHERE older.network = customer_handles.network AND older.author_source_id = "
        "customer_handles.author_source_id AND older.linked_at < customer_handles.linked_at)"
    )
    _rekey_handles(per_tenant=False)
    _create("case_posts_old", per_tenant=False)
    # Only one tenant's link of a post survives the older key: the oldest case's.
    op.execute(
        "INSERT INTO case_posts_old (post_id, case_id, role) "
        "SELECT post_id, MIN(case_id), MIN(role) FROM case_posts GROUP BY post_id"
    )
    op.drop_index("ix_case_posts_post", table_name="case_posts")
    op.drop_index("ix_case_posts_case", table_name="case_posts")
    op.drop_table("case_posts")
    op.rename_table("case_posts_old", "case_posts")
    op.create_index("ix_case_posts_case", "case_posts", ["case_id"])
