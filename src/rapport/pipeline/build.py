"""The default pipeline: which stages run, in which order, for a given configuration."""

from __future__ import annotations

from rapport.pipeline.enrich import Enricher, EnrichStage, LanguageEnricher
from rapport.pipeline.normalise import NormaliseStage
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.pipeline.stage import Stage
from rapport.settings import Settings
from rapport.store import Database


def enrichers(*, detect_language: bool) -> list[Enricher]:
    return [LanguageEnricher()] if detect_language else []


def analysis_stages(*, detect_language: bool) -> list[Stage]:
    """Everything before persistence: what `rapport enrich` runs without a database."""
    return [NormaliseStage(), EnrichStage(enrichers(detect_language=detect_language))]


def build_runner(
    settings: Settings, database: Database, *, detect_language: bool | None = None
) -> Runner:
    detect = settings.detect_language if detect_language is None else detect_language
    stages = [*analysis_stages(detect_language=detect), PersistStage(database)]
    return Runner(stages, queue_batches=settings.queue_batches)
