"""The audit log: who did what, when, from where, with the record before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    tenant: str
    at: datetime
    user_id: int | None
    action: str
    subject: str
    before: Any  # JSON values, as recorded
    after: Any
    ip: str | None
