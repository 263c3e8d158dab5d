"""A tenant's own alert words, per language, reach the post's alerts and its priority."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ConfigError
from rapport.nlp.alerts import AlertWords
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.runner import Runner
from rapport.records import Batch, Envelope
from tests.conftest import make_post


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_alert_words_count_in_their_language_and_raise_priority(tmp_path: Path) -> None:
    words = write(
        tmp_path,
        '[alert_words]\nen = ["meltdown", "class action"]\nes = ["desastre"]\n'
        '"*" = ["#boycottnova"]\n',
    )
    texts = [
        "What a meltdown at the bank today, class action soon",
        "Qué meltdown, un desastre total",
        "#BoycottNova now",
        "What a meltdown at the bank today, class action soon",
    ]
    custom = Runner(analysis_stages(enrich=True, alert_words=words))
    plain = Runner(analysis_stages(enrich=True))
    batch = Batch(
        source="t", items=tuple(Envelope(post=make_post(str(i), t)) for i, t in enumerate(texts))
    )
    english, spanish, anywhere, _ = custom.process(batch).items
    baseline = plain.process(batch).items[0]

    assert english.enrichment is not None
    assert spanish.enrichment is not None
    assert {"meltdown", "class action"} <= set(english.enrichment.alerts)
    assert "meltdown" not in spanish.enrichment.alerts  # an English word, in a Spanish post
    assert "desastre" in spanish.enrichment.alerts
    assert anywhere.enrichment is not None
    assert "#boycottnova" in anywhere.enrichment.alerts
    assert english.priority is not None
    assert baseline.priority is not None
    assert english.priority.score > baseline.priority.score


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[words]\nen = ['x']\n", r"\[alert_words\] table"),
        ("[alert_words]\nenglish = ['x']\n", "'english' is not a language code"),
        ("[alert_words]\nen = 'awful'\n", "alert_words.en must be a list"),
        ("[alert_words\n", "cannot read"),
    ],
)
def test_a_bad_alert_words_file_is_refused_with_the_fix(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        AlertWords.load(write(tmp_path, body))
