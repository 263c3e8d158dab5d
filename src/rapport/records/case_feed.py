"""Case events as the console relay reads them: which case changed, whose, and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CaseFeedItem:
    """One committed case event with its case's tenant and team."""

    id: int
    case_id: int
    tenant: str
    team: str
    kind: str
    at: datetime
