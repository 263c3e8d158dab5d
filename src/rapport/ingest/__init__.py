"""Ingest: readers turn bytes from files and requests into posts, or into quarantined rejects."""
