"""The queue load rules read follows cases opened by other processes within seconds: a load
given the database reads the counts again once they are older than `max_age`."""

from __future__ import annotations

import pickle
import time

from rapport.care.load import OpenCases
from rapport.store import Database
from tests.conftest import make_post
from tests.route.test_workflow import decide, rules
from tests.web.test_desk import open_cases, set_case

OVERFLOW = """
rules:
  - id: overflow
    when: {queue_load: {cards: ">=2"}}
    then: {route: overflow}
"""


def test_a_rule_sees_cases_another_process_opened(database: Database) -> None:
    load = OpenCases(database, max_age=0.2)
    rule_set = rules(OVERFLOW, load)
    assert decide(rule_set, make_post("1", "hi")).queue == "cards"
    open_cases(database, 2)  # another process's desk: this load never hears of them
    time.sleep(0.3)
    assert load.open_cases("cards") == 2
    assert decide(rule_set, make_post("2", "hi")).queue == "overflow"


def test_without_the_database_the_load_is_what_the_desk_refreshed(database: Database) -> None:
    load = OpenCases()
    open_cases(database, 2)
    assert load.open_cases("cards") == 0
    with database.reading() as conn:
        load.refresh(conn)
    assert load.open_cases("cards") == 2


def test_a_copy_for_another_process_keeps_the_counts_not_the_database(
    database: Database,
) -> None:
    open_cases(database, 1)
    load = OpenCases(database)
    assert load.open_cases("cards") == 1
    copy = pickle.loads(pickle.dumps(load))
    assert (copy.database, copy.open_cases("cards")) == (None, 1)


def test_each_tenant_sees_the_load_of_its_own_queues(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    set_case(database, case_id, tenant="acme")
    open_cases(database, 3)  # two more for the operator's tenant, in its own `cards` queue
    load = OpenCases(database)
    assert load.for_tenant("acme").open_cases("cards") == 1
    assert load.for_tenant("default").open_cases("cards") == 2
    assert load.for_tenant("zeta").open_cases("cards") == 0
    copy = pickle.loads(pickle.dumps(load.for_tenant("acme")))
    assert copy.open_cases("cards") == 1
