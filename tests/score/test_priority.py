"""Influence and priority: every point of a score comes from a named factor with a reason."""

from __future__ import annotations

import random

import pytest

from rapport.errors import ConfigError
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Enrichment, Envelope, Label, PublicMetrics, Urgency
from rapport.score.influence import influence, influence_factors
from rapport.score.priority import PriorityWeights, author_influence, score_priority
from tests.conftest import make_post


def test_influence_is_the_sum_of_its_parts_and_grows_with_reach() -> None:
    small = Author(source_id="1", handle="a", followers=120)
    big = Author(source_id="2", handle="b", followers=2_000_000, verified=True)
    metrics = PublicMetrics(likes=30, reposts=10)
    for author in (small, big):
        parts = influence_factors(author, metrics)
        assert influence(author, metrics) == pytest.approx(
            sum(p.contribution for p in parts), abs=0.01
        )
        assert all(0.0 <= p.value <= 1.0 for p in parts)
    quiet = PublicMetrics()
    assert influence(big, quiet) > influence(small, quiet) + 30
    # A small account whose post draws many interactions gains influence from engagement.
    assert influence(small, metrics) > influence(small, quiet) + 20
    assert 0 <= influence(small, quiet) <= 100


def test_priority_is_the_sum_of_its_factors_each_with_a_reason() -> None:
    post = make_post(
        "1", "my card was stolen, awful", author=Author(source_id="9", handle="z", followers=50_000)
    )
    said = Enrichment(
        lang="en",
        sentiment=Label(label="negative", score=0.9),
        complaint=Label(label="complaint", score=0.8),
        urgency=Urgency(level="critical", reasons=("lost or stolen card: 'stolen'",)),
        alerts=("awful", "stolen"),
    )
    priority = score_priority(
        post,
        said,
        standing=0.5,
        domain=(0.8, "links to reuters.com (traffic weight 0.80)"),
        spikes=("hashtag:novacarddown",),
    )

    assert priority.score == pytest.approx(sum(f.contribution for f in priority.factors), abs=0.01)
    by_name = {f.name: f for f in priority.factors}
    assert set(by_name) == {
        "urgency",
        "negativity",
        "complaint",
        "influence",
        "domain",
        "spike",
        "keywords",
    }
    assert by_name["domain"].contribution == pytest.approx(0.8 * PriorityWeights().domain)
    assert "reuters.com" in by_name["domain"].reason
    assert by_name["spike"].contribution == PriorityWeights().spike
    assert "novacarddown" in by_name["spike"].reason
    assert "standing 12" in by_name["influence"].reason  # half of standing's 25 points
    assert all(f.reason for f in priority.factors)
    keywords = next(f for f in priority.factors if f.name == "keywords")
    assert "stolen" in keywords.reason
    calm = score_priority(
        post, Enrichment(lang="en", sentiment=Label(label="positive", score=0.9),
                         urgency=Urgency(level="low", reasons=("praise",)))
    )  # fmt: skip
    assert priority.score > calm.score + 40


def test_tuned_weights_change_the_score_and_bad_weights_are_refused() -> None:
    post = make_post("1", "app down")
    said = Enrichment(lang="en", urgency=Urgency(level="high", reasons=("outage",)))
    plain = score_priority(post, said)
    tuned = PriorityWeights(
        urgency=80, negativity=5, complaint=5, influence=5, domain=0, spike=0, keywords=5
    )
    urgent = score_priority(post, said, tuned)
    assert urgent.score > plain.score
    with pytest.raises(ConfigError, match="add up to"):
        PriorityWeights(urgency=90, negativity=20)
    with pytest.raises(ConfigError, match=r"within 0\.\.100"):
        PriorityWeights(urgency=-1)


def test_the_pipeline_scores_every_enriched_post() -> None:
    runner = Runner(analysis_stages(enrich=True))
    batch = Batch(
        source="t",
        items=(
            Envelope(post=make_post("1", "Someone hacked my account, fraud!!")),
            Envelope(post=make_post("2", "lovely weather today")),
        ),
    )
    fraud, weather = runner.process(batch).items
    assert fraud.priority is not None
    assert weather.priority is not None
    assert fraud.priority.score > weather.priority.score
    assert Runner(analysis_stages(enrich=False)).process(batch).items[0].priority is None


def test_scoring_computes_influence_exactly_as_influence_does() -> None:
    # Scoring computes the influence number without the factors' reasons; the number must
    # be the very float `influence` gives, for every kind of account and post.
    rng = random.Random(7)
    for _ in range(3000):
        followers = rng.choice([0, 1, 99, 100, 101, 10_000_000, 10**9, rng.randint(0, 10**8)])
        author = Author(source_id="a", handle="a", followers=followers, verified=rng.random() < 0.3)
        metrics = PublicMetrics(
            likes=rng.randint(0, 50_000),
            reposts=rng.randint(0, 5_000),
            replies=rng.choice([0, rng.randint(0, 500)]),
            quotes=rng.choice([0, rng.randint(0, 50)]),
        )
        standing = rng.choice([0.0, 1.0, rng.random()])
        assert author_influence(author, metrics, standing) == influence(
            author, metrics, standing=(standing, "graph")
        )


def test_a_tenant_tunes_weights_by_name_and_mistakes_are_named() -> None:
    tuned = PriorityWeights.parse("urgency=43, spike=0")
    assert (tuned.urgency, tuned.spike, tuned.keywords) == (43, 0, PriorityWeights().keywords)
    with pytest.raises(ConfigError, match="'urgncy' is unknown"):
        PriorityWeights.parse("urgncy=50")
    with pytest.raises(ConfigError, match="needs a number"):
        PriorityWeights.parse("urgency=high")
    with pytest.raises(ConfigError, match="add up to"):
        PriorityWeights.parse("urgency=60")
