"""Urgency: how soon a person should look (critical / high / normal / low), and why.

Rules, not a model: every level must be explainable to an agent, and the cues that make
a post critical (a stolen card, fraud) are rare in any training data yet never to be missed.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapport.records import Urgency

LEVELS = ("critical", "high", "normal", "low")
SECURITY_INTENTS = frozenset({
    "fraud_or_security", "lost_or_stolen_card", "compromised_card", "lost_or_stolen_phone",
    "card_payment_not_recognised", "cash_withdrawal_not_recognised",
    "direct_debit_payment_not_recognised",
})  # fmt: skip
BLOCKED_INTENTS = frozenset({
    "card_swallowed", "declined_card_payment", "declined_cash_withdrawal", "declined_transfer",
    "pin_blocked", "card_not_working", "failed_transfer", "transaction_charged_twice",
    "passcode_forgotten", "unable_to_verify_identity", "wrong_amount_of_cash_received",
})  # fmt: skip
LOW_INTENTS = frozenset({"praise", "offer_or_promotion", "spam", "other"})
# Cue signals whose phrases are alert words ("stolen", "awful", "hacked", ...).
ALERT_SIGNALS = ("fraud", "lost_stolen", "complaint", "negative")
STRONG_NEGATIVE = 0.7
STRONG_COMPLAINT = 0.7


def _quoted(phrases: list[str]) -> str:
    return ", ".join(f"'{p}'" for p in dict.fromkeys(phrases))


def assess_urgency(
    *,
    intent: str,
    complaint: float,
    sentiment: tuple[str, float],
    signals: Mapping[str, list[str]],
) -> Urgency:
    label, score = sentiment
    critical: list[str] = []
    if "fraud" in signals:
        critical.append(f"fraud or security words: {_quoted(signals['fraud'])}")
    if "lost_stolen" in signals:
        critical.append(f"lost or stolen card: {_quoted(signals['lost_stolen'])}")
    if intent in SECURITY_INTENTS and not critical:
        critical.append(f"security intent: {intent}")
    if critical:
        return Urgency(level="critical", reasons=tuple(critical))
    high: list[str] = []
    if "outage" in signals or intent == "service_outage":
        high.append(f"outage: {_quoted(signals.get('outage', [intent]))}")
    if complaint >= STRONG_COMPLAINT and label == "negative" and score >= STRONG_NEGATIVE:
        high.append(
            f"strong negativity in a complaint ({score:.2f} negative, {complaint:.2f} complaint)"
        )
    if intent in BLOCKED_INTENTS:
        high.append(f"money or access blocked: {intent}")
    if high:
        return Urgency(level="high", reasons=tuple(high))
    if intent in LOW_INTENTS and label != "negative":
        return Urgency(level="low", reasons=(f"{intent}, nothing to resolve",))
    normal = [f"intent: {intent}"]
    if complaint >= 0.5:
        normal.append(f"complaint ({complaint:.2f})")
    if label == "negative":
        normal.append(f"negative ({score:.2f})")
    return Urgency(level="normal", reasons=tuple(normal))
