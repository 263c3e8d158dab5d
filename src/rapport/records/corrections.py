"""Agents' corrections of the models' labels, kept as training labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Correction:
    """An agent's correction of what a model said of a post; `previous` is what was said."""

    id: int
    post_id: int
    tenant: str
    field: str
    label: str
    previous: str | None
    user_id: int | None
    created_at: datetime
