"""Database backends: the dialect-specific half of writing and searching posts."""
