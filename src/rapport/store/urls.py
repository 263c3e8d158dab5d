"""What a database URL names, for code above the store that must not parse it itself."""

from __future__ import annotations

import sqlalchemy as sa


def backend_name(url: str) -> str:
    """ "sqlite" or "postgresql" (whatever the driver), as the URL says, without connecting."""
    return sa.engine.make_url(url).get_backend_name()
