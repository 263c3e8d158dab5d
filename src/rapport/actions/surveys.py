"""Asking a resolved case's customer the Net Promoter question (reading the answers is the
case desk's, `rapport.care.surveys`): reserve the survey row, send the question through the
case's channel, and record what was sent or free the reservation."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rapport.care.channels import Channel, ChannelError, Outgoing
from rapport.measure.survey import SurveyPolicy, question, should_ask
from rapport.store import Database
from rapport.store.surveys import (
    drop_survey,
    mark_survey_sent,
    reserve_survey,
    survey_history,
    survey_target,
)


@dataclass
class SurveyDesk:
    database: Database
    channels: Mapping[str, Channel]
    brand: str = "NovaCard"
    private: bool = True
    policy: SurveyPolicy = field(default_factory=SurveyPolicy)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def after_resolution(self, case_id: int) -> dict[str, Any] | None:
        """Ask the case's customer the question, if the rules allow; the survey row, or None
        with nothing sent."""
        now = self.clock()
        with self.database.reading() as conn:
            case = survey_target(conn, case_id)
            if case is None:
                return None
            history = survey_history(conn, case)
        ask, _reason = should_ask(
            case_resolved=case.status == "resolved",
            already_asked_for_case=history.asked_for_case > 0,
            last_asked_customer_at=history.last_asked_customer_at,
            opted_out=history.opted_out,
            now=now,
            policy=self.policy,
        )
        channel = self.channels.get(case.network)
        if not ask or channel is None:
            return None
        lang = case.lang or "en"
        outgoing = Outgoing(
            case_id=case_id, network=case.network, in_reply_to=case.latest_message,
            recipient_id=case.customer_id, recipient_handle=case.customer_handle,
            text=question(lang, brand=self.brand), private=self.private,
            idempotency_key=f"survey-{case_id}-{uuid.uuid4().hex[:8]}",
            conversation_id=case.conversation_id, lang=lang, kind="survey",
        )  # fmt: skip
        row: dict[str, Any] = {
            "case_id": case_id, "tenant": case.tenant, "network": case.network,
            "customer_id": case.customer_id, "team": case.team, "agent_id": case.assignee_id,
            "intent": case.intent, "lang": case.lang, "asked_at": now,
            "question_message_id": None,
        }  # fmt: skip
        # The row is the reservation: two resolutions racing (or a retried request) ask once.
        survey_id = reserve_survey(self.database, case, now)
        if survey_id is None:
            return None
        try:
            sent = channel.send(outgoing)
        except ChannelError:
            # Not asked after all: free the case for a later resolution to ask.
            self.database.write(lambda conn: drop_survey(conn, survey_id))
            return None  # a survey is never worth a retry storm
        row.update(asked_at=sent.sent_at, question_message_id=sent.message_id)
        self.database.write(
            lambda conn: mark_survey_sent(conn, survey_id, sent.sent_at, sent.message_id)
        )
        return row
