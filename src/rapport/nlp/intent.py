"""Intents (the 77 of Banking77, verbatim, plus social ones) and the care team each goes to.

The banking model knows requests to a card issuer; social intents come from the cue
phrases of `lexicon`, the complaint model and sentiment. `decide_intent` combines them in
a fixed, documented order, so that the most actionable reading wins.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from rapport.errors import ConfigError

# fmt: off
BANKING77_INTENTS: tuple[str, ...] = (
    "card_arrival", "card_linking", "exchange_rate", "card_payment_wrong_exchange_rate",
    "extra_charge_on_statement", "pending_cash_withdrawal", "fiat_currency_support",
    "card_delivery_estimate", "automatic_top_up", "card_not_working", "exchange_via_app",
    "lost_or_stolen_card", "age_limit", "pin_blocked", "contactless_not_working",
    "top_up_by_bank_transfer_charge", "pending_top_up", "cancel_transfer", "top_up_limits",
    "wrong_amount_of_cash_received", "card_payment_fee_charged",
    "transfer_not_received_by_recipient", "supported_cards_and_currencies",
    "getting_virtual_card", "card_acceptance", "top_up_reverted",
    "balance_not_updated_after_cheque_or_cash_deposit", "card_payment_not_recognised",
    "edit_personal_details", "why_verify_identity", "unable_to_verify_identity",
    "get_physical_card", "visa_or_mastercard", "topping_up_by_card", "disposable_card_limits",
    "compromised_card", "atm_support", "direct_debit_payment_not_recognised",
    "passcode_forgotten", "declined_cash_withdrawal", "pending_card_payment",
    "lost_or_stolen_phone", "request_refund", "declined_transfer", "Refund_not_showing_up",
    "declined_card_payment", "pending_transfer", "terminate_account", "card_swallowed",
    "transaction_charged_twice", "verify_source_of_funds", "transfer_timing",
    "reverted_card_payment?", "change_pin", "beneficiary_not_allowed", "transfer_fee_charged",
    "receiving_money", "failed_transfer", "transfer_into_account", "verify_top_up",
    "getting_spare_card", "top_up_by_cash_or_cheque", "order_physical_card",
    "virtual_card_not_working", "wrong_exchange_rate_for_cash_withdrawal",
    "get_disposable_virtual_card", "top_up_failed", "balance_not_updated_after_bank_transfer",
    "cash_withdrawal_not_recognised", "exchange_charge", "top_up_by_card_charge",
    "activate_my_card", "cash_withdrawal_charge", "card_about_to_expire",
    "apple_pay_or_google_pay", "verify_my_identity", "country_support",
)
SOCIAL_INTENTS: tuple[str, ...] = (
    "praise", "complaint", "question", "service_outage", "fraud_or_security",
    "offer_or_promotion", "spam", "other",
)
INTENTS = BANKING77_INTENTS + SOCIAL_INTENTS
TEAMS: tuple[str, ...] = (
    "cards", "payments", "disputes", "fraud_and_security", "account_access",
    "rewards_and_offers", "general",
)
_TEAM_OF_GROUPS: dict[str, tuple[str, ...]] = {
    "fraud_and_security": (
        "fraud_or_security", "lost_or_stolen_card", "compromised_card", "lost_or_stolen_phone",
        "card_payment_not_recognised", "cash_withdrawal_not_recognised",
        "direct_debit_payment_not_recognised",
    ),
    "disputes": (
        "request_refund", "Refund_not_showing_up", "transaction_charged_twice",
        "extra_charge_on_statement", "wrong_amount_of_cash_received", "reverted_card_payment?",
        "card_payment_wrong_exchange_rate", "wrong_exchange_rate_for_cash_withdrawal",
        "card_payment_fee_charged", "transfer_fee_charged", "cash_withdrawal_charge",
        "exchange_charge", "top_up_by_card_charge", "top_up_by_bank_transfer_charge",
    ),
    "account_access": (
        "service_outage", "passcode_forgotten", "pin_blocked", "change_pin",
        "unable_to_verify_identity", "verify_my_identity", "why_verify_identity",
        "verify_source_of_funds", "verify_top_up", "edit_personal_details", "terminate_account",
        "age_limit",
    ),
    "cards": (
        "card_arrival", "card_linking", "card_delivery_estimate", "card_not_working",
        "contactless_not_working", "getting_virtual_card", "card_acceptance", "get_physical_card",
        "visa_or_mastercard", "disposable_card_limits", "atm_support", "card_swallowed",
        "getting_spare_card", "order_physical_card", "virtual_card_not_working",
        "get_disposable_virtual_card", "activate_my_card", "card_about_to_expire",
        "apple_pay_or_google_pay", "supported_cards_and_currencies", "declined_card_payment",
        "declined_cash_withdrawal", "pending_card_payment",
    ),
    "rewards_and_offers": ("offer_or_promotion",),
    "general": ("praise", "complaint", "question", "spam", "other"),
}
# fmt: on
def _default_teams() -> dict[str, str]:
    mapping = {intent: team for team, intents in _TEAM_OF_GROUPS.items() for intent in intents}
    for intent in INTENTS:
        mapping.setdefault(intent, "payments")
    return mapping


DEFAULT_TEAMS = _default_teams()


def load_team_map(path: Path | None) -> dict[str, str]:
    """The default intent -> team mapping, overridden by a TOML file's `[teams]` table."""
    mapping = dict(DEFAULT_TEAMS)
    if path is None:
        return mapping
    try:
        overrides = tomllib.loads(path.read_text(encoding="utf-8")).get("teams", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the team map {path}: {error}") from error
    return validate_team_map(mapping | overrides, source=str(path))


def validate_team_map(mapping: Mapping[str, object], *, source: str) -> dict[str, str]:
    unknown = sorted(set(mapping) - set(INTENTS))
    if unknown:
        raise ConfigError(
            f"{source}: unknown intent(s) {', '.join(unknown)}; intents are the Banking77 "
            f"names and {', '.join(SOCIAL_INTENTS)}"
        )
    for intent, team in mapping.items():
        if not isinstance(team, str) or not team.strip():
            raise ConfigError(
                f"{source}: team for {intent!r} must be a non-empty string, got {team!r}"
            )
    return {intent: str(team) for intent, team in mapping.items()}


# Banking model confidence needed to name a banking intent: the model was trained on English
# requests, so other languages must clear a higher bar.
BANKING_SURE = {"en": 0.5}
BANKING_SURE_OTHER = 0.75


def decide_intent(
    *,
    lang: str,
    banking: tuple[str, float],
    complaint: float,
    sentiment: tuple[str, float],
    signals: Mapping[str, list[str]],
) -> tuple[str, float]:
    """(intent, confidence): the first of these that holds, in this order.

    spam cues (without fraud or loss cues) -> a confident banking intent -> lost or stolen
    cues -> fraud cues -> outage cues -> declined-payment cues -> a complaint -> offer cues
    -> a question -> praise (cues or clearly positive) -> other.
    """
    banking_intent, banking_score = banking
    if "spam" in signals and "fraud" not in signals and "lost_stolen" not in signals:
        return "spam", 0.9
    if banking_score >= BANKING_SURE.get(lang, BANKING_SURE_OTHER):
        return banking_intent, banking_score
    if "lost_stolen" in signals:
        return "lost_or_stolen_card", 0.9
    if "fraud" in signals:
        return "fraud_or_security", 0.9
    if "outage" in signals:
        return "service_outage", 0.85
    if "declined" in signals:
        return "declined_card_payment", 0.8
    if complaint >= 0.5:
        return "complaint", complaint
    if "offer" in signals:
        return "offer_or_promotion", 0.8
    if "question" in signals:
        return "question", 0.8
    label, score = sentiment
    if "praise" in signals or (label == "positive" and score >= 0.7):
        return "praise", max(score if label == "positive" else 0.0, 0.7)
    return "other", 1.0 - banking_score
