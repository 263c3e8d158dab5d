"""The API fuzzed from its own OpenAPI document (schemathesis): every operation, with data
that fits the document and data that does not, as an admin's API token. No answer may be a
5xx, carry a status the document does not list, or have a body its schema does not allow.

Bounded so the suite stays fast: a few examples per operation, generated from a fixed seed,
so a failure here is a failure again on the next run and can be reproduced from its output.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from rapport.auth.roles import Permission
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.rule_versions import save_version
from rapport.store.templates import save_template
from tests.web.test_access import (
    add_user,
    admin_client,
    cheap_hashing,  # noqa: F401 (autouse: fast password hashes)
    ingest,
    make_app,
    open_case,
    token_for,
    wire,
)

EXAMPLES = 3  # per operation and generation mode
STREAM_SECONDS = 0.2
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@dataclass
class Admin:
    """The admin's token the fuzz sends. A fuzzed request may revoke it, deactivate its
    user or lower their role; then a fresh admin takes over, so later operations are still
    tried as an admin rather than answered 401 or 403."""

    database: Database
    headers: dict[str, str] = field(default_factory=dict)

    def renew(self) -> None:
        email = f"fuzz-{uuid.uuid4().hex[:12]}@default.test"
        user_id = add_user(self.database, email, "admin")
        raw = token_for(self.database, user_id, [p.value for p in Permission])
        self.headers = {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def app(settings: Settings, database: Database) -> Iterator[FastAPI]:
    app = make_app(settings, database)
    # Something to find: a post, its case, a rules version and a template, all with id 1-ish.
    # (Outside `with`: the app's lifespan runs once, and schemathesis starts it.)
    root = admin_client(app, database)
    post_id, _ = ingest(root, wire("1001", "my card was charged twice"), wire("1002", "hi"))
    open_case(database, post_id)
    database.write(lambda conn: save_version(conn, "rules: []\n", tenant="default"))
    database.write(lambda conn: save_template(conn, "default", "received", "en", "Hi {name}"))
    yield app
    # Schemathesis starts the app's lifespan once and keeps it; end it with the database.
    asgi.shutdown_lifespans()


def streams(operation: Any) -> bool:
    answers = operation.definition.raw.get("responses", {}).values()
    return any("text/event-stream" in answer.get("content", {}) for answer in answers)


@dataclass
class Tally:
    sent: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def fuzz(operation: Any, admin: Admin, tally: Tally) -> None:
    """Send one operation its examples; note the first failure of each operation."""
    label = operation.label
    # An event stream never ends: what it sent in a moment is the answer to check.
    timeout = STREAM_SECONDS if streams(operation) else None
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @hypothesis_settings(
        max_examples=2 * EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def send(case: Any) -> None:
        tally.sent[label] = tally.sent.get(label, 0) + 1
        try:
            # In process, an error the app does not handle reaches here rather than a 500.
            response = case.call(headers=admin.headers, timeout=timeout)
            case.validate_response(response, checks=CHECKS, headers=admin.headers)
        except BaseException as error:  # schemathesis raises a group of failures
            tally.failures.setdefault(label, f"{error!r}\n{error}\n{case.as_curl_command()}")
            return
        if response.status_code in (401, 403):
            admin.renew()

    send()


def test_the_api_survives_its_own_document(app: FastAPI, database: Database) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    admin = Admin(database)
    admin.renew()
    tally = Tally()
    started = time.monotonic()
    for result in schema.get_all_operations():
        fuzz(result.ok(), admin, tally)  # type: ignore[union-attr]
    seconds = time.monotonic() - started
    print(
        f"\nschemathesis: {len(tally.sent)} operations, {sum(tally.sent.values())} requests "
        f"in {seconds:.1f} s; {len(tally.failures)} failing"
    )
    assert len(tally.sent) > 60, "the document lost operations"
    failures = tally.failures
    assert not failures, "\n\n".join(f"{label}:\n{why}" for label, why in failures.items())
