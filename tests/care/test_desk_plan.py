"""The case desk plans a batch from the facts it is handed, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rapport.care.desk import CaseDesk, CasePolicy
from rapport.records import Author, Enrichment, Envelope, Priority, RoutingDecision, TenantRoute
from rapport.records.desk import DeskFacts, Opening, ThreadCase
from tests.conftest import make_post

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
ALICE = Author(source_id="id-alice", handle="alice")
BRAND = Author(source_id="id-brand", handle="NovaCardHelp")


def routed(post_id: int, text: str, score: float = 50.0, **fields: object) -> Envelope:
    return Envelope(
        post=make_post(str(post_id), text, author=fields.pop("author", ALICE), **fields),
        enrichment=Enrichment(lang="en"),
        priority=Priority(score=score),
        # Heard by two tenants: each desk plans its own tenant's cases from its route.
        routes=tuple(
            TenantRoute(
                tenant=tenant,
                decision=RoutingDecision(
                    rule_id="cards", team="cards", queue="cards", tags=("card",)
                ),
                priority=Priority(score=score),
            )
            for tenant in ("acme", "default")
        ),
        stored_id=post_id,
    )


def facts(conversations: dict[int, str], **given: object) -> DeskFacts:
    return DeskFacts(
        conversations=conversations,
        open_in_threads=given.get("open_in_threads", {}),  # type: ignore[arg-type]
        reposted={},
        thread_cases=given.get("thread_cases", ()),  # type: ignore[arg-type]
        fingerprint_cases={},
    )


def test_a_thread_new_in_the_batch_opens_one_case_that_already_counts_its_posts() -> None:
    desk = CaseDesk(CasePolicy(tenant="acme"))
    later = T0 + timedelta(minutes=3)
    batch = [
        routed(1, "my card was charged twice", score=45.0),
        routed(2, "still charged twice, help", score=80.0, created_at=later),
    ]
    triage = desk.triage(batch, [])
    plan = desk.plan(triage, facts({1: "c1", 2: "c1"}), T0)

    (case,) = plan.openings
    assert (case.tenant, case.team, case.sla_policy) == ("acme", "cards", "standard")
    assert (case.post_count, case.latest_post_id, case.updated_at) == (2, 2, later)
    assert case.priority == 80.0
    # Nothing to merge into a stored row: the new case is written as it ends the batch.
    assert plan.growths == ()
    assert plan.opened == (Opening(0),)
    assert plan.joined == (Opening(0),)
    assert [(e.case, e.kind) for e in plan.events] == [
        (Opening(0), "opened"),
        (Opening(0), "customer_message"),
    ]


def test_a_resolved_case_reopens_only_within_its_window() -> None:
    desk = CaseDesk(CasePolicy(reopen_days=7))
    resolved = [
        ThreadCase(7, "x", "c1", "id-alice", "resolved", T0 - timedelta(days=2)),
        ThreadCase(3, "x", "c2", "id-alice", "resolved", T0 - timedelta(days=30)),
    ]
    batch = [routed(1, "charged again"), routed(2, "and this one too")]
    plan = desk.plan(desk.triage(batch, []), facts({1: "c1", 2: "c2"}, thread_cases=resolved), T0)

    (growth,) = plan.growths
    assert (growth.case_id, growth.reopen, growth.posts) == (7, True, 1)
    assert [(e.case, e.kind) for e in plan.events if e.case == 7] == [
        (7, "reopened"),
        (7, "customer_message"),
    ]
    assert len(plan.openings) == 1  # the long-resolved thread starts a new case


def test_the_brands_reply_stops_the_clock_of_the_open_cases_in_its_thread() -> None:
    desk = CaseDesk(CasePolicy(own_handles=frozenset({"novacardhelp"})))
    reply = Envelope(post=make_post("9", "we are on it", author=BRAND), stored_id=9)
    triage = desk.triage([reply], [])
    plan = desk.plan(triage, facts({9: "c1"}, open_in_threads={("x", "c1"): (4, 5)}), T0)
    assert [(e.case, e.kind, e.actor) for e in plan.events] == [
        (4, "agent_reply", "@NovaCardHelp"),
        (5, "agent_reply", "@NovaCardHelp"),
    ]
    assert plan.openings == ()


def test_an_acknowledgement_never_repeats_personal_data_from_the_display_name() -> None:
    desk = CaseDesk()
    decision = RoutingDecision(rule_id="cards", team="cards", queue="cards",
                               acknowledge="received")  # fmt: skip
    names = {1: "Bo", 2: "Bo, call me on +44 7700 900123"}
    said = {1: "my card was charged twice", 2: "the app keeps logging me out"}
    batch = [
        Envelope(
            post=make_post(
                str(i),
                said[i],
                author=Author(source_id=f"a{i}", handle=f"bo{i}", display_name=name),
            ),
            enrichment=Enrichment(lang="en"),
            priority=Priority(score=50.0),
            routes=(TenantRoute(tenant="default", decision=decision),),
            stored_id=i,
        )
        for i, name in names.items()
    ]
    plan = desk.plan(desk.triage(batch, []), facts({1: "c1", 2: "c2"}), T0)
    texts = [e.detail for e in plan.events if e.kind == "auto_acknowledged"]
    assert len(texts) == 2
    assert "Bo" in texts[0]
    assert "7700" not in texts[1]
    assert "bo2" in texts[1]  # the handle stands in for a name that carried a phone number
