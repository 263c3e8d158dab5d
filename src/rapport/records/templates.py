"""Reply templates: a tenant's own, and as an agent sees them (built in or the tenant's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SavedTemplate:
    """A tenant's own template for a (name, language)."""

    name: str
    lang: str
    text: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Template:
    """A template as the agent sees it: `source` is "built_in" or "tenant"."""

    name: str
    lang: str
    text: str
    source: str
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TemplatePage:
    items: tuple[Template, ...]
    next_offset: int | None


@dataclass(frozen=True, slots=True)
class DeletedTemplate:
    """The tenant's template that was deleted, and the built-in text that applies again."""

    deleted: SavedTemplate
    built_in: str | None


@dataclass(frozen=True, slots=True)
class FilledTemplate:
    """A template in the case's language with its variables filled in for the case."""

    name: str
    lang: str
    source: str
    text: str
