"""Rule conditions that vary per post or over time: business hours, queue load, bots.

They are checked after the conditions on what was said of a post (which a rule set
settles once per combination), so they cost nothing for posts whose facts rule them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Protocol

from rapport.errors import ConfigError
from rapport.records import Post
from rapport.sla import BusinessCalendar

PostCheck = Callable[[Post], bool]

# Handles a sign-up form hands out ("user84731922", "jane_k3829174"): many trailing digits.
_GENERATED_HANDLE = re.compile(r"^[A-Za-z_]{0,15}\d{6,}$")
BOT_POSTS_PER_DAY = 150


class QueueLoad(Protocol):
    def open_cases(self, queue: str) -> int: ...


class NoLoad:
    """Before any case exists (and in `rapport enrich`), every queue is empty."""

    def open_cases(self, queue: str) -> int:
        return 0


def looks_automated(post: Post) -> bool:
    """An explainable bot heuristic: an account posting more than `BOT_POSTS_PER_DAY` a day
    over its whole life, or a generated-looking handle that follows many and is followed by
    almost nobody."""
    author = post.author
    if author.created_at is not None and author.post_count:
        days = max((post.created_at - author.created_at).total_seconds() / 86_400, 1.0)
        if author.post_count / days > BOT_POSTS_PER_DAY:
            return True
    return bool(
        _GENERATED_HANDLE.match(author.handle) and author.followers < 10 and author.following > 500
    )


def calendar_check(
    name: str, wanted_open: bool, calendars: Mapping[str, BusinessCalendar], where: str
) -> PostCheck:
    calendar = calendars.get(name)
    if calendar is None:
        known = ", ".join(sorted(calendars)) or "none"
        raise ConfigError(
            f"{where}: calendar {name!r} is not defined; define it in the SLA file "
            f"(RAPPORT_SLA) or use one of: {known}"
        )

    def check(post: Post) -> bool:
        at = post.created_at if post.created_at.tzinfo else post.created_at.replace(tzinfo=UTC)
        return calendar.is_open(at) is wanted_open

    return check


def load_check(
    limits: Mapping[str, Callable[[float], bool]], load: Callable[[], QueueLoad]
) -> PostCheck:
    """Every named queue's open cases pass its comparison (read when the post is routed)."""
    items = tuple(limits.items())

    def check(post: Post) -> bool:
        current = load()
        return all(test(current.open_cases(queue)) for queue, test in items)

    return check


def all_of(checks: list[PostCheck]) -> PostCheck | None:
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda post: all(check(post) for check in checks)
