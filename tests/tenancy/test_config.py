"""Each kind of a tenant's configuration is checked before it is saved, and errors say
which tenant, which kind and what is wrong."""

from __future__ import annotations

import pytest

from rapport.errors import InputError
from rapport.score.priority import PriorityWeights
from rapport.tenancy.config import check_kind, parse


def test_queries_belong_to_the_tenant_that_saves_them() -> None:
    queries = parse("acme", "queries", "queries:\n  - id: outage\n    query: acme AND down\n")
    assert [(q.tenant, q.id) for q in queries] == [("acme", "outage")]
    with pytest.raises(InputError, match=r"tenant acme, queries: query 'x' names tenant 'b'"):
        parse("acme", "queries", "queries:\n  - {id: x, tenant: b, query: hi}\n")
    with pytest.raises(InputError, match="tenant acme, queries"):
        parse("acme", "queries", "queries:\n  - {id: x, query: 'a AND ('}\n")


def test_teams_sla_weights_and_handles() -> None:
    teams = parse("acme", "teams", "teams:\n  lost_or_stolen_card: fraud-desk\n")
    assert teams["lost_or_stolen_card"] == "fraud-desk"
    assert len(teams) > 1  # the defaults for every other intent stay
    with pytest.raises(InputError, match="unknown intent"):
        parse("acme", "teams", "teams:\n  not_an_intent: x\n")
    weights = parse("acme", "weights", "urgency=10")
    assert isinstance(weights, PriorityWeights)
    assert weights.urgency == 10
    with pytest.raises(InputError, match="priority weight 'nope' is unknown"):
        parse("acme", "weights", "nope=1")
    assert parse("acme", "handles", "handles: ['@AcmeHelp', acme]") == {"acmehelp", "acme"}
    with pytest.raises(InputError, match=r"handle 2 \('no spaces'\)"):
        parse("acme", "handles", "handles: [ok, 'no spaces']")
    book = parse(
        "acme", "sla", "policies:\n  fast: {first_response: 15m}\nteams: {default: fast}\n"
    )
    assert book.policy_for("cards").name == "fast"
    with pytest.raises(InputError, match=r"^tenant acme, sla: teams: no 'default' entry"):
        parse("acme", "sla", "policies:\n  fast: {first_response: 15m}\nteams: {}\n")
    with pytest.raises(InputError, match="not valid YAML"):
        parse("acme", "sla", "policies: [")


def test_unknown_kinds_and_huge_bodies_are_refused() -> None:
    with pytest.raises(InputError, match="unknown configuration 'colour'"):
        check_kind("colour")
    with pytest.raises(InputError, match="more than"):
        parse("acme", "handles", "x" * 300_000)
