"""Storage: one schema on SQLite (embedded default) and PostgreSQL (production).

The only package that speaks SQL. Everything above it holds a `Connection` only to hand it
back to the store's repositories: the open transaction of one change.
"""

from sqlalchemy import Connection

from rapport.store.database import Database

__all__ = ["Connection", "Database"]
