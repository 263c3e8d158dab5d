"""The SLA clock of one case, computed from its events.

Reading the events once turns each target into a track: when its clock ran, paused and
stopped. Everything else is arithmetic on those tracks, so `status(now)` costs a few
calendar steps and a queue can ask it of every case on every refresh. Answers depend only
on the events at or before the instant asked about, which makes `status` replayable and
lets `transitions` hand a scheduler each warning and breach exactly once.

How events move the clocks:

- `opened` (or the first `customer_message`) starts first_response and resolution.
- `agent_reply` meets first_response and the running next_response.
- `customer_message` after an agent reply starts a next_response clock, unless one runs.
- `waiting_on_customer` pauses every running clock; `customer_message` or `reopened` resumes.
- `resolved` stops every clock; resolving also counts as the responses it makes moot.
- `reopened` (or a `customer_message` on a resolved case) resumes resolution where it stopped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from rapport.sla.calendar import require_aware
from rapport.sla.policy import (
    AGENT_REPLY,
    CUSTOMER_MESSAGE,
    OPENED,
    REOPENED,
    RESOLVED,
    WAITING_ON_CUSTOMER,
    ClockEvent,
    SlaPolicy,
    SlaStatus,
    SlaTransition,
    State,
    TargetName,
    TargetStatus,
    TransitionKind,
)

_Phase = Literal["running", "paused", "stopped"]
_ZERO = timedelta(0)
_END_OF_TIME = datetime.max.replace(tzinfo=UTC)
_RANK: dict[State, int] = {"met": 0, "ok": 1, "warning": 2, "breached": 3}


@dataclass(frozen=True)
class _Track:
    """One target's clock: its phase changes, the spans it ran, and their business lengths."""

    target: TargetName
    cycle: int
    limit: timedelta
    warning: timedelta
    times: tuple[datetime, ...]  # when the phase changed; the first is the start
    phases: tuple[_Phase, ...]
    starts: tuple[datetime, ...]  # running spans: starts[i] to ends[i] (None: still running)
    ends: tuple[datetime | None, ...]
    used_before: tuple[timedelta, ...]  # business time of spans 0..i-1, for each i


class _Run:
    """A track while the events are still being read."""

    __slots__ = ("changes", "cycle", "target")

    def __init__(self, target: TargetName, cycle: int, at: datetime) -> None:
        self.target, self.cycle = target, cycle
        self.changes: list[tuple[datetime, _Phase]] = [(at, "running")]

    @property
    def phase(self) -> _Phase:
        return self.changes[-1][1]

    def move(self, at: datetime, phase: _Phase) -> None:
        if self.phase != phase:
            self.changes.append((at, phase))


class SlaClock:
    """The SLA of one case under `policy`, from its events (any order; ties keep theirs)."""

    __slots__ = ("_crossings", "_tracks", "opened_at", "policy")

    def __init__(self, policy: SlaPolicy, events: Iterable[ClockEvent]) -> None:
        self.policy = policy
        timed = [
            (require_aware(event.at, f"event {event.kind!r} at"), event.kind) for event in events
        ]
        timed.sort(key=lambda pair: pair[0])
        runs, self.opened_at = _read(policy, timed)
        self._tracks = tuple(self._track(run) for run in runs)
        self._crossings: dict[tuple[int, timedelta, int, bool], datetime | None] = {}

    def status(self, now: datetime) -> SlaStatus:
        """Every target as of `now` (times in UTC), from the events at or before `now`."""
        at = require_aware(now, "status(now)")
        latest: dict[TargetName, TargetStatus] = {}
        for index, track in enumerate(self._tracks):
            status = self._status(index, track, at)
            if status is not None:  # tracks are in start order: a later cycle replaces one
                latest[track.target] = status
        statuses = list(latest.values())
        running = [s for s in statuses if s.met_at is None and not s.paused]
        dues = [s.due for s in running if s.due is not None]
        coming = [t for s in running for t in (s.warns_at, s.due) if t is not None and t > at]
        return SlaStatus(
            policy=self.policy.name,
            at=at,
            state=max((s.state for s in statuses), key=_RANK.__getitem__, default="ok"),
            first_response=latest.get("first_response"),
            next_response=latest.get("next_response"),
            resolution=latest.get("resolution"),
            next_due=min(dues, default=None),
            next_change=min(coming, default=None),
            paused=any(s.paused for s in statuses),
        )

    def next_deadline(self, now: datetime) -> datetime | None:
        """The earliest due instant of a running target, overdue ones included: a queue's key."""
        return self.status(now).next_due

    def transitions(self, since: datetime, until: datetime) -> list[SlaTransition]:
        """Warnings and breaches at instants in (`since`, `until`], in time order.

        Consecutive windows never repeat or miss one, as long as no event is recorded with
        a time before the `until` already asked about.
        """
        first, last = (
            require_aware(since, "transitions(since)"),
            require_aware(until, "transitions(until)"),
        )
        found: list[SlaTransition] = []
        for index, track in enumerate(self._tracks):
            still_running = track.ends[-1] is None
            kinds: tuple[tuple[TransitionKind, timedelta], ...] = (
                ("warning", track.warning),
                ("breach", track.limit),
            )
            for kind, amount in kinds:
                at = self._crossing(index, track, amount, len(track.starts), still_running)
                if at is None or not first < at <= last:
                    continue
                if track.phases[bisect_right(track.times, at) - 1] == "stopped":
                    continue  # met at that very instant
                found.append(
                    SlaTransition(at=at, target=track.target, kind=kind, cycle=track.cycle)
                )
        found.sort(key=lambda transition: transition.at)
        return found

    def _track(self, run: _Run) -> _Track:
        starts: list[datetime] = []
        ends: list[datetime | None] = []
        for at, phase in run.changes:
            if phase == "running":
                starts.append(at)
                ends.append(None)
            elif ends and ends[-1] is None:
                ends[-1] = at
        used_before = [_ZERO]
        for start, end in zip(starts, ends, strict=True):
            if end is not None:
                used_before.append(used_before[-1] + self.policy.calendar.between(start, end))
        limit = self.policy.limit(run.target)
        assert limit is not None  # only targets the policy measures get a run
        return _Track(
            target=run.target,
            cycle=run.cycle,
            limit=limit,
            warning=limit * self.policy.warn_at,
            times=tuple(at for at, _ in run.changes),
            phases=tuple(phase for _, phase in run.changes),
            starts=tuple(starts),
            ends=tuple(ends),
            used_before=tuple(used_before),
        )

    def _status(self, index: int, track: _Track, now: datetime) -> TargetStatus | None:
        changed = bisect_right(track.times, now)
        if changed == 0:
            return None
        phase, phase_since = track.phases[changed - 1], track.times[changed - 1]
        begun = bisect_right(track.starts, now)
        last_end = track.ends[begun - 1]
        running = last_end is None or last_end > now
        closed = begun - 1 if running else begun
        used = track.used_before[closed]
        if running:
            used += self.policy.calendar.between(track.starts[begun - 1], now)
        due = self._crossing(index, track, track.limit, begun, running)
        warns_at = self._crossing(index, track, track.warning, begun, running)
        state: State
        if phase == "stopped":
            state = "breached" if due is not None and due < phase_since else "met"
            if due is None and last_end == phase_since:  # met while running: when it was due
                due = self._crossing(index, track, track.limit, begun, True)
        elif due is not None and due <= now:
            state = "breached"
        elif warns_at is not None and warns_at <= now:
            state = "warning"
        else:
            state = "ok"
        return TargetStatus(
            target=track.target,
            limit=track.limit,
            state=state,
            started_at=track.times[0],
            used=used,
            remaining=track.limit - used,
            due=due,
            warns_at=warns_at,
            met_at=phase_since if phase == "stopped" else None,
            paused=phase == "paused",
            cycle=track.cycle,
        )

    def _crossing(
        self, index: int, track: _Track, amount: timedelta, begun: int, running: bool
    ) -> datetime | None:
        """When the first `begun` spans use up `amount`; the last runs on if `running`."""
        key = (index, amount, begun, running)
        if key in self._crossings:
            return self._crossings[key]
        closed = begun - 1 if running else begun
        # The first span whose end brings the used time to `amount` holds the crossing.
        span = bisect_left(track.used_before, amount, 1, closed + 1) - 1
        crossing: datetime | None = None
        if span < closed or running:
            crossing = self.policy.calendar.add(
                track.starts[span], amount - track.used_before[span]
            )
        self._crossings[key] = crossing
        return crossing


def _read(
    policy: SlaPolicy, events: list[tuple[datetime, str]]
) -> tuple[list[_Run], datetime | None]:
    """Play the events through the rules in the module docstring; runs in start order."""
    first: _Run | None = None
    resolution: _Run | None = None
    turn: _Run | None = None  # the running next_response clock
    turns: list[_Run] = []
    opened_at: datetime | None = None
    replied = paused = resolved = False

    def live() -> list[_Run]:
        return [run for run in (first, resolution, turn) if run and run.phase != "stopped"]

    for at, kind in events:
        if opened_at is None:
            if kind in (OPENED, CUSTOMER_MESSAGE):
                opened_at = at
                first = _Run("first_response", 0, at) if policy.first_response else None
                resolution = _Run("resolution", 0, at) if policy.resolution else None
            continue
        if kind == AGENT_REPLY:
            replied = True
            for run in (first, turn):
                if run is not None:
                    run.move(at, "stopped")
            turn = None
        elif kind == WAITING_ON_CUSTOMER and not (paused or resolved):
            paused = True
            for run in live():
                run.move(at, "paused")
        elif kind in (CUSTOMER_MESSAGE, REOPENED):
            if resolved and resolution is not None:
                resolution.move(at, "running")
            if paused:
                for run in live():
                    run.move(at, "running")
            resolved = paused = False
            if kind == CUSTOMER_MESSAGE and replied and turn is None and policy.next_response:
                turn = _Run("next_response", len(turns) + 1, at)
                turns.append(turn)
        elif kind == RESOLVED and not resolved:
            resolved, paused, replied = True, False, True
            for run in (first, turn, resolution):
                if run is not None:
                    run.move(at, "stopped")
            turn = None
    ordered = [run for run in (first, resolution) if run is not None] + turns
    return ordered, opened_at
