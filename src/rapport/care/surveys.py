"""Net Promoter surveys: asked after a case is resolved, answered in the thread.

Asking (`SurveyDesk.after_resolution`): at most once per case, never to a customer who
opted out, and not again within the cool-down after their last survey; the question goes
out in the customer's language through the case's channel (as a private message by
default), and the survey row remembers the message id.

Answering (`take_answers`, run by the case desk in the transaction that stores the batch):
a customer post replying to a survey question is read for a 0-10 score (digits, number
words, "9/10", emoji). A score is stored with the case's team, agent, intent, language and
channel for the breakdowns; a detractor (0-6) opens a follow-up case in the same team; an
opt-out phrase records the opt-out. Such a post is the survey's, so it does not reopen the
resolved case. A post that says nothing readable is left to the desk as usual.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa

from rapport.care.channels import Channel, ChannelError, Outgoing
from rapport.measure.answers import parse_score
from rapport.measure.nps import category
from rapport.measure.survey import SurveyPolicy, is_opt_out, question, should_ask
from rapport.records import Envelope, Factor, Priority, RoutingDecision
from rapport.store import Database, schema
from rapport.store.params import any_of
from rapport.store.rows import as_utc

DETRACTOR_PRIORITY = 70.0


@dataclass
class SurveyDesk:
    database: Database
    channels: Mapping[str, Channel]
    brand: str = "NovaCard"
    private: bool = True
    policy: SurveyPolicy = field(default_factory=SurveyPolicy)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def after_resolution(self, case_id: int) -> dict[str, Any] | None:
        """Ask the case's customer the question, if the rules allow; the survey row, or None
        with nothing sent."""
        now = self.clock()
        with self.database.reading() as conn:
            found = _case_and_target(conn, case_id)
            if found is None:
                return None
            case, target = found
            asked = conn.execute(
                sa.select(sa.func.count()).select_from(schema.surveys)
                .where(schema.surveys.c.case_id == case_id)
            ).scalar_one()  # fmt: skip
            last = conn.execute(
                sa.select(sa.func.max(schema.surveys.c.asked_at)).where(
                    schema.surveys.c.network == case.network,
                    schema.surveys.c.customer_id == case.customer_id,
                )
            ).scalar()
            opted_out = (
                conn.execute(
                    sa.select(schema.survey_opt_outs.c.at).where(
                        schema.survey_opt_outs.c.network == case.network,
                        schema.survey_opt_outs.c.customer_id == case.customer_id,
                    )
                ).first()
                is not None
            )
        ask, _reason = should_ask(
            case_resolved=case.status == "resolved",
            already_asked_for_case=asked > 0,
            last_asked_customer_at=as_utc(last),
            opted_out=opted_out,
            now=now,
            policy=self.policy,
        )
        channel = self.channels.get(case.network)
        if not ask or channel is None:
            return None
        lang = case.lang or "en"
        outgoing = Outgoing(
            case_id=case_id, network=case.network, in_reply_to=target,
            recipient_id=case.customer_id, recipient_handle=case.customer_handle,
            text=question(lang, brand=self.brand), private=self.private,
            idempotency_key=f"survey-{case_id}-{uuid.uuid4().hex[:8]}",
            conversation_id=case.conversation_id, lang=lang, kind="survey",
        )  # fmt: skip
        row = {
            "case_id": case_id, "tenant": case.tenant, "network": case.network,
            "customer_id": case.customer_id, "team": case.team, "agent_id": case.assignee_id,
            "intent": case.intent, "lang": case.lang, "asked_at": now,
            "question_message_id": None,
        }  # fmt: skip
        # The row is the reservation: written before the question goes out, so two
        # resolutions racing (or a retried request) ask once; the unique case_id decides.
        try:
            survey_id = self.database.write(
                lambda conn: conn.execute(
                    sa.insert(schema.surveys).returning(schema.surveys.c.id), row
                ).scalar_one()
            )
        except sa.exc.IntegrityError:
            return None
        try:
            sent = channel.send(outgoing)
        except ChannelError:
            # Not asked after all: free the case for a later resolution to ask.
            self.database.write(
                lambda conn: conn.execute(
                    sa.delete(schema.surveys).where(schema.surveys.c.id == survey_id)
                )
            )
            return None  # a survey is never worth a retry storm
        row.update(asked_at=sent.sent_at, question_message_id=sent.message_id)
        self.database.write(
            lambda conn: conn.execute(
                sa.update(schema.surveys)
                .where(schema.surveys.c.id == survey_id)
                .values(asked_at=sent.sent_at, question_message_id=sent.message_id)
            )
        )
        return row


def take_answers(
    conn: sa.Connection,
    stored: Sequence[Envelope],
    open_follow_up: Callable[[Envelope], int],
) -> set[int]:
    """Read survey answers among these newly stored posts; returns the ids of the posts that
    were the survey's (answers and opt-outs), which the desk then leaves alone."""
    replies = [e for e in stored if e.post.reply_to_id]
    if not replies:
        return set()
    surveys = schema.surveys
    open_surveys = {
        (row.network, row.question_message_id): row
        for row in conn.execute(
            sa.select(surveys).where(
                any_of(
                    conn,
                    surveys.c.question_message_id,
                    {e.post.reply_to_id for e in replies if e.post.reply_to_id},
                ),
                surveys.c.answered_at.is_(None),
            )
        )
    }
    consumed: set[int] = set()
    for envelope in replies:
        post = envelope.post
        survey = open_surveys.get((post.network, post.reply_to_id))
        if survey is None or post.author.source_id != survey.customer_id:
            continue
        lang = envelope.enrichment.lang if envelope.enrichment else survey.lang
        if is_opt_out(post.text, lang):
            conn.execute(
                sa.insert(schema.survey_opt_outs),
                {"network": post.network, "customer_id": survey.customer_id,
                 "at": post.created_at},
            )  # fmt: skip
            consumed.add(envelope.stored_id or 0)
            continue
        score = parse_score(post.text, lang)
        if score is None:
            continue
        follow_up = None
        if category(score) == "detractor":
            follow_up = open_follow_up(_follow_up(envelope, survey, score))
        conn.execute(
            sa.update(surveys)
            .where(surveys.c.id == survey.id)
            .values(answered_at=post.created_at, score=score, answer_post_id=envelope.stored_id,
                    follow_up_case_id=follow_up)
        )  # fmt: skip
        open_surveys.pop((post.network, post.reply_to_id))
        consumed.add(envelope.stored_id or 0)
    return consumed


def _follow_up(envelope: Envelope, survey: Any, score: int) -> Envelope:
    """The detractor's answer as a post routed back to the team that served them, with the
    reason in its priority."""
    scored = envelope.priority.score if envelope.priority is not None else 0.0
    factors = envelope.priority.factors if envelope.priority is not None else ()
    lift = max(0.0, DETRACTOR_PRIORITY - scored)
    priority = Priority(
        score=round(scored + lift, 2),
        factors=(*factors, Factor(name="detractor", value=1.0, weight=round(lift, 2),
                                  reason=f"answered {score}/10 to the survey of case "
                                         f"{survey.case_id}")),
    )  # fmt: skip
    routing = RoutingDecision(
        rule_id="nps-detractor", team=survey.team, queue=survey.team,
        tags=("detractor", "nps-follow-up"),
    )  # fmt: skip
    return msgspec.structs.replace(envelope, priority=priority, routing=routing)


def _case_and_target(conn: sa.Connection, case_id: int) -> tuple[Any, str | None] | None:
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
    return case, latest
