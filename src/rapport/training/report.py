"""Printing `rapport eval` results as tables, each figure beside its target and its peers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

TARGETS = {
    "language": 0.95,
    "language_hi": 0.80,
    "tweeteval": 0.68,
    "xlmt": 0.62,
    "intent": 0.935,
    "complaint": 0.85,
}


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _verdict(value: float, target: float) -> str:
    return "[green]met[/]" if value >= target else "[red]below[/]"


def render(results: dict[str, Any], console: Console) -> None:
    if "language" in results:
        _language(results["language"], console)
    if "sentiment" in results:
        _sentiment(results["sentiment"], console)
    if "sentiment_en" in results:
        _english(results["sentiment_en"], console)
    summary = Table(title="Cross-validated on the training split (5 folds, seed 13)")
    for column in ("task", "metric", "mean", "std", "target", ""):
        summary.add_column(column)
    if "intent" in results:
        cv = results["intent"]["banking77_cv_accuracy"]
        _cv_row(summary, "intent", "Banking77 accuracy", cv, TARGETS["intent"])
    if "complaint" in results:
        cv = results["complaint"]["cv_macro_f1"]
        _cv_row(summary, "complaint", "macro-F1", cv, TARGETS["complaint"])
    if summary.row_count:
        console.print(summary)


def _cv_row(table: Table, task: str, metric: str, cv: dict[str, Any], target: float) -> None:
    mean = cv["mean"]
    table.add_row(task, metric, _fmt(mean), _fmt(cv["std"]), _fmt(target), _verdict(mean, target))


def _language(found: dict[str, Any], console: Console) -> None:
    systems = [name for name in found if "accuracy" in found[name]]
    table = Table(title="Language ID, XLM-T validation (8 languages): accuracy")
    table.add_column("language")
    for name in systems:
        table.add_column(name, justify="right")
    for lang in found["rapport"]["per_language"]:
        table.add_row(lang, *(_fmt(found[s]["per_language"][lang]) for s in systems))
    table.add_row("[b]all[/]", *(f"[b]{_fmt(found[s]['accuracy'])}[/]" for s in systems))
    console.print(table)
    ours = found["rapport"]
    overall = _verdict(ours["accuracy"], TARGETS["language"])
    hindi = _verdict(ours["per_language"]["hi"], TARGETS["language_hi"])
    console.print(
        f"target: accuracy >= {TARGETS['language']} ({overall}), "
        f"Hindi >= {TARGETS['language_hi']} ({hindi}); Rapport {ours['us_per_post']:.0f} µs/post"
    )
    for name, value in found.items():
        if "note" in value:
            console.print(f"peer {name}: {value['note']}")


def _english(found: dict[str, Any], console: Console) -> None:
    table = Table(title="English sentiment head alone (validation splits)")
    for column in ("split", "macro recall", "macro-F1", "µs/post"):
        table.add_column(column, justify="left" if column == "split" else "right")
    for split, figures in found.items():
        table.add_row(
            split,
            _fmt(figures["macro_recall"]),
            _fmt(figures["macro_f1"]),
            f"{figures['us_per_post']:.1f}",
        )
    console.print(table)


def _sentiment(found: dict[str, Any], console: Console) -> None:
    english = found["tweeteval_macro_recall"]
    table = Table(title="English sentiment, TweetEval validation: macro-averaged recall")
    table.add_column("system")
    table.add_column("macro recall", justify="right")
    for name, value in english.items():
        table.add_row(name, _fmt(value))
    console.print(table)
    console.print(
        f"target >= {TARGETS['tweeteval']}: {_verdict(english['rapport'], TARGETS['tweeteval'])}"
    )
    per_language = Table(
        title="Sentiment, validation macro-F1 per language "
        "(XLM-T, IndoNLU, SMP2020; a held-out tenth elsewhere)"
    )
    per_language.add_column("language")
    per_language.add_column("macro-F1", justify="right")
    for lang, value in found["macro_f1_per_language"].items():
        per_language.add_row(lang, _fmt(value))
    console.print(per_language)
    mean = found["xlmt_mean_macro_f1"]
    verdict = _verdict(mean, TARGETS["xlmt"])
    console.print(
        f"XLM-T mean macro-F1 over 8 languages: {mean:.3f} (target >= {TARGETS['xlmt']}: {verdict})"
    )
