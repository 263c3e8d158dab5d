"""The scheduled report: one self-contained HTML page of the week's figures (NPS overall
and per team, first-response times, volume by language, the staffing gap), written to a
folder every few hours or on demand (`rapport report DIR`).

Everything from the data is escaped: team names and languages came from configuration and
models, but a report is opened in a browser, so nothing in it may be markup.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapport.measure.nps import nps, nps_by
from rapport.measure.report import staffing_report
from rapport.periodic import Periodic
from rapport.store import Database
from rapport.store.reports import first_responses, nps_answers, quantile, volume

DEFAULT_DESK = {"mon-fri": "09:00-22:00", "timezone": "America/New_York", "agents": 6}


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}"


def render_report(
    database: Database, *, tenant: str = "default", now: datetime | None = None, days: int = 7
) -> str:
    moment = now or datetime.now(UTC)
    since = moment - timedelta(days=days)
    with database.reading() as conn:
        answers = nps_answers(conn, tenant, "team", since)
        minutes, met = first_responses(conn, tenant, since)
        languages = volume(conn, "lang", since)
    overall = nps(score for _, score in answers)
    teams = nps_by(answers)
    staffing = staffing_report(database, DEFAULT_DESK)
    sections = [
        f"<h1>Rapport: the week to {html.escape(f'{moment:%Y-%m-%d %H:%M} UTC')}</h1>",
        "<h2>Net Promoter</h2>",
        f"<p>NPS {_score(overall.score)} from {overall.total} answers "
        f"(95% interval {_score(overall.low)} to {_score(overall.high)})</p>",
        _table(
            ["team", "answers", "NPS", "low", "high"],
            [
                [k, r.total, _score(r.score), _score(r.low), _score(r.high)]
                for k, r in sorted(teams.items())
            ],
        ),
        "<h2>First responses</h2>",
        f"<p>{len(minutes)} answered cases; median {quantile(minutes, 0.5)} min, 90% within "
        f"{quantile(minutes, 0.9)} min; SLA kept for {met} of them</p>",
        "<h2>Posts by language</h2>",
        _table(["language", "posts"], [[r.key, r.posts] for r in languages]),
        "<h2>Staffing (Monday-Friday 09:00-22:00, New York, 6 agents)</h2>",
        "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in staffing.lines()) + "</ul>",
    ]
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto}td,th{padding:.2rem .6rem}"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Rapport weekly report</title><style>{style}</style></head><body>"
        + "".join(sections)
        + "</body></html>"
    )


def write_report(database: Database, directory: Path, *, now: datetime | None = None) -> Path:
    moment = now or datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"rapport-report-{moment:%Y%m%d-%H%M}.html"
    path.write_text(render_report(database, now=moment), encoding="utf-8")
    return path


class ReportSchedule(Periodic):
    """Writes the report into `directory` now and then every `hours`; a full disk or a busy
    database only costs that turn."""

    def __init__(self, database: Database, directory: Path, hours: float) -> None:
        super().__init__("report", hours * 3600, first_at_start=True)
        self.database, self.directory = database, directory

    def run_once(self) -> Path:
        return write_report(self.database, self.directory)
