"""The demo's simulated care team, so the whole loop runs on its own: every few seconds
it answers the top case of each team queue with a template in the customer's language,
and resolves cases that have waited on the customer for a while; each resolution sends the
Net Promoter question, the simulated customers answer, and the NPS report fills.

It works through the same desks as people do (`ReplyDesk`, `SurveyDesk`, case events), so
everything it does is in the audit trail of cases, SLA clocks and the console.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from rapport.actions.base import Actor, Context
from rapport.actions.cases import record_agent_event
from rapport.actions.replies import send_reply
from rapport.actions.surveys import SurveyDesk
from rapport.care.replies import ReplyDesk
from rapport.care.reply_templates import choose, fill, merged
from rapport.care.sla_book import SlaJudge
from rapport.errors import RapportError
from rapport.periodic import Periodic
from rapport.records.cases import QueuedCase
from rapport.store import Database
from rapport.store.cases import queue, queue_summary
from rapport.store.demo import pending_since

AGENT_NAME = "Robin (demo)"


class DemoTeam(Periodic):
    def __init__(
        self,
        database: Database,
        replies: ReplyDesk,
        surveys: SurveyDesk,
        sla: SlaJudge,
        *,
        brand: str = "NovaCard",
        interval: float = 4.0,
        resolve_after: timedelta = timedelta(seconds=90),
    ) -> None:
        self.database, self.replies, self.surveys, self.sla = database, replies, surveys, sla
        super().__init__("demo-team", interval)
        self.brand, self.resolve_after = brand, resolve_after
        self.templates = merged(())

    def run_once(self) -> tuple[int, int]:
        return self.tick()

    def tick(self, now: datetime | None = None) -> tuple[int, int]:
        """One round: (replies sent, cases resolved)."""
        moment = now or datetime.now(UTC)
        with self.database.reading() as conn:
            teams = [row.team for row in queue_summary(conn)]
            tops = [found[0] for team in teams if (found := queue(conn, team, limit=1))]
            waiting = pending_since(conn, moment - self.resolve_after, limit=5)
        sent = sum(self._answer(case) for case in tops if case.assignee_id is None)
        resolved = 0
        for case_id in waiting:
            try:
                self.database.write(
                    partial(record_agent_event, book=self.sla, case_id=case_id,
                            kind="resolved", actor=AGENT_NAME, at=moment)
                )  # fmt: skip
            except RapportError:
                continue
            self.surveys.after_resolution(case_id)
            resolved += 1
        return sent, resolved

    def _answer(self, case: QueuedCase) -> bool:
        name = "move_to_dm" if case.intent in _ACCOUNT_MATTERS else "sorry_delay"
        template = choose(self.templates, name, case.lang or "en")
        if template is None:
            return False
        text = fill(template.text, {"name": case.customer_handle, "agent": "Robin",
                                    "case": str(case.id), "brand": self.brand})  # fmt: skip
        try:
            reply = send_reply(
                Context(self.database), self.replies, case.id, text,
                actor=Actor(case.tenant), key=f"demo-{case.id}-1",
            )  # fmt: skip
        except RapportError:
            return False
        return reply.status == "sent"


_ACCOUNT_MATTERS = frozenset({
    "lost_or_stolen_card", "compromised_card", "fraud_or_security", "card_payment_not_recognised",
    "transaction_charged_twice", "pending_card_payment", "declined_card_payment",
})  # fmt: skip
