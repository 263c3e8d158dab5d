"""The web tier: the JSON API under /api/v1 and the pages on top of it."""
