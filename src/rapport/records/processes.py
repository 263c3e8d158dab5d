"""The running Rapport processes, and whether the configuration saved is in force in all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Process:
    """One running process as it last reported itself.

    `role` is `web`, `worker:<stage group>` or `ingest`. `generation` is the configuration
    generation (`store.tenants.generation`) it has applied, None until its first reload.
    """

    id: str
    role: str
    host: str
    pid: int
    started_at: datetime
    seen_at: datetime
    generation: int | None


@dataclass(frozen=True, slots=True)
class ConfigStatus:
    """Whether generation `wanted` is in force in every process seen lately."""

    generation: int
    wanted: int
    in_force_everywhere: bool
    processes: tuple[Process, ...]
