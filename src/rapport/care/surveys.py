"""Net Promoter surveys: asked after a case is resolved, answered in the thread.

Asking (`rapport.actions.surveys`): at most once per case, never to a customer who opted
out, and not again within the cool-down after their last survey; the question goes out in
the customer's language through the case's channel (as a private message by default), and
the survey row remembers the message id.

Answering (`read_answers`, planned by the case desk for the transaction that stores the batch):
a customer post replying to a survey question is read for a 0-10 score (digits, number
words, "9/10", emoji). A score is stored with the case's team, agent, intent, language and
channel for the breakdowns; a detractor (0-6) opens a follow-up case in the same team; an
opt-out phrase records the opt-out. Such a post is the survey's, so it does not reopen the
resolved case. A post that says nothing readable is left to the desk as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapport.measure.answers import parse_score
from rapport.measure.nps import category
from rapport.measure.survey import is_opt_out
from rapport.records import Envelope, Factor, Priority, RoutingDecision
from rapport.records.desk import OpenSurvey, OptOut, Seen

DETRACTOR_PRIORITY = 70.0


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
