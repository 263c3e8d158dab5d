"""Four weeks of past care work for the demo, so its reports have history to read.

The live stream is a time-lapse (20 posts a second, an outage every few minutes), so a
fresh demo has only minutes of cases: the staffing forecast is flat and the charts by week
are one point. This writes what a card issuer's desk would have seen over the weeks before:
cases arriving with a daily and weekly rhythm (US Eastern, busiest on weekday afternoons,
quiet at night and at weekends), each on a post the demo's own models and rules read, first
answered when the Monday-Friday 09:00-22:00 desk was open, resolved, and sometimes rated.

It is idempotent: every hour's cases are drawn from a generator seeded by that hour, under
source ids made from it ("hist-YYYYMMDDHH-n"), and only hours after the newest one already
written are added, so a restart writes nothing twice and a demo restarted days later gets
the days in between.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from rapport.demo.stream import DEFAULT_START, generate_posts
from rapport.demo.team import AGENT_NAME
from rapport.errors import ConfigError
from rapport.measure.staffing import Schedule, wait_until_staffed
from rapport.pipeline.build import settings_stages, sla_book
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope, Post, RoutingDecision
from rapport.records.desk import seen_by
from rapport.records.past_cases import PastCase
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.demo import insert_past_cases, newest_post_with_prefix
from rapport.tenancy import OPERATOR

WEEKS = 4
PREFIX = "hist-"
# The desk the dashboards' staffing chart assumes by default, and the demo's time zone.
DESK = {"mon-fri": "09:00-22:00", "timezone": "America/New_York", "agents": 6}
ZONE = ZoneInfo("America/New_York")
PEAK_PER_HOUR = 60.0  # cases in a Monday afternoon hour, before the noise
POOL = 4000  # generated posts the models read once; history reuses the care ones
CUSTOMER_POSTS = 30_000  # a stream this long has a cast of about 3,000 to draw customers from
TWINS = 4  # each of the cast stands for this many customers (see `seed_history`)

# Share of the peak per local hour: people write on their commute, at lunch, after dinner.
_WEEKDAY = (0.16, 0.11, 0.08, 0.07, 0.08, 0.13, 0.26, 0.48, 0.72, 0.9, 0.98, 1.0,
            0.97, 0.98, 0.95, 0.9, 0.84, 0.78, 0.77, 0.8, 0.74, 0.6, 0.44, 0.28)  # fmt: skip
_WEEKEND = (0.22, 0.16, 0.11, 0.08, 0.07, 0.08, 0.12, 0.2, 0.33, 0.48, 0.6, 0.68,
            0.72, 0.72, 0.7, 0.68, 0.66, 0.64, 0.66, 0.68, 0.62, 0.52, 0.4, 0.3)  # fmt: skip
_DAY = (1.0, 0.94, 0.9, 0.9, 0.86, 0.62, 0.55)  # Monday's backlog of the weekend first
_HOUR = timedelta(hours=1)


def expected_cases(hour: datetime) -> float:
    """Mean cases opened in the hour starting at `hour` (aware)."""
    local = hour.astimezone(ZONE)
    shape = _WEEKDAY if local.weekday() < 5 else _WEEKEND
    return PEAK_PER_HOUR * _DAY[local.weekday()] * shape[local.hour]


@dataclass(frozen=True)
class Seeded:
    hours: int
    cases: int
    surveys: int


def _care_pool(settings: Settings, seed: int) -> list[Envelope]:
    """Root posts of a generated stream that the demo's rules would open a case for, as
    its models and rules read them (the rule desk's test: routed, not suppressed, not spam,
    and a rule or the priority asked for it)."""
    own = {h.lower() for h in settings.own_handles}
    runner = Runner(settings_stages(settings, enrich=True))
    # A fixed start, so the same seed always reads the same pool, whenever the demo starts.
    posts = [
        Envelope(post=msgspec.convert(data, Post, strict=False))
        for data in generate_posts(POOL, seed=seed, start=DEFAULT_START)
    ]
    pool = []
    for at in range(0, len(posts), 1000):
        batch = Batch(source="demo history pool", items=tuple(posts[at : at + 1000]))
        for e in runner.process(batch).items:
            routing, enrichment = _routing(e), e.enrichment
            if (
                e.post.reply_to_id is None
                and e.post.author.handle.lower() not in own
                and routing is not None
                and routing.queue
                and not routing.suppressed
                and enrichment is not None
                and (enrichment.intent is None or enrichment.intent.label != "spam")
                and (routing.rule_id is not None
                     or (e.priority is not None and e.priority.score >= settings.case_priority))
            ):  # fmt: skip
                pool.append(e)
    if not pool:
        raise ConfigError(
            f"none of {POOL} generated posts would open a case under the rules in "
            f"{settings.rules or '(none)'}; give the demo rules that route its complaints"
        )
    return pool


def _customers(settings: Settings, seed: int) -> dict[str, list[Author]]:
    """The people of a longer generated stream, by the language they write in: the pool's
    own few hundred authors would each have had a case every other day."""
    own = {h.lower() for h in settings.own_handles}
    found: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for data in generate_posts(CUSTOMER_POSTS, seed=seed, start=DEFAULT_START):
        author = data["author"]
        if author["handle"].lower() not in own:
            found[data.get("lang") or "und"].setdefault(author["source_id"], author)
    return {
        lang: [msgspec.convert(a, Author, strict=False) for a in authors.values()]
        for lang, authors in found.items()
    }


def _newest_seeded(database: Database) -> datetime | None:
    with database.reading() as conn:
        return newest_post_with_prefix(conn, PREFIX)


def _hours(first: datetime, end: datetime) -> Iterator[datetime]:
    hour = first
    while hour < end:
        yield hour
        hour += _HOUR


def seed_history(
    database: Database,
    settings: Settings,
    *,
    now: datetime | None = None,
    seed: int = 7,
    weeks: int = WEEKS,
) -> Seeded:
    """Write the missing hours of the `weeks` weeks of care history before `now`'s hour."""
    end = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = end - timedelta(weeks=weeks)
    newest = _newest_seeded(database)
    if newest is not None:
        first = max(first, newest.replace(minute=0, second=0, microsecond=0) + _HOUR)
    if first >= end:
        return Seeded(0, 0, 0)
    pool = _care_pool(settings, seed)
    by_lang = _customers(settings, seed)
    everyone = [author for authors in by_lang.values() for author in authors]
    book, desk = sla_book(settings), Schedule.from_spec(DESK)
    written = Seeded(0, 0, 0)
    day: list[tuple[Envelope, _Case]] = []
    for hour in _hours(first, end):
        rng = random.Random(f"{seed}/{hour:%Y%m%d%H}")
        # Nobody answers before the desk opens: when it is closed, the wait runs to then.
        closed = wait_until_staffed(hour, desk) or timedelta(0)
        for i in range(_poisson(rng, expected_cases(hour))):
            template = rng.choice(pool)
            authors = by_lang.get(template.post.lang or "und") or everyone
            author, twin = rng.choice(authors), rng.randrange(TWINS)
            if twin:  # a namesake: a cast of thousands is too few customers for a month
                author = msgspec.structs.replace(
                    author, source_id=f"{author.source_id}{twin}", handle=f"{author.handle}{twin}"
                )
            created = hour + timedelta(seconds=rng.uniform(0, 3600))
            post = msgspec.structs.replace(
                template.post, source_id=f"{PREFIX}{hour:%Y%m%d%H}-{i}", created_at=created,
                conversation_id=f"{PREFIX}{hour:%Y%m%d%H}-{i}",
                author=author,
            )  # fmt: skip
            envelope = msgspec.structs.replace(template, post=post)
            limit = book.config.policy_for(_team(envelope)).first_response
            wait = max(timedelta(0), closed - (created - hour)) if closed else timedelta(0)
            day.append((envelope, _Case.draw(rng, created, wait, limit, end)))
        if len(day) >= 2000 or hour + _HOUR >= end:
            cases, surveys = _write(database, book.policy_name, day)
            written = Seeded(written.hours, written.cases + cases, written.surveys + surveys)
            day = []
    return Seeded(int((end - first) / _HOUR), written.cases, written.surveys)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: the means here are small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _routing(envelope: Envelope) -> RoutingDecision | None:
    """The operator's decision: the demo's history is the operator's."""
    return seen_by(OPERATOR, envelope).routing


def _team(envelope: Envelope) -> str:
    routing = _routing(envelope)
    assert routing is not None
    assert routing.queue is not None  # the pool holds routed posts only
    return routing.queue


@dataclass(frozen=True)
class _Case:
    """When a past case was answered and resolved, whether it kept its first-response
    target, and the Net Promoter answer its customer gave (if any)."""

    opened: datetime
    replied: datetime
    resolved: datetime
    breached: bool
    score: int | None
    answered: datetime

    @classmethod
    def draw(
        cls, rng: random.Random, opened: datetime, closed: timedelta,
        limit: timedelta | None, end: datetime,
    ) -> _Case:  # fmt: skip
        # The desk's first answer comes a few minutes after it is open, later when busy.
        busy = 1.8 if expected_cases(opened) > 45 else 1.0
        minutes = rng.lognormvariate(math.log(9.0 * busy), 0.7)
        replied = min(opened + closed + timedelta(minutes=minutes), end - timedelta(minutes=2))
        resolved = min(replied + timedelta(hours=rng.lognormvariate(math.log(3.0), 0.8)),
                       end - timedelta(minutes=1))  # fmt: skip
        breached = limit is not None and replied - opened > limit
        score = None
        if rng.random() < 0.4:  # the share of customers who answer the survey
            # Kept promises make promoters; a night's wait makes detractors.
            weights = (0.5, 0.2, 0.3) if breached else (0.1, 0.22, 0.68)
            low, high = rng.choices(((0, 6), (7, 8), (9, 10)), weights)[0]
            score = rng.randint(low, high)
        replied, resolved = max(replied, opened), max(resolved, replied, opened)
        answered = min(resolved + timedelta(minutes=rng.uniform(5, 120)), end)
        return cls(opened, replied, resolved, breached, score, max(answered, resolved))


def _write(
    database: Database, policy_name: Callable[[str | None], str],
    drawn: list[tuple[Envelope, _Case]],
) -> tuple[int, int]:  # fmt: skip
    """Posts (with what the models said) through the store, then their cases in one
    transaction: only for posts this call stored, so a rerun adds nothing."""
    posts = [e.post for e, _ in drawn]
    inserted = database.store_batch(posts, analyses={(e.post.network, e.post.source_id): e
                                                     for e, _ in drawn})  # fmt: skip
    fresh = [(e, c) for e, c in drawn if (e.post.network, e.post.source_id) in inserted.ids]
    if not fresh:
        return 0, 0

    past = []
    for envelope, case in fresh:
        post, enrichment = envelope.post, envelope.enrichment
        team = _team(envelope)
        past.append(PastCase(
            post_id=inserted.ids[(post.network, post.source_id)], network=post.network,
            conversation_id=post.conversation_id, customer_id=post.author.source_id,
            customer_handle=post.author.handle, team=team,
            priority=envelope.priority.score if envelope.priority else 0.0,
            tags=routing.tags if (routing := _routing(envelope)) else (),
            lang=enrichment.lang if enrichment else None,
            intent=enrichment.intent.label if enrichment and enrichment.intent else None,
            sla_policy=policy_name(team), breached=case.breached, opened=case.opened,
            replied=case.replied, resolved=case.resolved, agent=AGENT_NAME, score=case.score,
            answered=case.answered,
        ))  # fmt: skip
    return database.write(lambda conn: insert_past_cases(conn, past))
