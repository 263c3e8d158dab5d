"""The case desk's facts and the application of its plan, inside the batch's transaction.

Each reader is one query per kind of fact per batch (in chunks of 500 ids, which drivers
cap); `apply_plan` writes a `DeskPlan` with one statement per kind of row where it can.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

import orjson
import sqlalchemy as sa

from rapport.records.desk import (
    CaseGrowth,
    CaseRef,
    DeskPlan,
    NewCase,
    Opening,
    OpenSurvey,
    ThreadCase,
)
from rapport.store import schema
from rapport.store.alerts import insert_alerts
from rapport.store.params import any_of
from rapport.store.rows import as_utc

T = TypeVar("T")


def _chunks(values: Iterable[T], size: int = 500) -> list[list[T]]:
    items = list(values)
    return [items[i : i + size] for i in range(0, len(items), size)]


def open_surveys(conn: sa.Connection, question_ids: Collection[str]) -> list[OpenSurvey]:
    """Unanswered surveys asked by these messages."""
    if not question_ids:
        return []
    surveys = schema.surveys
    query = sa.select(
        surveys.c.id, surveys.c.tenant, surveys.c.case_id, surveys.c.network,
        surveys.c.question_message_id,
        surveys.c.customer_id, surveys.c.team, surveys.c.lang,
    ).where(
        any_of(conn, surveys.c.question_message_id, question_ids),
        surveys.c.answered_at.is_(None),
    )  # fmt: skip
    return [
        OpenSurvey(
            int(row.id),
            str(row.tenant),
            int(row.case_id),
            str(row.network),
            str(row.question_message_id),
            str(row.customer_id),
            str(row.team),
            row.lang,
        )
        for row in conn.execute(query)
    ]


def conversations(conn: sa.Connection, post_ids: Collection[int]) -> dict[int, str]:
    """Thread roots as stored: ingest may have moved a post to its parent's root."""
    posts = schema.posts
    found: dict[int, str] = {}
    for chunk in _chunks(sorted(post_ids)):
        query = sa.select(posts.c.id, posts.c.conversation_id).where(posts.c.id.in_(chunk))
        found.update({int(i): str(c) for i, c in conn.execute(query)})
    return found


def open_cases_in(
    conn: sa.Connection, tenant: str, threads: Collection[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, ...]]:
    """The tenant's open and pending cases in these (network, thread root)s."""
    cases = schema.cases
    found: dict[tuple[str, str], list[int]] = {}
    for chunk in _chunks(sorted({conversation for _, conversation in threads})):
        query = sa.select(cases.c.id, cases.c.network, cases.c.conversation_id).where(
            cases.c.conversation_id.in_(chunk),
            cases.c.status.in_(("open", "pending")),
            cases.c.tenant == tenant,
        )
        for case_id, network, conversation in conn.execute(query):
            found.setdefault((str(network), str(conversation)), []).append(int(case_id))
    return {thread: tuple(ids) for thread, ids in found.items()}


def cases_of_sources(
    conn: sa.Connection, tenant: str, sources: Collection[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The tenant's case each of these (network, source id) posts belongs to, where it has
    one."""
    posts, links = schema.posts, schema.case_posts
    found: dict[tuple[str, str], int] = {}
    for network in sorted({n for n, _ in sources}):
        for chunk in _chunks(sorted(s for n, s in sources if n == network)):
            query = (
                sa.select(posts.c.source_id, links.c.case_id)
                .select_from(posts.join(links, links.c.post_id == posts.c.id))
                .where(
                    links.c.tenant == tenant,
                    posts.c.network == network,
                    posts.c.source_id.in_(chunk),
                )
            )
            found.update({(network, str(s)): int(c) for s, c in conn.execute(query)})
    return found


def cases_in_threads(
    conn: sa.Connection, tenant: str, conversation_ids: Collection[str]
) -> tuple[ThreadCase, ...]:
    """Every case of the tenant in these threads, oldest first."""
    cases = schema.cases
    found: list[ThreadCase] = []
    for chunk in _chunks(sorted(conversation_ids)):
        query = (
            sa.select(
                cases.c.id, cases.c.network, cases.c.conversation_id, cases.c.customer_id,
                cases.c.status, cases.c.resolved_at,
            )
            .where(cases.c.conversation_id.in_(chunk), cases.c.tenant == tenant)
            .order_by(cases.c.id)
        )  # fmt: skip
        found.extend(
            ThreadCase(
                int(row.id),
                str(row.network),
                str(row.conversation_id),
                str(row.customer_id),
                str(row.status),
                as_utc(row.resolved_at),
            )
            for row in conn.execute(query)
        )
    return tuple(found)


def open_cases_by_fingerprint(
    conn: sa.Connection, tenant: str, prints: Collection[str], since: datetime
) -> dict[tuple[str, str], int]:
    """(fingerprint, team) -> the newest unresolved case of the tenant opened since `since`."""
    cases = schema.cases
    found: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(prints)):
        query = (
            sa.select(cases.c.id, cases.c.fingerprint, cases.c.team)
            .where(
                cases.c.fingerprint.in_(chunk),
                cases.c.status != "resolved",
                cases.c.opened_at >= since,
                cases.c.tenant == tenant,
            )
            .order_by(cases.c.id.desc())
        )
        for row in conn.execute(query):
            found.setdefault((str(row.fingerprint), str(row.team)), int(row.id))
    return found


def apply_plan(conn: sa.Connection, plan: DeskPlan, *, deliver_alerts: bool) -> tuple[int, ...]:
    """Write the plan; returns the ids of the cases it opened, in the plan's order."""
    insert_alerts(conn, plan.alerts, deliver=deliver_alerts)
    opened = tuple(_open(conn, case) for case in plan.openings)

    def case_id(ref: CaseRef) -> int:
        return opened[ref.index] if isinstance(ref, Opening) else ref

    if plan.links:
        conn.execute(sa.insert(schema.case_posts), [
            {"tenant": plan.tenant, "post_id": link.post_id, "case_id": case_id(link.case),
             "role": link.role}
            for link in plan.links
        ])  # fmt: skip
    _grow(conn, plan.growths)
    if plan.events:
        conn.execute(sa.insert(schema.case_events), [
            {"case_id": case_id(e.case), "at": e.at, "kind": e.kind, "actor": e.actor,
             "detail": e.detail}
            for e in plan.events
        ])  # fmt: skip
    if plan.opt_outs:
        conn.execute(sa.insert(schema.survey_opt_outs), [
            {"network": o.network, "customer_id": o.customer_id, "at": o.at}
            for o in plan.opt_outs
        ])  # fmt: skip
    surveys = schema.surveys
    for answer in plan.answers:
        follow_up = None if answer.follow_up is None else case_id(answer.follow_up)
        conn.execute(
            sa.update(surveys)
            .where(surveys.c.id == answer.survey_id)
            .values(answered_at=answer.answered_at, score=answer.score,
                    answer_post_id=answer.answer_post_id, follow_up_case_id=follow_up)
        )  # fmt: skip
    return opened


def _open(conn: sa.Connection, case: NewCase) -> int:
    values = {
        "tenant": case.tenant,
        "network": case.network,
        "conversation_id": case.conversation_id,
        "customer_id": case.customer_id,
        "customer_handle": case.customer_handle,
        "team": case.team,
        "status": "open",
        "priority": case.priority,
        "reasons": case.reasons,
        "tags": orjson.dumps(list(case.tags)).decode(),
        "skills": orjson.dumps(list(case.skills)).decode(),
        "lang": case.lang,
        "intent": case.intent,
        "fingerprint": case.fingerprint,
        "root_post_id": case.root_post_id,
        "latest_post_id": case.latest_post_id,
        "post_count": case.post_count,
        "duplicate_count": case.duplicate_count,
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "sla_policy": case.sla_policy,
        "escalated": case.escalated,
    }
    return int(conn.execute(sa.insert(schema.cases).returning(schema.cases.c.id), values)
               .scalar_one())  # fmt: skip


def _grow(conn: sa.Connection, growths: Sequence[CaseGrowth]) -> None:
    """Add posts to stored cases: counts add up, priority and tags only ever grow."""
    if not growths:
        return
    cases = schema.cases
    current = {
        int(row.id): row
        for chunk in _chunks(sorted(g.case_id for g in growths))
        for row in conn.execute(
            sa.select(cases.c.id, cases.c.priority, cases.c.reasons, cases.c.tags,
                      cases.c.latest_post_id)
            .where(cases.c.id.in_(chunk))
        )
    }  # fmt: skip
    staying: list[dict[str, object]] = []
    reopening: list[dict[str, object]] = []
    # In id order, as every writer does, so concurrent writers lock rows in one order.
    for growth in sorted(growths, key=lambda g: g.case_id):
        row = current[growth.case_id]
        higher = growth.priority > row.priority
        tags = set(orjson.loads(row.tags))
        values = {
            "b_id": growth.case_id,
            "b_posts": growth.posts,
            "b_duplicates": growth.duplicates,
            "b_updated": growth.updated_at,
            "b_priority": growth.priority if higher else row.priority,
            "b_reasons": growth.reasons if higher else row.reasons,
            "b_latest": growth.latest_post_id or row.latest_post_id,
            "b_tags": orjson.dumps(sorted(tags | growth.tags)).decode(),
        }
        (reopening if growth.reopen else staying).append(values)
    common = {
        "post_count": cases.c.post_count + sa.bindparam("b_posts", type_=sa.Integer),
        "duplicate_count": cases.c.duplicate_count + sa.bindparam("b_duplicates", type_=sa.Integer),
        "updated_at": sa.bindparam("b_updated"),
        "priority": sa.bindparam("b_priority"),
        "reasons": sa.bindparam("b_reasons"),
        "latest_post_id": sa.bindparam("b_latest"),
        "tags": sa.bindparam("b_tags"),
    }
    where = cases.c.id == sa.bindparam("b_id")
    # One statement per shape, not per case: a batch can touch hundreds of cases.
    if staying:
        conn.execute(sa.update(cases).where(where).values(**common), staying)
    if reopening:
        conn.execute(
            sa.update(cases).where(where).values(**common, status="open", resolved_at=None),
            reopening,
        )
