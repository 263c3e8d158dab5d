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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import orjson
import sqlalchemy as sa

from rapport.actions.sla import refresh_sla
from rapport.care.fingerprint import fingerprint
from rapport.care.load import OpenCases
from rapport.care.sla_book import SlaBook
from rapport.care.surveys import take_answers
from rapport.records import Alert, Envelope
from rapport.route.templates import AckTemplates
from rapport.store import schema
from rapport.store.alerts import insert_alerts
from rapport.store.case_events import add_events
from rapport.store.locks import lock_names
from rapport.store.rows import as_utc


@dataclass(frozen=True)
class CasePolicy:
    """When a routed post opens a case, and how long copies and threads stay together."""

    open_at_priority: float = 40.0
    fold_hours: float = 24.0
    reopen_days: float = 7.0
    tenant: str = "default"
    own_handles: frozenset[str] = frozenset()  # lower-case


@dataclass
class _Update:
    """What a batch adds to one existing or new case."""

    posts: int = 0
    duplicates: int = 0
    priority: float = 0.0
    reasons: str | None = None
    latest_post_id: int | None = None
    updated_at: datetime | None = None
    wake: bool = False
    reopen: bool = False
    tags: set[str] = field(default_factory=set)


@dataclass
class CaseChanges:
    """What one batch did to cases: for the caller's counters and for live updates."""

    opened: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    folded: list[int] = field(default_factory=list)


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

    def apply(self, conn: sa.Connection, envelopes: Sequence[Envelope]) -> CaseChanges:
        changes = CaseChanges()
        own = self.policy.own_handles
        stored = [e for e in envelopes if e.stored_id is not None]
        # Survey answers belong to their survey, not to the resolved case they follow.
        consumed = take_answers(conn, stored, partial(self._open_follow_up, conn, changes))
        if consumed:
            stored = [e for e in stored if e.stored_id not in consumed]
        replies = [e for e in stored if e.post.author.handle.lower() in own]
        routed = [
            e
            for e in stored
            if e.routing is not None
            and e.routing.queue
            and not e.routing.suppressed
            and e.post.author.handle.lower() not in own
        ]
        if replies:
            self._brand_replies(conn, replies)
        notices = [_rule_alert(e) for e in routed if e.routing is not None and e.routing.notify]
        insert_alerts(conn, notices, deliver=self.deliver_alerts)
        if not routed:
            if self.load is not None and replies:
                self.load.refresh(conn)
            return changes
        conversations = self._stored_conversations(conn, [e.stored_id or 0 for e in routed])
        prints = {e.stored_id: fingerprint(e.post.text) for e in routed}
        # Another persist worker may be deciding about the same threads right now.
        lock_names(conn, [
            *(f"thread {self.policy.tenant} {e.post.network} {conversations[e.stored_id or 0]} "
              f"{e.post.author.source_id}" for e in routed),
            *(f"print {self.policy.tenant} {p}" for p in prints.values() if p),
        ])  # fmt: skip
        reposted = self._cases_of_sources(
            conn, {(e.post.network, e.post.repost_of_id) for e in routed if e.post.repost_of_id}
        )
        threads = self._thread_cases(conn, routed, conversations)
        folds = self._fingerprint_cases(conn, {p for p in prints.values() if p}, routed)

        updates: dict[int, _Update] = {}
        acknowledgements: list[tuple[int, Envelope]] = []
        links: list[dict[str, object]] = []
        events: list[tuple[int, datetime, str, str]] = []

        def touch(case_id: int, envelope: Envelope, role: str) -> None:
            update = updates.setdefault(case_id, _Update())
            score = envelope.priority.score if envelope.priority is not None else 0.0
            if role == "message":
                update.posts += 1
                update.latest_post_id = envelope.stored_id
            else:
                update.duplicates += 1
            if score > update.priority:
                update.priority = score
                update.reasons = _reasons(envelope)
            update.updated_at = envelope.post.created_at
            if envelope.routing is not None:
                update.tags.update(envelope.routing.tags)
            links.append({"post_id": envelope.stored_id, "case_id": case_id, "role": role})

        for envelope in routed:
            post, post_id = envelope.post, envelope.stored_id or 0
            if post.repost_of_id:
                case_id = reposted.get((post.network, post.repost_of_id))
                if case_id is not None:
                    touch(case_id, envelope, "repost")
                    changes.folded.append(case_id)
                continue  # a repost never opens a case of its own
            key = _thread_key(post.network, conversations[post_id], post.author.source_id)
            existing = threads.get(key)
            if existing is not None:
                case_id, status = existing
                touch(case_id, envelope, "message")
                update = updates[case_id]
                if status == "resolved":
                    update.reopen = True
                    events.append((case_id, post.created_at, "reopened", ""))
                elif status == "pending":
                    update.wake = True
                events.append((case_id, post.created_at, "customer_message", ""))
                threads[key] = (case_id, "open")
                changes.joined.append(case_id)
                continue
            print_ = prints[post_id]
            team = envelope.routing.queue if envelope.routing else None
            fold = folds.get((print_, team)) if print_ else None
            if fold is not None:
                touch(fold, envelope, "duplicate")
                changes.folded.append(fold)
                continue
            if not self._opens_case(envelope):
                continue
            case_id = self._open(conn, envelope, conversations[post_id], print_)
            links.append({"post_id": post_id, "case_id": case_id, "role": "message"})
            events.append((case_id, post.created_at, "opened", ""))
            if envelope.routing is not None and envelope.routing.acknowledge:
                acknowledgements.append((case_id, envelope))
            threads[key] = (case_id, "open")
            if print_:
                folds[(print_, team)] = case_id
            changes.opened.append(case_id)

        if links:
            conn.execute(sa.insert(schema.case_posts), links)
        self._write_updates(conn, updates)
        add_events(conn, events)
        self._acknowledge(conn, acknowledgements)
        refresh_sla(conn, self.sla, {e[0] for e in events} | set(updates), self._now())
        if self.load is not None:
            self.load.refresh(conn)
        return changes

    def _acknowledge(self, conn: sa.Connection, cases: list[tuple[int, Envelope]]) -> None:
        rows = []
        for case_id, envelope in cases:
            post, routing = envelope.post, envelope.routing
            assert routing is not None
            assert routing.acknowledge is not None
            lang = envelope.enrichment.lang if envelope.enrichment else "und"
            name = post.author.display_name or post.author.handle
            used, text = self.templates.render(routing.acknowledge, lang, name)
            detail = {"template": routing.acknowledge, "lang": used, "text": text}
            rows.append({"case_id": case_id, "at": post.created_at, "kind": "auto_acknowledged",
                         "actor": "rapport", "detail": orjson.dumps(detail).decode()})  # fmt: skip
        if rows:
            conn.execute(sa.insert(schema.case_events), rows)

    def _brand_replies(self, conn: sa.Connection, replies: list[Envelope]) -> None:
        """The brand answered in these threads: each open case there gets an agent reply."""
        cases = schema.cases
        conversations = self._stored_conversations(conn, [e.stored_id or 0 for e in replies])
        threads = {(e.post.network, conversations[e.stored_id or 0]) for e in replies}
        open_in: dict[tuple[str, str], list[int]] = {}
        for chunk in _chunks(sorted({c for _, c in threads})):
            query = sa.select(cases.c.id, cases.c.network, cases.c.conversation_id).where(
                cases.c.conversation_id.in_(chunk),
                cases.c.status.in_(("open", "pending")),
                cases.c.tenant == self.policy.tenant,
            )
            for case_id, network, conversation in conn.execute(query):
                open_in.setdefault((str(network), str(conversation)), []).append(int(case_id))
        events = [
            (case_id, e.post.created_at, "agent_reply", "@" + e.post.author.handle)
            for e in replies
            for case_id in open_in.get((e.post.network, conversations[e.stored_id or 0]), ())
        ]
        add_events(conn, events)
        refresh_sla(conn, self.sla, {e[0] for e in events}, self._now())

    def _open_follow_up(self, conn: sa.Connection, changes: CaseChanges, envelope: Envelope) -> int:
        """A case for a detractor's survey answer, in the team that served them."""
        post_id = envelope.stored_id or 0
        conversation = self._stored_conversations(conn, [post_id])[post_id]
        case_id = self._open(conn, envelope, conversation, None)
        conn.execute(sa.insert(schema.case_posts),
                     {"post_id": post_id, "case_id": case_id, "role": "message"})  # fmt: skip
        add_events(conn, [(case_id, envelope.post.created_at, "opened", "survey")])
        refresh_sla(conn, self.sla, [case_id], self._now())
        changes.opened.append(case_id)
        return case_id

    def _opens_case(self, envelope: Envelope) -> bool:
        routing = envelope.routing
        if routing is None or envelope.enrichment is None:
            return False
        if envelope.enrichment.intent is not None and envelope.enrichment.intent.label == "spam":
            return False
        if routing.rule_id is not None:
            return True
        score = envelope.priority.score if envelope.priority is not None else 0.0
        return score >= self.policy.open_at_priority

    def _open(
        self, conn: sa.Connection, envelope: Envelope, conversation: str, print_: str | None
    ) -> int:
        post, enrichment, routing = envelope.post, envelope.enrichment, envelope.routing
        assert routing is not None
        assert routing.queue is not None
        team = routing.queue
        values = {
            "tenant": self.policy.tenant,
            "network": post.network,
            "conversation_id": conversation,
            "customer_id": post.author.source_id,
            "customer_handle": post.author.handle,
            "team": team,
            "status": "open",
            "priority": envelope.priority.score if envelope.priority else 0.0,
            "reasons": _reasons(envelope),
            "tags": orjson.dumps(list(routing.tags)).decode(),
            "skills": orjson.dumps(list(routing.skills)).decode(),
            "lang": enrichment.lang if enrichment else None,
            "intent": enrichment.intent.label if enrichment and enrichment.intent else None,
            "fingerprint": print_,
            "root_post_id": envelope.stored_id,
            "latest_post_id": envelope.stored_id,
            "opened_at": post.created_at,
            "updated_at": post.created_at,
            "sla_policy": self.sla.policy_name(team),
            "escalated": "escalated" in routing.tags,
        }
        return int(conn.execute(sa.insert(schema.cases).returning(schema.cases.c.id), values)
                   .scalar_one())  # fmt: skip

    @staticmethod
    def _stored_conversations(conn: sa.Connection, ids: list[int]) -> dict[int, str]:
        """Thread roots as stored: ingest may have moved a post to its parent's root."""
        posts = schema.posts
        found: dict[int, str] = {}
        for chunk in _chunks(ids):
            query = sa.select(posts.c.id, posts.c.conversation_id).where(posts.c.id.in_(chunk))
            found.update({int(i): str(c) for i, c in conn.execute(query)})
        return found

    @staticmethod
    def _cases_of_sources(
        conn: sa.Connection, sources: set[tuple[str, str | None]]
    ) -> dict[tuple[str, str], int]:
        posts, links = schema.posts, schema.case_posts
        found: dict[tuple[str, str], int] = {}
        for network in {n for n, _ in sources}:
            ids = [s for n, s in sources if n == network and s]
            for chunk in _chunks(ids):
                query = (
                    sa.select(posts.c.source_id, links.c.case_id)
                    .select_from(posts.join(links, links.c.post_id == posts.c.id))
                    .where(posts.c.network == network, posts.c.source_id.in_(chunk))
                )
                found.update({(network, str(s)): int(c) for s, c in conn.execute(query)})
        return found

    def _thread_cases(
        self, conn: sa.Connection, routed: list[Envelope], conversations: dict[int, str]
    ) -> dict[tuple[str, str, str], tuple[int, str]]:
        cases = schema.cases
        wanted = {
            _thread_key(e.post.network, conversations[e.stored_id or 0], e.post.author.source_id)
            for e in routed
        }
        newest = max(e.post.created_at for e in routed)
        reopen_after = newest - timedelta(days=self.policy.reopen_days)
        found: dict[tuple[str, str, str], tuple[int, str]] = {}
        for chunk in _chunks(sorted({c for _, c, _ in wanted})):
            query = (
                sa.select(
                    cases.c.id, cases.c.network, cases.c.conversation_id, cases.c.customer_id,
                    cases.c.status, cases.c.resolved_at,
                )
                .where(cases.c.conversation_id.in_(chunk), cases.c.tenant == self.policy.tenant)
                .order_by(cases.c.id)
            )  # fmt: skip
            for row in conn.execute(query):
                key = _thread_key(row.network, row.conversation_id, row.customer_id)
                if key not in wanted:
                    continue
                if row.status == "resolved" and (
                    row.resolved_at is None
                    or (as_utc(row.resolved_at) or reopen_after) < reopen_after
                ):
                    continue
                found[key] = (int(row.id), str(row.status))  # the newest case wins
        return found

    def _fingerprint_cases(
        self, conn: sa.Connection, prints: set[str], routed: list[Envelope]
    ) -> dict[tuple[str | None, str | None], int]:
        cases = schema.cases
        oldest = min(e.post.created_at for e in routed) - timedelta(hours=self.policy.fold_hours)
        found: dict[tuple[str | None, str | None], int] = {}
        for chunk in _chunks(sorted(prints)):
            query = (
                sa.select(cases.c.id, cases.c.fingerprint, cases.c.team)
                .where(
                    cases.c.fingerprint.in_(chunk),
                    cases.c.status != "resolved",
                    cases.c.opened_at >= oldest,
                    cases.c.tenant == self.policy.tenant,
                )
                .order_by(cases.c.id.desc())
            )
            for row in conn.execute(query):
                found.setdefault((row.fingerprint, row.team), int(row.id))
        return found

    @staticmethod
    def _write_updates(conn: sa.Connection, updates: dict[int, _Update]) -> None:
        if not updates:
            return
        cases = schema.cases
        current = {
            int(row.id): row
            for chunk in _chunks(sorted(updates))
            for row in conn.execute(
                sa.select(cases.c.id, cases.c.priority, cases.c.reasons, cases.c.tags,
                          cases.c.latest_post_id)
                .where(cases.c.id.in_(chunk))
            )
        }  # fmt: skip
        staying: list[dict[str, object]] = []
        reopening: list[dict[str, object]] = []
        # In id order, as every writer does, so concurrent writers lock rows in one order.
        for case_id, update in sorted(updates.items()):
            row = current[case_id]
            higher = update.priority > row.priority
            tags = set(orjson.loads(row.tags))
            values = {
                "b_id": case_id,
                "b_posts": update.posts,
                "b_duplicates": update.duplicates,
                "b_updated": update.updated_at,
                "b_priority": update.priority if higher else row.priority,
                "b_reasons": update.reasons if higher else row.reasons,
                "b_latest": update.latest_post_id or row.latest_post_id,
                "b_tags": orjson.dumps(sorted(tags | update.tags)).decode(),
            }
            (reopening if update.reopen or update.wake else staying).append(values)
        common = {
            "post_count": cases.c.post_count + sa.bindparam("b_posts", type_=sa.Integer),
            "duplicate_count": cases.c.duplicate_count
            + sa.bindparam("b_duplicates", type_=sa.Integer),
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


def _rule_alert(envelope: Envelope) -> Alert:
    post, routing = envelope.post, envelope.routing
    rule = routing.rule_id if routing is not None else None
    queue = routing.queue if routing is not None else None
    return Alert(
        kind="rule",
        subject_kind="post",
        subject=f"{post.network}/{post.source_id}",
        window_start=post.created_at,
        detected_at=datetime.now(UTC),
        count=1,
        expected=0.0,
        z=0.0,
        message=f"Rule {rule!r} flagged a post by @{post.author.handle} for {queue}",
    )


def _reasons(envelope: Envelope) -> str:
    factors = envelope.priority.factors if envelope.priority is not None else ()
    return orjson.dumps([
        {"name": f.name, "points": round(f.contribution, 2), "reason": f.reason} for f in factors
    ]).decode()  # fmt: skip


def _chunks(
    values: Sequence[object] | list[int] | list[str], size: int = 500
) -> list[list[object]]:
    items = list(values)
    return [items[i : i + size] for i in range(0, len(items), size)]
