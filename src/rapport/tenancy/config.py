"""A tenant's configuration texts, parsed and checked before they are saved.

Each kind is a small YAML document (priority weights keep the one-line form of
`RAPPORT_PRIORITY_WEIGHTS`). Errors name the tenant, the kind and what is wrong, so the API
can answer 422 with something a person can fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import yaml

from rapport.errors import ConfigError, InputError
from rapport.listen.config import ListeningQuery, compile_queries, parse_queries
from rapport.nlp.intent import DEFAULT_TEAMS, validate_team_map
from rapport.records.tenants import CONFIG_KINDS, ConfigKind
from rapport.score.priority import PriorityWeights
from rapport.sla import SlaConfig

_HANDLE = re.compile(r"^@?[A-Za-z0-9_.-]{1,64}$")
MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class TenantConfig:
    """One tenant's configuration in force; None where the tenant saved none of that kind."""

    queries: tuple[ListeningQuery, ...] | None = None
    sla: SlaConfig | None = None
    teams: dict[str, str] | None = None
    weights: PriorityWeights | None = None
    handles: frozenset[str] | None = None


def check_kind(kind: str) -> ConfigKind:
    for known in CONFIG_KINDS:
        if kind == known:
            return known
    raise InputError(f"unknown configuration {kind!r}; use one of {', '.join(CONFIG_KINDS)}")


def parse(tenant: str, kind: ConfigKind, body: str) -> Any:
    """The parsed value of one configuration text, or InputError naming what is wrong."""
    where = f"tenant {tenant}, {kind}"
    if len(body) > MAX_BODY:
        raise InputError(f"{len(body)} characters is more than {MAX_BODY}", where)
    try:
        if kind == "weights":
            return PriorityWeights.parse(body)
        data = yaml.safe_load(body) if body.strip() else None
        if kind == "queries":
            return _queries(tenant, data, where)
        if kind == "sla":
            return SlaConfig.parse(data or {}, source=where)
        if kind == "teams":
            return _teams(data, where)
        return _handles(data, where)
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", where) from None
    except ConfigError as error:
        message = str(error)
        raise InputError(message if message.startswith(where) else f"{where}: {message}") from None


def with_value(config: TenantConfig, kind: ConfigKind, value: Any) -> TenantConfig:
    return replace(config, **{kind: value})


def _queries(tenant: str, data: Any, where: str) -> tuple[ListeningQuery, ...]:
    if isinstance(data, dict) and isinstance(data.get("queries"), list):
        for item in data["queries"]:
            if isinstance(item, dict):
                found = item.setdefault("tenant", tenant)
                if found != tenant:
                    raise InputError(f"query {item.get('id')!r} names tenant {found!r}", where)
    queries = parse_queries(data, source=where)
    compile_queries(queries, source=where)
    return tuple(queries)


def _teams(data: Any, where: str) -> dict[str, str]:
    teams = data.get("teams") if isinstance(data, dict) else None
    if not isinstance(teams, dict):
        raise InputError("expected a mapping `teams: {intent: team}`", where)
    return validate_team_map(DEFAULT_TEAMS | teams, source=where)


def _handles(data: Any, where: str) -> frozenset[str]:
    handles = data.get("handles") if isinstance(data, dict) else data
    if not isinstance(handles, list):
        raise InputError("expected a list `handles: [brand, brand_help]`", where)
    found: set[str] = set()
    for index, handle in enumerate(handles):
        if not isinstance(handle, str) or not _HANDLE.match(handle):
            raise InputError(f"handle {index + 1} ({handle!r}) is not a handle", where)
        found.add(handle.lstrip("@").lower())
    return frozenset(found)
