"""A tenant's own reply templates, one per (name, language); see `care/reply_templates.py`
for the built-ins they take the place of."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.templates import SavedTemplate
from rapport.store import schema
from rapport.store.rows import as_utc


def _template(row: Any) -> SavedTemplate:
    # updated_at is NOT NULL, so as_utc never answers None here.
    return SavedTemplate(row.name, row.lang, row.text, cast(datetime, as_utc(row.updated_at)))


def list_templates(
    conn: sa.Connection, tenant: str, *, name: str | None = None, lang: str | None = None
) -> list[SavedTemplate]:
    """The tenant's templates by name and language, filtered."""
    table = schema.reply_templates
    query = sa.select(table).where(table.c.tenant == tenant).order_by(table.c.name, table.c.lang)
    if name is not None:
        query = query.where(table.c.name == name)
    if lang is not None:
        query = query.where(table.c.lang == lang)
    return [_template(row) for row in conn.execute(query)]


def get_template(conn: sa.Connection, tenant: str, name: str, lang: str) -> SavedTemplate | None:
    table = schema.reply_templates
    row = conn.execute(
        sa.select(table).where(table.c.tenant == tenant, table.c.name == name, table.c.lang == lang)
    ).first()
    return _template(row) if row is not None else None


def save_template(
    conn: sa.Connection,
    tenant: str,
    name: str,
    lang: str,
    text: str,
    *,
    now: datetime | None = None,
) -> tuple[SavedTemplate | None, SavedTemplate]:
    """Create or replace the tenant's template; returns (before, after)."""
    table = schema.reply_templates
    before = get_template(conn, tenant, name, lang)
    moment = now or datetime.now(UTC)
    if before is None:
        conn.execute(
            sa.insert(table),
            {"tenant": tenant, "name": name, "lang": lang, "text": text, "updated_at": moment},
        )
    else:
        conn.execute(
            sa.update(table)
            .where(table.c.tenant == tenant, table.c.name == name, table.c.lang == lang)
            .values(text=text, updated_at=moment)
        )
    after = get_template(conn, tenant, name, lang)
    if after is None:  # pragma: no cover - written just above, in this transaction
        raise NotFound(f"template {name!r} in {lang!r} vanished while saving")
    return before, after


def delete_template(conn: sa.Connection, tenant: str, name: str, lang: str) -> SavedTemplate:
    """Delete the tenant's template and return it; NotFound when the tenant has none."""
    table = schema.reply_templates
    before = get_template(conn, tenant, name, lang)
    if before is None:
        raise NotFound(f"no template {name!r} in {lang!r} of your own to delete")
    conn.execute(
        sa.delete(table).where(table.c.tenant == tenant, table.c.name == name, table.c.lang == lang)
    )
    return before
