"""Sending, approving and rejecting agents' replies.

A reply crosses a network, so sending is three steps, not one transaction: the outbox row
is committed first (so a crash mid-send leaves a trace, and the idempotency key holds), the
channel sends with no transaction open (a network call must never hold the one writer),
and a second transaction records the outcome with its audit entry and the case's events.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from rapport.actions.base import Actor, Change, Context, apply
from rapport.actions.cases import announce_case
from rapport.actions.sla import refresh_sla
from rapport.care.channels import ChannelError
from rapport.care.replies import ReplyDesk, checked_text, failure_status, outgoing
from rapport.records.replies import Reply, ReplyTarget
from rapport.store.case_events import add_events
from rapport.store.replies import (
    await_customer,
    begin_reply,
    finish_reply,
    reply_target,
    take_pending,
)

# Writes the audit entry of a send's outcome, in the transaction that records it.
Trail = Callable[[Change, Reply], None]


def send_reply(
    context: Context,
    desk: ReplyDesk,
    case_id: int,
    text: str,
    *,
    actor: Actor,
    private: bool = False,
    key: str | None = None,
    needs_approval: bool = False,
) -> Reply:
    """Reply to the customer's newest post in the case; the same `key` sends once. A reply
    that `needs_approval` is held ("pending_approval") and nothing leaves."""
    text = checked_text(text, private=private)
    key = key or uuid.uuid4().hex
    status = "pending_approval" if needs_approval else "sending"

    def begin(change: Change) -> tuple[ReplyTarget, Reply, bool]:
        target = reply_target(change.conn, case_id, actor.tenant)
        reply, new = begin_reply(
            change.conn, target, text=text, private=private, key=key,
            user_id=actor.user_id, at=change.now, status=status,
        )  # fmt: skip
        if new and needs_approval:
            _audit_reply(change, reply)
        return target, reply, new

    target, reply, new = apply(context, actor, begin)
    if not new or needs_approval:
        return reply
    return _deliver(context, desk, target, reply, actor=actor, trail=_audit_reply)


def approve_reply(context: Context, desk: ReplyDesk, reply_id: int, *, actor: Actor) -> Reply:
    """Send a pending reply as its author wrote it, recording who approved it; a public one
    that would expose personal data stays pending (PersonalDataInReply)."""

    def take(change: Change) -> tuple[ReplyTarget, Reply]:
        reply = take_pending(
            change.conn, reply_id, actor.tenant, "sending", approved_by=actor.user_id
        )
        # Checked again: the guard may have learnt since the author wrote it, and a held
        # reply must not be the way around it. Raising rolls the take back: still pending.
        checked_text(reply.text, private=reply.private)
        target = reply_target(change.conn, reply.case_id)
        # The post the author answered, not whatever the customer wrote since.
        return replace(target, in_reply_to=reply.in_reply_to or target.in_reply_to), reply

    target, reply = apply(context, actor, take)
    return _deliver(context, desk, target, reply, actor=actor, trail=_audit_approval)


def reject_reply(
    context: Context, reply_id: int, *, actor: Actor, reviewer: str, reason: str = ""
) -> Reply:
    """Refuse a pending reply: it is never sent, and the reason is kept with it."""
    because = f"rejected by {reviewer}" + (f": {reason}" if reason else "")

    def job(change: Change) -> Reply:
        reply = take_pending(change.conn, reply_id, actor.tenant, "rejected", error=because)
        change.audit("reply.reject", f"reply:{reply_id}", {"status": "pending_approval"},
                     {"status": reply.status})  # fmt: skip
        return reply

    return apply(context, actor, job)


def _deliver(
    context: Context,
    desk: ReplyDesk,
    target: ReplyTarget,
    reply: Reply,
    *,
    actor: Actor,
    trail: Trail,
) -> Reply:
    channel = desk.channels.get(target.network)
    if channel is None:
        missing = f"no channel for {target.network!r} is configured"
        return _finish(context, actor, trail, reply.id, status="failed", error=missing)
    try:
        sent = channel.send(outgoing(target, reply.text, private=reply.private,
                                     key=reply.idempotency_key))  # fmt: skip
    except ChannelError as error:
        status = failure_status(error)
        return _finish(context, actor, trail, reply.id, status=status, error=str(error))
    by = f"user:{reply.user_id}" if reply.user_id is not None else "api"
    case_id = target.case_id

    def record(change: Change) -> Reply:
        done = finish_reply(
            change.conn, reply.id, status="sent", message_id=sent.message_id, at=sent.sent_at
        )
        # Answered: the case now waits on the customer (it leaves the open queue and its
        # resolution clock pauses) until they write again, which wakes it.
        add_events(change.conn, [
            (case_id, sent.sent_at, "agent_reply", by),
            (case_id, sent.sent_at, "waiting_on_customer", by),
        ])  # fmt: skip
        await_customer(change.conn, case_id, sent.sent_at)
        refresh_sla(change.conn, desk.sla, [case_id], sent.sent_at)
        trail(change, done)
        announce_case(change, case_id, target.team, "replied")
        return done

    return apply(context, actor, record)


def _finish(
    context: Context, actor: Actor, trail: Trail, reply_id: int, *, status: str, error: str
) -> Reply:
    def job(change: Change) -> Reply:
        done = finish_reply(change.conn, reply_id, status=status, error=error)
        trail(change, done)
        return done

    return apply(context, actor, job)


def _audit_approval(change: Change, reply: Reply) -> None:
    change.audit("reply.approve", f"reply:{reply.id}", {"status": "pending_approval"},
                 {"status": reply.status})  # fmt: skip


def _audit_reply(change: Change, reply: Reply) -> None:
    change.audit("case.reply", f"case:{reply.case_id}", None,
                 {"reply": reply.id, "status": reply.status, "private": reply.private})  # fmt: skip
