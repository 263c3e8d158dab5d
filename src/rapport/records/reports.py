"""The rows of the reports (the API's charts and their CSV, and the scheduled HTML page),
and each report as the API returns it: its parameters, its summary figures and its rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NpsRow:
    """Net Promoter of one group, with its 95% interval (None without answers)."""

    key: str
    promoters: int
    passives: int
    detractors: int
    total: int
    nps: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class NpsOverall:
    total: int
    nps: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class NpsReport:
    by: str
    days: int
    overall: NpsOverall
    items: list[NpsRow]


@dataclass(frozen=True, slots=True)
class VolumeRow:
    key: str
    posts: int


@dataclass(frozen=True, slots=True)
class VolumeReport:
    by: str
    days: int
    items: list[VolumeRow]


@dataclass(frozen=True, slots=True)
class TrendRow:
    """Posts of one hour ("YYYY-MM-DD HH:00") or day by sentiment; `unscored` were stored
    without what the models said."""

    key: str
    negative: int
    neutral: int
    positive: int
    unscored: int
    total: int


@dataclass(frozen=True, slots=True)
class TrendReport:
    by: str | None
    key: str | None
    days: int
    step: str
    items: list[TrendRow]


@dataclass(frozen=True, slots=True)
class ResponseTimeRow:
    key: str
    cases: int


@dataclass(frozen=True, slots=True)
class ResponseTimesReport:
    days: int
    answered: int
    median_minutes: float | None
    p90_minutes: float | None
    sla_met_share: float | None
    items: list[ResponseTimeRow]


@dataclass(frozen=True, slots=True)
class StaffingRow:
    hour_of_week: int
    needed: int
    scheduled: int


@dataclass(frozen=True, slots=True)
class StaffingSummary:
    waited_over_an_hour: float
    urgent_posts: int
    summary: list[str]
    items: list[StaffingRow]


@dataclass(frozen=True, slots=True)
class InfluencerRow:
    """An author who posted in the window: reach, and how many posts, how many negative."""

    handle: str
    followers: int
    verified: bool
    posts: int
    negative: int


@dataclass(frozen=True, slots=True)
class InfluencersReport:
    days: int
    items: list[InfluencerRow]


@dataclass(frozen=True, slots=True)
class AlertHour:
    key: str
    alerts: int


@dataclass(frozen=True, slots=True)
class SpikesReport:
    days: int
    items: list[AlertHour]
