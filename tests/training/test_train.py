"""`rapport train` and `rapport eval` end to end, on a miniature of the data sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.errors import ConfigError
from rapport.nlp.english import EnglishHead
from rapport.nlp.intent import BANKING77_INTENTS
from rapport.nlp.linear import LinearHead
from rapport.training.datasets import Datasets, match_key
from rapport.training.evaluate import evaluate
from rapport.training.train import (
    english_examples,
    held_out_keys,
    sentiment_examples,
    train_all,
)
from tests.training.fixture import write_datasets


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Datasets:
    return Datasets(write_datasets(tmp_path_factory.mktemp("datasets")))


def test_training_writes_every_model_and_is_reproducible(
    datasets: Datasets, tmp_path: Path
) -> None:
    card = train_all(datasets, tmp_path / "a", log=lambda _: None)
    train_all(datasets, tmp_path / "b", log=lambda _: None)

    assert set(card) == {"language", "sentiment", "sentiment_en", "intent", "complaint"}
    for name in card:
        first = (tmp_path / "a" / f"{name}.npz").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.npz").read_bytes(), name
    english = EnglishHead.load(tmp_path / "a" / "sentiment_en.npz")
    assert english.classes == ("negative", "neutral", "positive")
    assert 0.01 < english.temperature < 100
    heads = {
        name: LinearHead.load(tmp_path / "a" / f"{name}.npz")
        for name in card
        if name != "sentiment_en"
    }
    assert set(heads["intent"].classes) == set(BANKING77_INTENTS)
    assert heads["sentiment"].classes == ("negative", "neutral", "positive")
    assert heads["complaint"].classes == ("complaint", "not_complaint")
    assert {"en", "ar", "hi", "zh", "ko", "th"} <= set(heads["language"].classes)
    assert all(0.01 < head.temperature < 100 for head in heads.values())


def test_no_validation_text_is_trained_on(datasets: Datasets) -> None:
    held_out = held_out_keys(datasets)
    examples = sentiment_examples(datasets, held_out)
    assert held_out
    assert not {match_key(t) for t in examples.texts} & held_out
    english, _ = english_examples(datasets, held_out)
    assert english
    assert not {match_key(t) for t in english} & held_out
    assert len({match_key(t) for t in english}) == len(english)
    tweeteval = {match_key(t) for t in datasets.tweeteval("sentiment", "val")[0]}
    assert tweeteval <= held_out
    xlmt_english = {match_key(t) for t in datasets.xlmt("english", "train")[0]}
    assert xlmt_english & tweeteval  # the fixture has the overlap; training drops it


def test_evaluation_reports_every_task_per_language(datasets: Datasets) -> None:
    results = evaluate(datasets, log=lambda _: None)

    assert 0.0 <= results["language"]["rapport"]["accuracy"] <= 1.0
    assert set(results["language"]["rapport"]["per_language"]) == {
        "ar", "de", "en", "es", "fr", "hi", "it", "pt",
    }  # fmt: skip
    sentiment = results["sentiment"]
    assert 0.0 <= sentiment["tweeteval_macro_recall"]["rapport"] <= 1.0
    assert {"en", "id", "zh", "tr", "nl", "sv"} <= set(sentiment["macro_f1_per_language"])
    assert 0.0 <= results["sentiment_en"]["tweeteval"]["macro_recall"] <= 1.0
    assert len(results["intent"]["banking77_cv_accuracy"]["folds"]) == 5
    assert 0.0 <= results["complaint"]["cv_macro_f1"]["mean"] <= 1.0


def test_the_commands_train_into_a_folder_and_print_metrics(
    datasets: Datasets, tmp_path: Path
) -> None:
    cli = CliRunner()
    trained = cli.invoke(
        app,
        ["train", "--datasets", str(datasets.root), "--only", "complaint", "--out", str(tmp_path)],
    )
    assert trained.exit_code == 0, trained.output
    assert (tmp_path / "complaint.npz").is_file()
    assert not (tmp_path / "intent.npz").exists()

    evaluated = cli.invoke(app, ["eval", "--datasets", str(datasets.root), "--only", "complaint"])
    assert evaluated.exit_code == 0, evaluated.output
    assert "macro-F1" in evaluated.output

    unknown = cli.invoke(app, ["eval", "--datasets", str(datasets.root), "--only", "weather"])
    assert unknown.exit_code != 0
    assert "weather" in unknown.output


def test_a_folder_that_is_not_the_datasets_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--datasets"):
        Datasets(tmp_path)
