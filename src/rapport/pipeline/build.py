"""The default pipeline: which stages run, in which order, for a given configuration."""

from __future__ import annotations

from pathlib import Path

from rapport.actions.base import Actor, Context
from rapport.actions.rules import put_rules
from rapport.care.desk import CaseDesk, CasePolicy
from rapport.care.load import OpenCases
from rapport.care.sla_book import SlaBook
from rapport.listen.config import load_queries
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
from rapport.pipeline.listen import ListenStage
from rapport.pipeline.normalise import NormaliseStage
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.pipeline.score import ScoreStage
from rapport.pipeline.stage import Stage
from rapport.pipeline.tenancy import TenancyReload
from rapport.pipeline.volume import VolumeStage
from rapport.route.rules import RuleSet
from rapport.score.domain_traffic import DomainWeights
from rapport.score.priority import PriorityWeights
from rapport.score.volume import VolumeTracker
from rapport.settings import Settings
from rapport.store import Database
from rapport.tenancy import OPERATOR
from rapport.tenancy.setup import Defaults


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
    rules: RuleSet | Path | None = None,
    queries: Path | None = None,
    volume: VolumeTracker | None = None,
    weights: PriorityWeights | None = None,
    domains: Path | None = None,
    enrich_threads: int = 1,
) -> list[Stage]:
    """Everything before persistence: what `rapport enrich` runs without a database.

    normalise -> enrich -> listen -> volume -> score -> route. Volume runs before score so
    that belonging to a spike counts towards a post's priority.
    """
    chosen = enrichers(
        enrich=enrich,
        team_map=team_map,
        classifiers_dir=classifiers_dir,
        alert_words=alert_words,
    )
    if not chosen:
        return [NormaliseStage(), EnrichStage(chosen, threads=enrich_threads)]
    rule_set = RuleSet.from_file(rules) if isinstance(rules, Path) else rules
    return [
        NormaliseStage(),
        EnrichStage(chosen, threads=enrich_threads),
        # Always here, even with no queries file: tenants may save queries of their own.
        ListenStage(load_queries(queries) if queries else []),
        VolumeStage(volume),
        ScoreStage(weights, domains=DomainWeights.load(domains)),
        RouteStage(rule_set),
    ]


def settings_stages(
    settings: Settings, *, enrich: bool | None = None, rules: RuleSet | None = None
) -> list[Stage]:
    return analysis_stages(
        enrich=settings.enrich if enrich is None else enrich,
        team_map=settings.team_map_path,
        classifiers_dir=settings.classifiers_dir,
        alert_words=Path(settings.alert_words) if settings.alert_words else None,
        rules=rules
        if rules is not None
        else (
            RuleSet.from_file(Path(settings.rules), calendars=sla_book(settings).config.calendars)
            if settings.rules
            else None
        ),
        queries=Path(settings.queries) if settings.queries else None,
        volume=VolumeTracker(window_seconds=settings.spike_window, threshold=settings.spike_z),
        weights=PriorityWeights.parse(settings.priority_weights),
        domains=Path(settings.domain_weights) if settings.domain_weights else None,
        enrich_threads=settings.enrich_threads,
    )


def save_rules_file(settings: Settings, database: Database, book: SlaBook) -> None:
    """The rules file (RAPPORT_RULES), checked and saved as the operator's newest version
    when it changed; every process routes the operator's posts by it from then on."""
    if not settings.rules:
        return
    path = Path(settings.rules)
    rules = RuleSet.from_file(path, calendars=book.config.calendars)
    body = path.read_text(encoding="utf-8")
    put_rules(Context(database), Actor(OPERATOR), body, rules, author="file", note=str(path))


def tenancy_defaults(settings: Settings) -> Defaults:
    """What tenants run with where they configured nothing: the install's settings."""
    return Defaults(
        queries=tuple(load_queries(Path(settings.queries))) if settings.queries else (),
        sla=sla_book(settings),
        own_handles=settings.own_handles,
    )


def build_runner(settings: Settings, database: Database, *, enrich: bool | None = None) -> Runner:
    """The whole pipeline on this database: analysis, then persistence with the case desks,
    with every active tenant's setup in force."""
    book = sla_book(settings)
    save_rules_file(settings, database, book)
    load = OpenCases(database)
    deliver = bool(settings.alert_webhook)
    desk = CaseDesk(
        CasePolicy(open_at_priority=settings.case_priority, own_handles=settings.own_handles),
        book,
        load=load,
        deliver_alerts=deliver,
    )
    persist = PersistStage(database, desk, deliver_alerts=deliver)
    empty = RuleSet([], calendars=book.config.calendars, load=load)
    stages = [*settings_stages(settings, enrich=enrich, rules=empty), persist]
    with database.reading() as conn:
        load.refresh(conn)
        TenancyReload(stages, tenancy_defaults(settings))(conn)
    return Runner(stages, queue_batches=settings.queue_batches)


def sla_book(settings: Settings) -> SlaBook:
    return SlaBook.load(Path(settings.sla)) if settings.sla else SlaBook.default()
