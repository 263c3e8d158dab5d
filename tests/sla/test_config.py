"""SLA config: the YAML format, the built-in default, durations, and errors that say the fix."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from rapport.errors import ConfigError
from rapport.nlp.intent import TEAMS
from rapport.sla import SlaClock, SlaConfig, SlaEvent, format_duration, parse_duration

EXAMPLE = """
calendars:
  london_office: {timezone: Europe/London, hours: {mon-fri: "09:00-17:30"}, holidays: [2026-12-25, 2026-12-26]}
  always: {always_open: true}
policies:
  standard: {calendar: london_office, first_response: 4h, next_response: 8h, resolution: 3d, warn_at: 0.8}
  urgent:   {calendar: always, first_response: 15m, resolution: 4h}
teams: {fraud_and_security: urgent, default: standard}
"""  # noqa: E501
H = timedelta(hours=1)


def parse(text: str) -> SlaConfig:
    return SlaConfig.parse(yaml.safe_load(text), source="sla.yaml")


def with_changes(**sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE)
    for name, entries in sections.items():
        data[name] = data.get(name, {}) | entries
    return data


def test_the_example_file() -> None:
    config = parse(EXAMPLE)

    urgent, standard = config.policy_for("fraud_and_security"), config.policy_for("cards")
    assert (urgent.name, urgent.first_response, urgent.resolution) == (
        "urgent",
        timedelta(minutes=15),
        timedelta(hours=4),
    )
    assert (urgent.next_response, urgent.warn_at, urgent.calendar.always_open) == (None, 0.75, True)
    assert (standard.name, standard.resolution, standard.warn_at) == ("standard", 3 * 24 * H, 0.8)
    office = standard.calendar
    assert office.holidays == {date(2026, 12, 25), date(2026, 12, 26)}
    assert office.is_open(datetime(2026, 12, 24, 12, tzinfo=UTC))
    assert not office.is_open(datetime(2026, 12, 25, 12, tzinfo=UTC))
    assert config.policy_for("spanish_desk") is standard  # a queue a rule invented
    assert config.policy_for(None) is standard


def test_a_policy_from_the_file_runs_a_clock() -> None:
    policy = parse(EXAMPLE).policy_for("payments")
    friday = datetime(2026, 3, 6, 16, tzinfo=UTC)
    status = SlaClock(policy, [SlaEvent(friday, "opened")]).status(friday)
    assert status.next_due == datetime(2026, 3, 9, 11, 30, tzinfo=UTC)


def test_the_built_in_default_covers_every_team() -> None:
    config = SlaConfig.load(None)
    assert set(TEAMS) <= set(config.teams)
    fraud, general = config.policy_for("fraud_and_security"), config.policy_for("general")
    assert fraud.first_response is not None
    assert general.first_response is not None
    assert fraud.first_response < general.first_response
    assert all(policy.calendar.always_open for policy in config.policies.values())


def test_load_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert SlaConfig.load(path).source == str(path)
    with pytest.raises(ConfigError, match="cannot read the SLA file"):
        SlaConfig.load(tmp_path / "missing.yaml")
    path.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="the file is empty"):
        SlaConfig.load(path)


def test_several_intervals_and_quoted_holidays() -> None:
    hours = {"mon-fri": ["08:00-12:00", "13:00-17:00"], "sat": "10:00-12:00, 13:00-14:00"}
    data = with_changes(
        calendars={"shop": {"timezone": "UTC", "hours": hours, "holidays": ["2026-05-01"]}},
        policies={"shop": {"calendar": "shop", "resolution": "1h30m"}},
    )
    config = SlaConfig.parse(data)
    calendar = config.calendars["shop"]
    saturday = datetime(2026, 3, 7, 11, 30, tzinfo=UTC)
    assert calendar.add(saturday, H) == datetime(2026, 3, 7, 13, 30, tzinfo=UTC)
    assert not calendar.is_open(datetime(2026, 5, 1, 9, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("3d", timedelta(days=3)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        (" 2w ", timedelta(weeks=2)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected


@pytest.mark.parametrize("text", ["", "4", "4 hours", "h", "1h1h", "-1h", "0m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError, match=r"'15m', '4h', '3d' or '1h30m'|zero"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            with_changes(
                calendars={"ny": {"timezone": "America/New_Yrok", "hours": {"mon": "9:00-17:00"}}}
            ),
            "calendar 'ny': unknown time zone 'America/New_Yrok'; use an IANA name",
        ),
        (
            with_changes(calendars={"ny": {"hours": {"mon-fri": "9-17"}}}),
            "calendar 'ny': hours 'mon-fri': '9-17' is not an interval such as '09:00-17:30'",
        ),
        (
            with_changes(calendars={"ny": {"hours": {"mon-fri": "17:00-09:00"}}}),
            "calendar 'ny': hours 'mon-fri': '17:00-09:00' ends before it starts; an interval"
            " may not cross midnight",
        ),
        (
            with_changes(calendars={"ny": {"hours": {"mon-fry": "09:00-17:00"}}}),
            "calendar 'ny': hours 'mon-fry': 'mon-fry' is not a day or a range of days; use mon",
        ),
        (
            with_changes(calendars={"ny": {"hours": {"mon": "09:00-25:00"}}}),
            "'09:00-25:00' has a time that is not on a 24-hour clock",
        ),
        (
            with_changes(calendars={"ny": {"timezone": "UTC"}}),
            "calendar 'ny': has no opening hours",
        ),
        (
            with_changes(calendars={"ny": {"always_open": True, "hours": {"mon": "09:00-17:00"}}}),
            "calendar 'ny': give either hours or always_open: true, not both",
        ),
        (
            with_changes(calendars={"ny": {"hour": {"mon": "09:00-17:00"}}}),
            "calendar 'ny': Object contains unknown field `hour`",
        ),
        (
            with_changes(policies={"vip": {"calendar": "londn_office", "first_response": "1h"}}),
            "policy 'vip': calendar 'londn_office' is not defined; define it under calendars: or"
            " use one of: always, london_office",
        ),
        (
            with_changes(policies={"vip": {"first_response": "1 hour"}}),
            "policy 'vip', first_response: '1 hour' is not a duration; write it like '15m'",
        ),
        (
            with_changes(policies={"vip": {"first_response": 60}}),
            "policy 'vip': Expected `str | null`, got `int` - at `first_response`",
        ),
        (
            with_changes(policies={"vip": {"calendar": "always"}}),
            "policy 'vip' measures nothing",
        ),
        (
            with_changes(policies={"vip": {"resolution": "1h", "warn_at": 75}}),
            "policy 'vip': warn_at is 75; give the share of a target",
        ),
        (
            with_changes(teams={"cards": "platinum"}),
            "teams: 'cards' uses policy 'platinum', which is not defined; define it under"
            " policies: or use one of: standard, urgent",
        ),
        (
            {"policies": {"standard": {"resolution": "1d"}}},
            "teams: no 'default' entry; add `default: <policy>`",
        ),
    ],
)
def test_errors_name_the_place_the_value_and_the_fix(data: Any, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        SlaConfig.parse(data, source="sla.yaml")
    assert str(raised.value).startswith("sla.yaml: ")
    assert message in str(raised.value)


def test_the_example_in_the_docs_loads() -> None:
    page = (Path(__file__).parents[2] / "docs" / "sla.md").read_text(encoding="utf-8")
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = parse(example)
    assert config.policy_for("cards").calendar.name == "london_office"
    assert config.policy_for("fraud_and_security").name == "urgent"
