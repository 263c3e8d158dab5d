"""The case desk: routed posts become cases, in the same transaction that stores them.

For each newly stored post that the workflow routed to a queue (and did not suppress):

1. a repost of a post that is in a case folds into that case (`duplicate_count`);
2. a post in a thread where this customer already has an open case (or one resolved in
   the last `reopen_days`) joins that case, and wakes it if it was waiting on them;
3. a near-duplicate (same fingerprint, same team) of an open case opened in the last
   `fold_hours` folds into it, whoever wrote it;
4. otherwise a post that a rule routed, or whose priority reaches `open_at_priority`, opens
   a new case with its SLA clock running.

Posts by the brand's own accounts (`own_handles`) never open cases: in a thread with open
cases they are the brand's reply, which stops the response clock (an `agent_reply` event).

A new case carries the skills its rule asked for (for assignment), and, when its rule says
`acknowledge`, an `auto_acknowledged` event with the template rendered in the customer's
language (it does not stop the response clock: a person still has to answer). A post
whose rule says `notify` raises a rule alert.

A post belongs to at most one case (`case_posts.post_id` is the key), and only posts the
batch newly stored are considered, so a replayed batch changes nothing.

The desk reads no SQL: `triage` sorts a batch's posts; `lock_names`, `reply_threads`,
`reposted_sources`, `routed_threads` and `fold_since` say what the store must lock and
read; `plan` decides from those facts. The action that stores a batch
(`rapport.actions.batches`) runs the steps in its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import orjson

from rapport.care.fingerprint import fingerprint
from rapport.care.load import OpenCases
from rapport.care.privacy import find_personal_data
from rapport.care.sla_book import SlaBook
from rapport.care.surveys import Answers, read_answers
from rapport.records import Alert, Envelope
from rapport.records.desk import (
    CaseEvent,
    CaseGrowth,
    CaseLink,
    CaseRef,
    DeskFacts,
    DeskPlan,
    NewCase,
    Opening,
    OpenSurvey,
    Seen,
    SurveyAnswer,
    seen_by,
)
from rapport.route.templates import AckTemplates


@dataclass(frozen=True)
class CasePolicy:
    """When a routed post opens a case, and how long copies and threads stay together."""

    open_at_priority: float = 40.0
    fold_hours: float = 24.0
    reopen_days: float = 7.0
    tenant: str = "default"
    own_handles: frozenset[str] = frozenset()  # lower-case


@dataclass(frozen=True, slots=True)
class Triage:
    """A batch's newly stored posts, sorted by what the desk does with them."""

    answers: Answers
    replies: tuple[Seen, ...]  # by the brand's own accounts
    routed: tuple[Seen, ...]  # routed to a queue by someone else
    prints: dict[int, str | None]  # fingerprints of the routed posts, by post id

    @property
    def conversation_posts(self) -> set[int]:
        """The posts whose thread roots the plan needs."""
        follow_ups = {a.envelope.stored_id or 0 for a in self.answers.answers if a.follow_up}
        return follow_ups | {e.stored_id or 0 for e in (*self.replies, *self.routed)}


@dataclass
class _Growth:
    """What a batch adds to one existing or new case, while the plan is being made."""

    posts: int = 0
    duplicates: int = 0
    priority: float = 0.0
    reasons: str | None = None
    latest_post_id: int | None = None
    updated_at: datetime | None = None
    reopen: bool = False
    tags: set[str] = field(default_factory=set)


def _thread_key(network: str, conversation: str, customer: str) -> tuple[str, str, str]:
    return (network, conversation, customer)


class CaseDesk:
    def __init__(
        self,
        policy: CasePolicy | None = None,
        sla: SlaBook | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        load: OpenCases | None = None,
        deliver_alerts: bool = False,
    ) -> None:
        self.policy = policy or CasePolicy()
        self.sla = sla or SlaBook.default()
        self.load = load
        self.deliver_alerts = deliver_alerts
        self.templates = AckTemplates.default()
        # SLA states are judged at the clock's time; tests replaying a day pass their own.
        self._now = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._now()

    def for_tenant(self, tenant: str, own_handles: frozenset[str], sla: SlaBook) -> CaseDesk:
        """This desk's rules of thumb, for another tenant's cases."""
        policy = replace(self.policy, tenant=tenant, own_handles=own_handles)
        return CaseDesk(policy, sla, self._now, load=self.load, deliver_alerts=self.deliver_alerts)

    def triage(self, stored: Sequence[Envelope], surveys: Sequence[OpenSurvey]) -> Triage:
        """Sort newly stored posts as this desk's tenant sees them; `surveys` are the open
        ones they may answer (of any tenant: the desk keeps its own)."""
        own, tenant = self.policy.own_handles, self.policy.tenant
        stored = [e for e in stored if e.stored_id is not None]
        # Survey answers belong to their survey, not to the resolved case they follow.
        answers = read_answers(stored, [s for s in surveys if s.tenant == tenant])
        if answers.consumed:
            stored = [e for e in stored if e.stored_id not in answers.consumed]
        seen = [seen_by(tenant, e) for e in stored]
        replies = tuple(e for e in seen if e.post.author.handle.lower() in own)
        routed = tuple(
            e
            for e in seen
            if e.routing is not None
            and e.routing.queue
            and not e.routing.suppressed
            and e.post.author.handle.lower() not in own
        )
        prints = {e.stored_id or 0: fingerprint(e.post.text) for e in routed}
        return Triage(answers, replies, routed, prints)

    # What the store must lock and read for `plan` -----------------------------------------

    def lock_names(self, triage: Triage, conversations: dict[int, str]) -> list[str]:
        """Another persist worker may be deciding about the same threads right now."""
        tenant = self.policy.tenant
        return [
            *(f"thread {tenant} {e.post.network} {conversations[e.stored_id or 0]} "
              f"{e.post.author.source_id}" for e in triage.routed),
            *(f"print {tenant} {p}" for p in triage.prints.values() if p),
        ]  # fmt: skip

    @staticmethod
    def reply_threads(triage: Triage, conversations: dict[int, str]) -> set[tuple[str, str]]:
        return {(e.post.network, conversations[e.stored_id or 0]) for e in triage.replies}

    @staticmethod
    def reposted_sources(triage: Triage) -> set[tuple[str, str]]:
        return {(e.post.network, e.post.repost_of_id) for e in triage.routed if e.post.repost_of_id}

    @staticmethod
    def routed_threads(triage: Triage, conversations: dict[int, str]) -> set[str]:
        return {conversations[e.stored_id or 0] for e in triage.routed}

    def fold_since(self, triage: Triage) -> datetime:
        """Copies fold into cases opened this long before the batch's oldest post."""
        oldest = min(e.post.created_at for e in triage.routed)
        return oldest - timedelta(hours=self.policy.fold_hours)

    # The plan ---------------------------------------------------------------------------

    def plan(self, triage: Triage, facts: DeskFacts, now: datetime) -> DeskPlan:
        """What the batch does to cases, given what the store knows (`now` stamps alerts)."""
        openings: list[NewCase] = []
        links: list[CaseLink] = []
        events: list[CaseEvent] = []
        growths: dict[CaseRef, _Growth] = {}
        opened: list[CaseRef] = []
        joined: list[CaseRef] = []
        folded: list[CaseRef] = []
        conversations = facts.conversations

        def open_case(envelope: Seen, print_: str | None, actor: str) -> Opening:
            post_id = envelope.stored_id or 0
            ref = Opening(len(openings))
            openings.append(self._new_case(envelope, conversations[post_id], print_))
            links.append(CaseLink(post_id, ref, "message"))
            events.append(CaseEvent(ref, envelope.post.created_at, "opened", actor))
            opened.append(ref)
            return ref

        answers: list[SurveyAnswer] = []
        follow_ups: dict[tuple[str, str, str], tuple[CaseRef, str]] = {}
        for answer in triage.answers.answers:
            follow_up = None
            if answer.follow_up is not None:
                follow_up = open_case(answer.follow_up, None, "survey")
                post = answer.follow_up.post
                key = _thread_key(post.network, conversations[answer.follow_up.stored_id or 0],
                                  post.author.source_id)  # fmt: skip
                follow_ups[key] = (follow_up, "open")
            answered = answer.envelope
            answers.append(SurveyAnswer(answer.survey.id, answered.post.created_at, answer.score,
                                        answered.stored_id or 0, follow_up))  # fmt: skip

        # The brand answered in these threads: each open case there gets an agent reply.
        for e in triage.replies:
            thread = (e.post.network, conversations[e.stored_id or 0])
            for case_id in facts.open_in_threads.get(thread, ()):
                events.append(
                    CaseEvent(case_id, e.post.created_at, "agent_reply", "@" + e.post.author.handle)
                )

        routed = triage.routed
        alerts = tuple(_rule_alert(e, now) for e in routed if e.routing and e.routing.notify)
        threads = self._open_threads(facts, routed) | follow_ups if routed else {}
        folds: dict[tuple[str, str], CaseRef] = dict(facts.fingerprint_cases)
        acknowledgements: list[CaseEvent] = []

        def touch(case: CaseRef, envelope: Seen, role: str) -> _Growth:
            growth = growths.setdefault(case, _Growth())
            score = envelope.priority.score if envelope.priority is not None else 0.0
            if role == "message":
                growth.posts += 1
                growth.latest_post_id = envelope.stored_id
            else:
                growth.duplicates += 1
            if score > growth.priority:
                growth.priority = score
                growth.reasons = _reasons(envelope)
            growth.updated_at = envelope.post.created_at
            if envelope.routing is not None:
                growth.tags.update(envelope.routing.tags)
            links.append(CaseLink(envelope.stored_id or 0, case, role))
            return growth

        for envelope in routed:
            post, post_id = envelope.post, envelope.stored_id or 0
            if post.repost_of_id:
                reposted = facts.reposted.get((post.network, post.repost_of_id))
                if reposted is not None:
                    touch(reposted, envelope, "repost")
                    folded.append(reposted)
                continue  # a repost never opens a case of its own
            key = _thread_key(post.network, conversations[post_id], post.author.source_id)
            existing = threads.get(key)
            if existing is not None:
                case, status = existing
                growth = touch(case, envelope, "message")
                if status == "resolved":
                    growth.reopen = True
                    events.append(CaseEvent(case, post.created_at, "reopened", ""))
                elif status == "pending":
                    growth.reopen = True  # woken: the customer answered
                events.append(CaseEvent(case, post.created_at, "customer_message", ""))
                threads[key] = (case, "open")
                joined.append(case)
                continue
            print_ = triage.prints[post_id]
            team = envelope.routing.queue if envelope.routing else None
            fold = folds.get((print_, team)) if print_ and team else None
            if fold is not None:
                touch(fold, envelope, "duplicate")
                folded.append(fold)
                continue
            if not self._opens_case(envelope):
                continue
            ref = open_case(envelope, print_, "")
            if envelope.routing is not None and envelope.routing.acknowledge:
                acknowledgements.append(self._acknowledgement(ref, envelope))
            threads[key] = (ref, "open")
            if print_ and team:
                folds[(print_, team)] = ref

        for grown, growth in growths.items():
            if isinstance(grown, Opening):
                openings[grown.index] = _grown(openings[grown.index], growth)
        return DeskPlan(
            tenant=self.policy.tenant,
            alerts=alerts,
            openings=tuple(openings),
            links=tuple(links),
            growths=tuple(
                CaseGrowth(
                    ref,
                    g.posts,
                    g.duplicates,
                    g.priority,
                    g.reasons,
                    g.latest_post_id,
                    g.updated_at,
                    g.reopen,
                    frozenset(g.tags),
                )
                for ref, g in growths.items()
                if not isinstance(ref, Opening)
            ),
            events=(*events, *acknowledgements),
            opt_outs=triage.answers.opt_outs,
            answers=tuple(answers),
            opened=tuple(opened),
            joined=tuple(joined),
            folded=tuple(folded),
        )

    def _open_threads(
        self, facts: DeskFacts, routed: Sequence[Seen]
    ) -> dict[tuple[str, str, str], tuple[CaseRef, str]]:
        """The case each routed post's thread already has: open, pending, or resolved lately."""
        conversations = facts.conversations
        wanted = {
            _thread_key(e.post.network, conversations[e.stored_id or 0], e.post.author.source_id)
            for e in routed
        }
        newest = max(e.post.created_at for e in routed)
        reopen_after = newest - timedelta(days=self.policy.reopen_days)
        found: dict[tuple[str, str, str], tuple[CaseRef, str]] = {}
        for case in facts.thread_cases:
            key = _thread_key(case.network, case.conversation_id, case.customer_id)
            if key not in wanted:
                continue
            if case.status == "resolved" and (
                case.resolved_at is None or case.resolved_at < reopen_after
            ):
                continue
            found[key] = (case.case_id, case.status)  # the newest case wins
        return found

    def _acknowledgement(self, case: CaseRef, envelope: Seen) -> CaseEvent:
        post, routing = envelope.post, envelope.routing
        assert routing is not None
        assert routing.acknowledge is not None
        lang = envelope.enrichment.lang if envelope.enrichment else "und"
        # The display name is the one part of a public acknowledgement the customer wrote:
        # one carrying personal data gives way to the handle.
        name = post.author.display_name
        if not name or find_personal_data(name):
            name = post.author.handle
        used, text = self.templates.render(routing.acknowledge, lang, name)
        detail = {"template": routing.acknowledge, "lang": used, "text": text}
        return CaseEvent(case, post.created_at, "auto_acknowledged", "rapport",
                         orjson.dumps(detail).decode())  # fmt: skip

    def _opens_case(self, envelope: Seen) -> bool:
        routing = envelope.routing
        if routing is None or envelope.enrichment is None:
            return False
        if envelope.enrichment.intent is not None and envelope.enrichment.intent.label == "spam":
            return False
        if routing.rule_id is not None:
            return True
        score = envelope.priority.score if envelope.priority is not None else 0.0
        return score >= self.policy.open_at_priority

    def _new_case(self, envelope: Seen, conversation: str, print_: str | None) -> NewCase:
        post, enrichment, routing = envelope.post, envelope.enrichment, envelope.routing
        assert routing is not None
        assert routing.queue is not None
        team = routing.queue
        return NewCase(
            tenant=self.policy.tenant,
            network=post.network,
            conversation_id=conversation,
            customer_id=post.author.source_id,
            customer_handle=post.author.handle,
            team=team,
            priority=envelope.priority.score if envelope.priority else 0.0,
            reasons=_reasons(envelope),
            tags=tuple(routing.tags),
            skills=tuple(routing.skills),
            lang=enrichment.lang if enrichment else None,
            intent=enrichment.intent.label if enrichment and enrichment.intent else None,
            fingerprint=print_,
            root_post_id=envelope.stored_id or 0,
            latest_post_id=envelope.stored_id or 0,
            post_count=1,
            duplicate_count=0,
            opened_at=post.created_at,
            updated_at=post.created_at,
            sla_policy=self.sla.policy_name(team),
            escalated="escalated" in routing.tags,
        )


class Desks:
    """The case desk of each tenant the pipeline opens cases for."""

    def __init__(self, desks: Iterable[CaseDesk]) -> None:
        self.by_tenant = {desk.policy.tenant: desk for desk in desks}

    def __iter__(self) -> Iterator[CaseDesk]:
        return iter(self.by_tenant.values())

    def __len__(self) -> int:
        return len(self.by_tenant)

    def involved(self, stored: Sequence[Envelope], surveys: Sequence[OpenSurvey]) -> list[CaseDesk]:
        """The desks with something to do in a batch: a tenant routed one of its posts, wrote
        one from its own accounts, or asked a survey one of them may answer."""
        tenants = {route.tenant for e in stored for route in e.routes}
        tenants.update(s.tenant for s in surveys)
        authors = {e.post.author.handle.lower() for e in stored}
        tenants.update(t for t, d in self.by_tenant.items() if d.policy.own_handles & authors)
        return [self.by_tenant[t] for t in sorted(tenants) if t in self.by_tenant]


def _grown(case: NewCase, growth: _Growth) -> NewCase:
    """A case opened by this batch, with what later posts of the batch added to it."""
    higher = growth.priority > case.priority
    return replace(
        case,
        post_count=case.post_count + growth.posts,
        duplicate_count=case.duplicate_count + growth.duplicates,
        updated_at=growth.updated_at or case.updated_at,
        priority=growth.priority if higher else case.priority,
        reasons=(growth.reasons or case.reasons) if higher else case.reasons,
        latest_post_id=growth.latest_post_id or case.latest_post_id,
        tags=tuple(sorted(set(case.tags) | growth.tags)),
    )


def _rule_alert(envelope: Seen, now: datetime) -> Alert:
    post, routing = envelope.post, envelope.routing
    rule = routing.rule_id if routing is not None else None
    queue = routing.queue if routing is not None else None
    return Alert(
        kind="rule",
        subject_kind="post",
        subject=f"{post.network}/{post.source_id}",
        window_start=post.created_at,
        detected_at=now,
        count=1,
        expected=0.0,
        z=0.0,
        message=f"Rule {rule!r} flagged a post by @{post.author.handle} for {queue}",
    )


def _reasons(envelope: Seen) -> str:
    factors = envelope.priority.factors if envelope.priority is not None else ()
    return orjson.dumps([
        {"name": f.name, "points": round(f.contribution, 2), "reason": f.reason} for f in factors
    ]).decode()  # fmt: skip
