"""SQLite's full-text index and its index of posts by author leave the database for a file
of their own.

Kept in the posts' own transaction, tokenising a post for FTS5 and filing it under its
author cost the one writer about a third of its time per post. Both now live beside the
database (`rapport.db.lookups`), kept by a thread of their own
(`backends/sqlite_lookups.py`), which builds the file from the posts table when it first
runs. PostgreSQL keeps its generated tsvector column and its author index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS posts_fts_delete")
        op.execute("DROP TRIGGER IF EXISTS posts_fts_update")
        op.execute("DROP TABLE IF EXISTS posts_fts")
        op.drop_index("ix_posts_author", table_name="posts")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_posts_author", "posts", ["network", "author_source_id", "created_at"])
        op.execute(
            "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
        op.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('automerge', 8)")
        op.execute(
            "CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN "
            "INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN "
            "INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text); "
            "INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text); END"
        )
