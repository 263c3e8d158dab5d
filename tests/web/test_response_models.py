"""The OpenAPI document describes what the posts, rules and reports routes return."""

from __future__ import annotations

import pytest

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import make_app

# (method, path) -> the schema its 200 answer refers to.
DESCRIBED = {
    ("get", "/api/v1/posts"): "PostsPage",
    ("get", "/api/v1/posts/{post_id}"): "StoredPost",
    ("post", "/api/v1/posts"): "Ingested",
    ("get", "/api/v1/threads/{network}/{conversation_id}"): "ThreadPage",
    ("get", "/api/v1/stats"): "Stats",
    ("put", "/api/v1/rules"): "RulesPut",
    ("get", "/api/v1/rules/versions"): "RuleVersionsPage",
    ("get", "/api/v1/rules/versions/{version}"): "RuleVersion",
    ("post", "/api/v1/rules/dry-run"): "DryRunSummary",
    ("get", "/api/v1/reports/nps"): "NpsReport",
    ("get", "/api/v1/reports/volume"): "VolumeReport",
    ("get", "/api/v1/reports/sentiment-trend"): "TrendReport",
    ("get", "/api/v1/reports/response-times"): "ResponseTimesReport",
    ("get", "/api/v1/reports/staffing"): "StaffingSummary",
    ("get", "/api/v1/reports/influencers"): "InfluencersReport",
    ("get", "/api/v1/reports/spikes"): "SpikesReport",
}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_routes_name_the_records_they_return(settings: Settings, database: Database) -> None:
    document = make_app(settings, database).openapi()
    for (method, path), schema in DESCRIBED.items():
        answer = document["paths"][path][method]["responses"]["200"]["content"]
        assert answer["application/json"]["schema"]["$ref"].endswith("/" + schema), path
    post = document["components"]["schemas"]["StoredPost"]["properties"]
    assert {"text", "analysis", "created_at", "hashtags"} <= set(post)
    current = document["paths"]["/api/v1/rules"]["get"]["responses"]["200"]["content"]
    refs = {option["$ref"] for option in current["application/json"]["schema"]["anyOf"]}
    assert {r.rsplit("/", 1)[1] for r in refs} == {"RuleVersion", "NoRulesSaved"}
