"""Storing an agent's correction of a model's label, as a label to train on."""

from __future__ import annotations

from rapport.actions.base import Actor, Change, Context, apply
from rapport.care.corrections import check_label
from rapport.records.corrections import Correction
from rapport.store.corrections import add_correction


def correct_label(
    context: Context, post_id: int, field: str, label: str, *, actor: Actor
) -> Correction:
    """Store the correction of `field` of the post; NotFound when there is no such post."""
    check_label(field, label)

    def job(change: Change) -> Correction:
        found = add_correction(
            change.conn, post_id, field, label,
            user_id=actor.user_id, tenant=actor.tenant, at=change.now,
        )  # fmt: skip
        change.audit("post.correct", f"post:{post_id}", {field: found.previous}, {field: label})
        return found

    return apply(context, actor, job)
