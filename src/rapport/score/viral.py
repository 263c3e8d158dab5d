"""Going viral: a post whose replies, reposts and quotes arrive fast.

Each reference to a post (a reply to it, a repost or a quote of it) is counted in a sliding
window of stream time. A post that gathers `threshold` references within the window is
going viral, and is reported once. Only references the stream carries count, so a replay of
the same stream reports the same posts at the same moments.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapport.records import Post


@dataclass(frozen=True)
class Viral:
    network: str
    source_id: str
    count: int
    window: timedelta
    first_seen: datetime
    detected_at: datetime

    @property
    def reason(self) -> str:
        minutes = self.window.total_seconds() / 60
        return (
            f"post {self.source_id} on {self.network} drew {self.count} replies, reposts and "
            f"quotes within {minutes:g} minutes"
        )


@dataclass
class ViralTracker:
    window: timedelta = timedelta(minutes=10)
    threshold: int = 50
    max_tracked: int = 200_000
    _times: dict[tuple[str, str], deque[datetime]] = field(default_factory=dict)
    _reported: set[tuple[str, str]] = field(default_factory=set)

    def add(self, post: Post) -> Viral | None:
        """Count the post's reference (if any); the referenced post if it just went viral."""
        target = post.repost_of_id or post.reply_to_id or post.quote_of_id
        if target is None:
            return None
        key = (post.network, target)
        if key in self._reported:
            return None
        times = self._times.get(key)
        if times is None:
            if len(self._times) >= self.max_tracked:
                self._evict(post.created_at)
            times = self._times[key] = deque()
        at = post.created_at
        times.append(at)
        while times and times[0] < at - self.window:
            times.popleft()
        if len(times) < self.threshold:
            return None
        self._reported.add(key)
        del self._times[key]
        return Viral(post.network, target, len(times), self.window, times[0], at)

    def _evict(self, now: datetime) -> None:
        """Drop targets with no reference inside the window; then the oldest half if needed."""
        horizon = now - self.window
        stale = [k for k, t in self._times.items() if not t or t[-1] < horizon]
        for key in stale:
            del self._times[key]
        if len(self._times) >= self.max_tracked:
            by_age = sorted(self._times, key=lambda k: self._times[k][-1])
            for key in by_age[: len(by_age) // 2]:
                del self._times[key]
        if len(self._reported) > self.max_tracked:
            self._reported.clear()
