"""Which stages a worker runs, which topic it reads and which it writes.

    raw ──▶ enrich (normalise, enrich) ──▶ enriched ──▶ route (listen, volume, score,
    route) ──▶ routed ──▶ persist (store, case desk) ──▶ PostgreSQL

`all` runs every stage in one worker, from raw to the database: the simplest cluster.
The groups cut the pipeline where a batch is cheapest to ship: after enrichment, the
costly part that scales with CPUs, and before persistence, the part that scales with the
database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from rapport.bus.base import ENRICHED, RAW, ROUTED
from rapport.errors import ConfigError
from rapport.pipeline.stage import Stage


@dataclass(frozen=True)
class GroupSpec:
    name: str
    consumes: str
    produces: str | None
    stage_names: frozenset[str] | None  # None: every stage


GROUPS: Final = {
    "enrich": GroupSpec("enrich", RAW, ENRICHED, frozenset({"normalise", "enrich"})),
    "route": GroupSpec(
        "route", ENRICHED, ROUTED, frozenset({"listen", "volume", "score", "route"})
    ),
    "persist": GroupSpec("persist", ROUTED, None, frozenset({"persist"})),
    "all": GroupSpec("all", RAW, None, None),
}
SPLIT: Final = ("enrich", "route", "persist")


@dataclass(frozen=True)
class StageGroup:
    spec: GroupSpec
    stages: tuple[Stage, ...]

    @property
    def name(self) -> str:
        return self.spec.name


def group_of(stage: Stage) -> GroupSpec:
    """The group of the split layout that runs `stage`; an error naming it when none does."""
    for name in SPLIT:
        spec = GROUPS[name]
        if spec.stage_names is not None and stage.name in spec.stage_names:
            return spec
    raise ConfigError(
        f"stage {stage.name!r} ({type(stage).__name__}) belongs to no bus worker group; "
        "add it to one in rapport/bus/groups.py, or no bus worker would run it"
    )


def place(stages: Sequence[Stage]) -> list[GroupSpec]:
    """The group of each stage, in order; an error naming the first stage that has none."""
    return [group_of(stage) for stage in stages]


def group(name: str, pipeline: Sequence[Stage]) -> StageGroup:
    """The stages of `pipeline` that worker group `name` runs, in pipeline order.

    Every stage of `pipeline` must belong to a group, or the split layout would skip it.
    """
    spec = GROUPS.get(name)
    if spec is None:
        raise ConfigError(f"no worker stage {name!r}; use one of {', '.join(GROUPS)}")
    place(pipeline)
    chosen = tuple(s for s in pipeline if spec.stage_names is None or s.name in spec.stage_names)
    # With enrichment off there is nothing to route: the group passes batches on unchanged,
    # so the same cluster layout works either way.
    return StageGroup(spec, chosen)
