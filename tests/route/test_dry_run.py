"""A dry-run over stored history decides exactly what the real run decided for each post."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import msgspec
import yaml
from typer.testing import CliRunner

from rapport.cli import app
from rapport.demo.stream import generate_posts
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.records import Batch, Envelope, Post
from rapport.route.dry_run import dry_run
from rapport.route.rules import RuleSet
from rapport.store import Database
from rapport.store.history import analysed_since

RULES = """
rules:
  - id: vip
    when: {followers: ">=50000"}
    then: {tag: [vip]}
    continue: true
  - id: fraud-first
    when: {urgency: critical}
    then: {route: fraud_and_security, set_priority: 95}
  - id: hot
    when: {priority: ">=40"}
    then: {route: escalations, tag: [hot]}
  - id: outage
    when: {query: 'down OR outage OR "not working" OR #novacarddown'}
    then: {route: digital}
  - id: no-spam
    when: {intent: [spam]}
    then: {suppress: true}
"""


def test_dry_run_equals_the_real_run_over_the_same_history(
    database: Database, tmp_path: Path
) -> None:
    rules = RuleSet.parse(yaml.safe_load(RULES))
    runner = Runner([*analysis_stages(enrich=True)[:-1], RouteStage(rules), PersistStage(database)])
    posts = [msgspec.convert(p, Post, strict=False) for p in generate_posts(600, seed=4)]
    for start in range(0, len(posts), 200):
        runner.process(
            Batch(source="t", items=tuple(Envelope(post=p) for p in posts[start : start + 200]))
        )

    stored = {}
    cursor = None
    while True:
        page = database.list_posts(limit=200, before_id=cursor)
        for item in page.items:
            assert item.analysis is not None
            stored[item.id] = item.analysis.routing
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    report = dry_run(rules, analysed_since(database, datetime(2000, 1, 1, tzinfo=UTC)))
    assert report.posts == len(stored) > 500
    for post_id, decision in report.decisions.items():
        assert msgspec.json.decode(msgspec.json.encode(decision)) == stored[post_id], post_id
    assert len(report.by_rule) >= 4  # the history exercises most rules

    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(RULES, encoding="utf-8")
    url = database.url.render_as_string(hide_password=False)
    cli = CliRunner()
    shown = cli.invoke(
        app, ["rules", "dry-run", str(rules_file), "--days", "100000", "--database-url", url]
    )
    assert shown.exit_code == 0, shown.output
    assert "fraud-first" in shown.output
    checked = cli.invoke(app, ["rules", "check", str(rules_file)])
    assert "5 rule(s), all valid" in checked.output
