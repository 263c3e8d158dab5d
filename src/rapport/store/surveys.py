"""Surveys as asked: who was asked when, who opted out, and the reservation of one question
per case."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from rapport.records.surveys import SurveyHistory, SurveyTarget
from rapport.store import schema
from rapport.store.database import Database
from rapport.store.rows import as_utc


def survey_target(conn: sa.Connection, case_id: int) -> SurveyTarget | None:
    cases, links, posts = schema.cases, schema.case_posts, schema.posts
    case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).first()
    if case is None:
        return None
    latest = conn.execute(
        sa.select(posts.c.source_id)
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .where(links.c.case_id == case_id, links.c.role == "message")
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(1)
    ).scalar()
    return SurveyTarget(
        case_id, str(case.tenant), str(case.network), str(case.conversation_id),
        str(case.customer_id), str(case.customer_handle), str(case.team), str(case.status),
        case.assignee_id, case.intent, case.lang, None if latest is None else str(latest),
    )  # fmt: skip


def survey_history(conn: sa.Connection, target: SurveyTarget) -> SurveyHistory:
    surveys, opt_outs = schema.surveys, schema.survey_opt_outs
    asked = conn.execute(
        sa.select(sa.func.count()).select_from(surveys).where(surveys.c.case_id == target.case_id)
    ).scalar_one()
    last = conn.execute(
        sa.select(sa.func.max(surveys.c.asked_at)).where(
            surveys.c.network == target.network, surveys.c.customer_id == target.customer_id
        )
    ).scalar()
    opted_out = conn.execute(
        sa.select(opt_outs.c.at).where(
            opt_outs.c.network == target.network, opt_outs.c.customer_id == target.customer_id
        )
    ).first()
    return SurveyHistory(int(asked), as_utc(last), opted_out is not None)


def reserve_survey(database: Database, target: SurveyTarget, asked_at: datetime) -> int | None:
    """Write the survey row, in a transaction of its own, before the question goes out; None
    when the case has one already (its unique case id decides between two resolutions
    racing, or a retried request)."""
    row = {
        "case_id": target.case_id, "tenant": target.tenant, "network": target.network,
        "customer_id": target.customer_id, "team": target.team,
        "agent_id": target.assignee_id, "intent": target.intent, "lang": target.lang,
        "asked_at": asked_at, "question_message_id": None,
    }  # fmt: skip
    try:
        return database.write(
            lambda conn: int(
                conn.execute(
                    sa.insert(schema.surveys).returning(schema.surveys.c.id), row
                ).scalar_one()
            )
        )
    except sa.exc.IntegrityError:
        return None


def drop_survey(conn: sa.Connection, survey_id: int) -> None:
    conn.execute(sa.delete(schema.surveys).where(schema.surveys.c.id == survey_id))


def mark_survey_sent(
    conn: sa.Connection, survey_id: int, sent_at: datetime, message_id: str | None
) -> None:
    conn.execute(
        sa.update(schema.surveys)
        .where(schema.surveys.c.id == survey_id)
        .values(asked_at=sent_at, question_message_id=message_id)
    )
