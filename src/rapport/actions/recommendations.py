"""What agents and customers did with a case's recommendations: shown, used, taken up."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rapport.actions.base import Actor, Change, Context, apply
from rapport.errors import NotFound
from rapport.records.recommendations import Marked
from rapport.store import recommendations as store


def show_items(context: Context, case_id: int, item_ids: Sequence[str], *, actor: Actor) -> None:
    """Mark the items shown on the case, once each. Not audit-logged: showing is a read,
    recorded only so that ranking can learn what was offered."""
    if not item_ids:
        return
    apply(context, actor, lambda change: store.record_shown(
        change.conn, actor.tenant, case_id, item_ids, user_id=actor.user_id, now=change.now
    ))  # fmt: skip


def mark_item(
    context: Context,
    catalogue: Collection[str],
    case_id: int,
    item_id: str,
    event: str,
    *,
    actor: Actor,
) -> Marked:
    """Record that the item was used or taken up on the case (once per case and item);
    NotFound for another tenant's case or an item the `catalogue` (its ids) lacks."""

    def job(change: Change) -> Marked:
        store.ensure_case(change.conn, case_id, actor.tenant)
        if item_id not in catalogue:
            raise NotFound(
                f"no catalogue item {item_id!r}; GET /api/v1/recommendations/catalogue lists them"
            )
        new = store.record(change.conn, actor.tenant, case_id, item_id, event,
                           user_id=actor.user_id, now=change.now)  # fmt: skip
        if new:
            change.audit(f"recommendation.{event}", f"case:{case_id}", None, {"item_id": item_id})
        return Marked(case_id, item_id, event, new)

    return apply(context, actor, job)
