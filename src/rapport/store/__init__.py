"""Storage: one schema on SQLite (embedded default) and PostgreSQL (production)."""

from rapport.store.database import Database, IngestCounts

__all__ = ["Database", "IngestCounts"]
