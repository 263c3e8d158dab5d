"""Listening queries per tenant, from a YAML file, checked and compiled when loaded.

    queries:
      - id: outage
        tenant: novacard
        query: '#novacarddown OR ((app OR card) NEAR/3 (down OR "not working"))'
      - id: fraud
        tenant: novacard
        query: fraud OR scam OR "not me" -spam

A post's matches travel with it as "tenant/id"; volume spikes are counted per query.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from rapport.errors import ConfigError
from rapport.listen.matcher import QuerySet
from rapport.listen.query import QueryError

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class ListeningQuery(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    query: str
    tenant: str = "default"

    @property
    def key(self) -> str:
        return f"{self.tenant}/{self.id}"


class _QueryFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    queries: list[ListeningQuery]


def compile_queries(queries: list[ListeningQuery], *, source: str = "queries") -> QuerySet:
    seen: set[str] = set()
    for index, item in enumerate(queries):
        where = f"{source}: query {index + 1}"
        for field_name, value in (("id", item.id), ("tenant", item.tenant)):
            if not _NAME.match(value):
                raise ConfigError(
                    f"{where}: {field_name} {value!r} must be lower-case letters, digits, "
                    "'_', '-' or '.', at most 64 characters"
                )
        if item.key in seen:
            raise ConfigError(f"{where}: {item.key!r} is defined twice; give each its own id")
        seen.add(item.key)
    try:
        return QuerySet({item.key: item.query for item in queries})
    except QueryError as error:
        raise ConfigError(f"{source}: {error}") from None


def parse_queries(data: Any, *, source: str = "queries") -> list[ListeningQuery]:
    try:
        return msgspec.convert(data, _QueryFile).queries
    except msgspec.ValidationError as error:
        raise ConfigError(f"{source}: {error}") from None


def load_queries(path: Path) -> list[ListeningQuery]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"cannot read the listening queries file {path}: {error}") from error
    return parse_queries(data, source=str(path))
