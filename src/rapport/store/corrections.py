"""Agents' corrections of the models' labels: stored beside the post, exported for training.

The newest correction of a post's field wins when exporting, so an agent can correct a
correction. The export is the `text,label` CSV that `rapport train classifier` reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import orjson
import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.corrections import Correction
from rapport.store import schema


def previous_label(conn: sa.Connection, post_id: int, field: str) -> str | None:
    """What the models (or the last correction) said of this field."""
    corrections, analyses = schema.corrections, schema.analyses
    last = conn.execute(
        sa.select(corrections.c.label)
        .where(corrections.c.post_id == post_id, corrections.c.field == field)
        .order_by(corrections.c.id.desc())
        .limit(1)
    ).scalar()
    if last is not None:
        return str(last)
    row = conn.execute(sa.select(analyses).where(analyses.c.post_id == post_id)).first()
    if row is None:
        return None
    if field in ("sentiment", "intent"):
        value = row._mapping[field]
        return str(value) if value is not None else None
    found = orjson.loads(row.classes).get(field.removeprefix("class:"))
    return str(found["label"]) if found else None


def add_correction(
    conn: sa.Connection,
    post_id: int,
    field: str,
    label: str,
    *,
    user_id: int | None,
    tenant: str,
    at: datetime,
) -> Correction:
    posts, corrections = schema.posts, schema.corrections
    if conn.execute(sa.select(posts.c.id).where(posts.c.id == post_id)).first() is None:
        raise NotFound(f"no post with id {post_id}")
    found = Correction(
        id=0, post_id=post_id, tenant=tenant, field=field, label=label,
        previous=previous_label(conn, post_id, field), user_id=user_id, created_at=at,
    )  # fmt: skip
    values = {name: getattr(found, name) for name in found.__dataclass_fields__ if name != "id"}
    new_id = conn.execute(sa.insert(corrections).returning(corrections.c.id), values).scalar_one()
    return replace(found, id=int(new_id))


def export_labels(engine: sa.Engine, field: str) -> Iterator[tuple[str, str]]:
    """(post text, corrected label) for every post whose `field` was corrected: the newest
    correction of each post."""
    posts, corrections = schema.posts, schema.corrections
    newest = (
        sa.select(sa.func.max(corrections.c.id))
        .where(corrections.c.field == field)
        .group_by(corrections.c.post_id)
    )
    query = (
        sa.select(posts.c.text, corrections.c.label)
        .select_from(corrections.join(posts, posts.c.id == corrections.c.post_id))
        .where(corrections.c.id.in_(newest))
        .order_by(corrections.c.id)
    )
    with engine.connect() as conn:
        for text, label in conn.execute(query):
            yield str(text), str(label)
