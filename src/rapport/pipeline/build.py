"""The default pipeline: which stages run, in which order, for a given configuration."""

from __future__ import annotations

from pathlib import Path

from rapport.nlp.alerts import AlertWords
from rapport.pipeline.enrich import Enricher, EnrichStage
from rapport.pipeline.enrichers import (
    ClassifierEnricher,
    ComplaintEnricher,
    IntentEnricher,
    LanguageEnricher,
    SentimentEnricher,
    UrgencyEnricher,
)
from rapport.pipeline.normalise import NormaliseStage
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.pipeline.score import ScoreStage
from rapport.pipeline.stage import Stage
from rapport.route.rules import RuleSet
from rapport.settings import Settings
from rapport.store import Database


def enrichers(
    *,
    enrich: bool,
    team_map: Path | None = None,
    classifiers_dir: Path | None = None,
    alert_words: Path | None = None,
) -> list[Enricher]:
    """Every shipped enricher in dependency order, or none when enrichment is off."""
    if not enrich:
        return []
    found: list[Enricher] = [
        LanguageEnricher(),
        SentimentEnricher(),
        ComplaintEnricher(),
        IntentEnricher(team_map),
        UrgencyEnricher(AlertWords.load(alert_words) if alert_words else None),
    ]
    if classifiers_dir is not None:
        found.append(ClassifierEnricher(classifiers_dir))
    return found


def analysis_stages(
    *,
    enrich: bool,
    team_map: Path | None = None,
    classifiers_dir: Path | None = None,
    alert_words: Path | None = None,
    rules: Path | None = None,
) -> list[Stage]:
    """Everything before persistence: what `rapport enrich` runs without a database."""
    chosen = enrichers(
        enrich=enrich,
        team_map=team_map,
        classifiers_dir=classifiers_dir,
        alert_words=alert_words,
    )
    if not chosen:
        return [NormaliseStage(), EnrichStage(chosen)]
    rule_set = RuleSet.load(rules) if rules else None
    return [NormaliseStage(), EnrichStage(chosen), ScoreStage(), RouteStage(rule_set)]


def settings_stages(settings: Settings, *, enrich: bool | None = None) -> list[Stage]:
    return analysis_stages(
        enrich=settings.enrich if enrich is None else enrich,
        team_map=settings.team_map_path,
        classifiers_dir=settings.classifiers_dir,
        alert_words=Path(settings.alert_words) if settings.alert_words else None,
        rules=Path(settings.rules) if settings.rules else None,
    )


def build_runner(settings: Settings, database: Database, *, enrich: bool | None = None) -> Runner:
    stages = [*settings_stages(settings, enrich=enrich), PersistStage(database)]
    return Runner(stages, queue_batches=settings.queue_batches)
