"""The enrichers Rapport ships, in the order they run: each reads what the ones before found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rapport.nlp.alerts import AlertWords
from rapport.nlp.complaint import ComplaintModel, complaint_probability
from rapport.nlp.custom import CustomClassifiers
from rapport.nlp.intent import decide_intent, load_team_map
from rapport.nlp.language import LATIN_SCRIPT_LANGUAGES, LanguageDetector
from rapport.nlp.models import load_head
from rapport.nlp.sentiment import SentimentModel
from rapport.nlp.urgency import ALERT_SIGNALS, assess_urgency
from rapport.pipeline.enrich import BatchContext, Enricher
from rapport.records import Label


class LanguageEnricher(Enricher):
    name = "language"
    fields = ("lang", "lang_score")

    def __init__(self, detector: LanguageDetector | None = None) -> None:
        self.detector = detector or LanguageDetector()

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        found = []
        labels = self.detector.detect_batch(context.texts, context.features)
        for post, label in zip(context.posts, labels, strict=True):
            if label.label == "und" and post.lang:
                found.append({"lang": post.lang, "lang_score": 0.0})
            else:
                found.append({"lang": label.label, "lang_score": label.score})
        return found


def _langs(context: BatchContext) -> list[str]:
    return [
        lang or post.lang or "und"
        for lang, post in zip(context.field("lang"), context.posts, strict=True)
    ]


class SentimentEnricher(Enricher):
    name = "sentiment"
    fields = ("sentiment",)
    needs = ("lang",)

    def __init__(self) -> None:
        self.model = SentimentModel()

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        # English posts are read by their own head, from the normalised text.
        labels = self.model.predict(
            context.texts, _langs(context), context.features, context.normalised
        )
        return [{"sentiment": label} for label in labels]


class ComplaintEnricher(Enricher):
    name = "complaint"
    fields = ("complaint",)
    needs = ("lang", "sentiment")

    def __init__(self) -> None:
        self.model = ComplaintModel()

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        labels = self.model.predict(
            context.features, _langs(context), context.field("sentiment"), context.signals
        )
        return [{"complaint": label} for label in labels]


def _pair(label: Label | None) -> tuple[str, float]:
    return (label.label, label.score) if label is not None else ("neutral", 0.0)


class IntentEnricher(Enricher):
    """The intent, and the care team the (configurable) team map sends it to."""

    name = "intent"
    fields = ("intent", "team")
    needs = ("lang", "sentiment", "complaint")

    def __init__(self, team_map: Path | None = None) -> None:
        self.team_map_path = team_map
        self.teams = load_team_map(team_map)

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        if not context.texts:
            return []
        langs = _langs(context)
        banking = self._banking(context, langs)
        found = []
        for lang, bank, sentiment, complaint, cues in zip(
            langs,
            banking,
            context.field("sentiment"),
            context.field("complaint"),
            context.signals,
            strict=True,
        ):
            intent, score = decide_intent(
                lang=lang,
                banking=bank,
                complaint=complaint_probability(complaint),
                sentiment=_pair(sentiment),
                signals=cues,
            )
            found.append(
                {"intent": Label(label=intent, score=round(score, 4)), "team": self.teams[intent]}
            )
        return found

    @staticmethod
    def _banking(context: BatchContext, langs: list[str]) -> list[tuple[str, float]]:
        """The banking model's answer, asked only of posts in Latin-script languages.

        It learnt English requests; its character n-grams carry over to Spanish or
        Indonesian now and then, never to Chinese or Arabic, so those rows are skipped.
        """
        rows = [i for i, lang in enumerate(langs) if lang in LATIN_SCRIPT_LANGUAGES]
        found: list[tuple[str, float]] = [("other", 0.0)] * len(langs)
        if rows:
            answers = load_head("intent").predict(context.features[rows])
            for row, answer in zip(rows, answers, strict=True):
                found[row] = answer
        return found


class UrgencyEnricher(Enricher):
    """Urgency with its reasons, and the alert words priority scoring counts."""

    name = "urgency"
    fields = ("urgency", "alerts")
    needs = ("lang", "intent", "sentiment", "complaint")

    def __init__(self, alert_words: AlertWords | None = None) -> None:
        self.alert_words = alert_words

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        found = []
        lines = context.normalised.split("\n") if self.alert_words and context.texts else []
        for i, (intent, sentiment, complaint, cues) in enumerate(
            zip(
                context.field("intent"),
                context.field("sentiment"),
                context.field("complaint"),
                context.signals,
                strict=True,
            )
        ):
            urgency = assess_urgency(
                intent=intent.label if intent is not None else "other",
                complaint=complaint_probability(complaint),
                sentiment=_pair(sentiment),
                signals=cues,
            )
            words = {p for s in ALERT_SIGNALS for p in cues.get(s, ())}
            if self.alert_words is not None:
                words.update(self.alert_words.find(lines[i], context.found[i].get("lang", "und")))
            alerts = tuple(sorted(words))
            found.append({"urgency": urgency, "alerts": alerts} if alerts else {"urgency": urgency})
        return found


class ClassifierEnricher(Enricher):
    """Every custom classifier a user trained (`rapport train classifier`), by name."""

    name = "classes"
    fields = ("classes",)

    def __init__(self, directory: Path) -> None:
        self.classifiers = CustomClassifiers(directory)

    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        per_post = self.classifiers.predict(context.features)
        return [{"classes": classes} if classes else {} for classes in per_post]
