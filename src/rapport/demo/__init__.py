"""A realistic, deterministic demo stream of social posts about a card issuer."""
