"""Storage: one schema on SQLite (embedded default) and PostgreSQL (production)."""

from rapport.store.database import Database

__all__ = ["Database"]
