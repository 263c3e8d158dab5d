"""Net Promoter surveys: asked after a case is resolved, answered in the thread.

Asking (`SurveyDesk.after_resolution`): at most once per case, never to a customer who
opted out, and not again within the cool-down after their last survey; the question goes
out in the customer's language through the case's channel (as a private message by
default), and the survey row remembers the message id.

Answering (`read_answers`, planned by the case desk for the transaction that stores the batch):
a customer post replying to a survey question is read for a 0-10 score (digits, number
words, "9/10", emoji). A score is stored with the case's team, agent, intent, language and
channel for the breakdowns; a detractor (0-6) opens a follow-up case in the same team; an
opt-out phrase records the opt-out. Such a post is the survey's, so it does not reopen the
resolved case. A post that says nothing readable is left to the desk as usual.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rapport.care.channels import Channel, ChannelError, Outgoing
from rapport.measure.answers import parse_score
from rapport.measure.nps import category
from rapport.measure.survey import SurveyPolicy, is_opt_out, question, should_ask
from rapport.records import Envelope, Factor, Priority, RoutingDecision
from rapport.records.desk import OpenSurvey, OptOut, Seen
from rapport.store import Database
from rapport.store.surveys import (
    drop_survey,
    mark_survey_sent,
    reserve_survey,
    survey_history,
    survey_target,
)

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
            case = survey_target(conn, case_id)
            if case is None:
                return None
            history = survey_history(conn, case)
        ask, _reason = should_ask(
            case_resolved=case.status == "resolved",
            already_asked_for_case=history.asked_for_case > 0,
            last_asked_customer_at=history.last_asked_customer_at,
            opted_out=history.opted_out,
            now=now,
            policy=self.policy,
        )
        channel = self.channels.get(case.network)
        if not ask or channel is None:
            return None
        lang = case.lang or "en"
        outgoing = Outgoing(
            case_id=case_id, network=case.network, in_reply_to=case.latest_message,
            recipient_id=case.customer_id, recipient_handle=case.customer_handle,
            text=question(lang, brand=self.brand), private=self.private,
            idempotency_key=f"survey-{case_id}-{uuid.uuid4().hex[:8]}",
            conversation_id=case.conversation_id, lang=lang, kind="survey",
        )  # fmt: skip
        row: dict[str, Any] = {
            "case_id": case_id, "tenant": case.tenant, "network": case.network,
            "customer_id": case.customer_id, "team": case.team, "agent_id": case.assignee_id,
            "intent": case.intent, "lang": case.lang, "asked_at": now,
            "question_message_id": None,
        }  # fmt: skip
        # The row is the reservation: two resolutions racing (or a retried request) ask once.
        survey_id = reserve_survey(self.database, case, now)
        if survey_id is None:
            return None
        try:
            sent = channel.send(outgoing)
        except ChannelError:
            # Not asked after all: free the case for a later resolution to ask.
            self.database.write(lambda conn: drop_survey(conn, survey_id))
            return None  # a survey is never worth a retry storm
        row.update(asked_at=sent.sent_at, question_message_id=sent.message_id)
        self.database.write(
            lambda conn: mark_survey_sent(conn, survey_id, sent.sent_at, sent.message_id)
        )
        return row


@dataclass(frozen=True, slots=True)
class ReadAnswer:
    """A customer's score for a survey; a detractor's comes with the post for a follow-up case."""

    survey: OpenSurvey
    envelope: Envelope
    score: int
    follow_up: Seen | None


@dataclass(frozen=True, slots=True)
class Answers:
    """The survey's share of a batch: the posts it takes, which the desk then leaves alone."""

    opt_outs: tuple[OptOut, ...] = ()
    answers: tuple[ReadAnswer, ...] = ()
    consumed: frozenset[int] = frozenset()


def read_answers(stored: Sequence[Envelope], surveys: Iterable[OpenSurvey]) -> Answers:
    """Read survey answers and opt-outs among these newly stored posts, replying to these
    open surveys."""
    waiting = {(s.network, s.question_message_id): s for s in surveys}
    opt_outs: list[OptOut] = []
    answers: list[ReadAnswer] = []
    consumed: set[int] = set()
    for envelope in stored:
        post = envelope.post
        if not post.reply_to_id:
            continue
        survey = waiting.get((post.network, post.reply_to_id))
        if survey is None or post.author.source_id != survey.customer_id:
            continue
        lang = envelope.enrichment.lang if envelope.enrichment else survey.lang
        if is_opt_out(post.text, lang):
            opt_outs.append(OptOut(post.network, survey.customer_id, post.created_at))
            consumed.add(envelope.stored_id or 0)
            continue
        score = parse_score(post.text, lang)
        if score is None:
            continue
        detractor = category(score) == "detractor"
        follow_up = _follow_up(envelope, survey, score) if detractor else None
        answers.append(ReadAnswer(survey, envelope, score, follow_up))
        del waiting[(post.network, post.reply_to_id)]  # a survey takes one answer
        consumed.add(envelope.stored_id or 0)
    return Answers(tuple(opt_outs), tuple(answers), frozenset(consumed))


def _follow_up(envelope: Envelope, survey: OpenSurvey, score: int) -> Seen:
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
    return Seen(envelope, routing, priority)
