"""Custom classifiers: train from a CSV of a few dozen posts per label, then use by name."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.errors import InputError, NotFound
from rapport.nlp.custom import CustomClassifiers, read_labels, train_classifier
from rapport.nlp.features import featurise

UPGRADE = [
    "how do I upgrade to the {tier} card", "can I switch my card to {tier}",
    "what does the {tier} upgrade cost", "I want the {tier} card instead of mine",
    "is the {tier} card worth upgrading to", "upgrade me to {tier} please",
]  # fmt: skip
TRAVEL = [
    "will my card work in {place}", "any foreign fees when I pay in {place}",
    "travelling to {place} next week, do I need to tell you", "card blocked abroad in {place}",
    "using my card at an ATM in {place}", "do you charge for payments in {place}",
]  # fmt: skip
OTHER = [
    "great game last night {x}", "what a lovely morning {x}", "new phone who dis {x}",
    "traffic is terrible today {x}", "coffee first, then everything else {x}",
    "watching the rain {x}",
]  # fmt: skip


def labelled(seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(30):
        rows.append(
            (rng.choice(UPGRADE).format(tier=rng.choice(["gold", "platinum", "metal"])), "upgrade")
        )
        rows.append(
            (
                rng.choice(TRAVEL).format(place=rng.choice(["Spain", "Japan", "Peru", "Kenya"])),
                "travel",
            )
        )
        rows.append((rng.choice(OTHER).format(x=rng.choice(["lol", "!!", "", "#monday"])), "none"))
    return rows


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


def test_a_trained_classifier_reports_cross_validated_scores_and_is_used_by_name(
    tmp_path: Path,
) -> None:
    rows = labelled()
    report = train_classifier("card_topics", [t for t, _ in rows], [y for _, y in rows], tmp_path)

    assert report.path.is_file()
    assert {c.label for c in report.classes} == {"upgrade", "travel", "none"}
    assert all(c.support == 30 for c in report.classes)
    assert all(c.precision > 0.8 and c.recall > 0.8 for c in report.classes)

    classifiers = CustomClassifiers(tmp_path)
    assert classifiers.names() == ["card_topics"]
    texts = ["can I upgrade my card to platinum?", "will my card work in Mexico?"]
    predicted = classifiers.predict(featurise(texts))
    assert [row[0][0] for row in predicted] == ["card_topics", "card_topics"]
    assert [row[0][1].label for row in predicted] == ["upgrade", "travel"]


def test_the_command_trains_prints_scores_and_enrich_uses_the_classifier(tmp_path: Path) -> None:
    labels = write_csv(tmp_path / "labels.csv", labelled())
    cli = CliRunner()
    data_dir = tmp_path / "data"
    trained = cli.invoke(
        app, ["train", "classifier", "topics", "--labels", str(labels), "--data-dir", str(data_dir)]
    )
    assert trained.exit_code == 0, trained.output
    assert "precision" in trained.output
    assert "upgrade" in trained.output

    enriched = cli.invoke(
        app,
        ["enrich", "-", "--data-dir", str(data_dir)],
        input=b'{"id": 1, "text": "upgrade me to the metal card"}\n',
    )
    assert enriched.exit_code == 0, enriched.output
    assert '"topics":{"label":"upgrade"' in enriched.stdout


def test_too_few_examples_of_a_label_are_refused_with_the_label_named(tmp_path: Path) -> None:
    texts = ["a b c"] * 10 + ["d e f"] * 3
    labels = ["yes"] * 10 + ["no"] * 3
    with pytest.raises(InputError, match="no"):
        train_classifier("tiny", texts, labels, tmp_path)


def test_a_labels_file_without_the_header_names_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("post,category\nhello,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="text,label"):
        read_labels(path)


def test_an_unknown_classifier_name_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="rapport train classifier"):
        CustomClassifiers(tmp_path).get("missing")
