"""The guard against a corpus of disguised personal data (`privacy_corpus.json`: card
numbers, IBANs, account numbers, phones, e-mail and postal addresses, written to dodge a
filter, in a dozen languages) and against 1,000 agent replies of the kind the project
writes: every disguise is stopped, and at most 2% of real replies are.

Run with `-s` to see the figures: `pytest -s tests/care/test_privacy_corpus.py`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rapport.care import reply_templates as rt
from rapport.care.privacy import find_personal_data, mask
from rapport.demo.phrases import LOCALES, Currency, Locale

CORPUS: dict[str, list[dict[str, str]]] = json.loads(
    (Path(__file__).parent / "privacy_corpus.json").read_text(encoding="utf-8")
)
SAMPLE_SIZE = 1000
MAX_FALSE_STOPS = 0.02


def _report(capsys: pytest.CaptureFixture[str], line: str) -> None:
    with capsys.disabled():
        print(f"\n{line}")


def test_the_corpus_is_what_the_issue_asks_for() -> None:
    stops, passes = CORPUS["stop"], CORPUS["pass"]
    assert len(stops) >= 100
    kinds = {e["kind"] for e in stops}
    assert kinds == {"card_number", "iban", "account_number", "phone", "email", "postal_address"}
    assert len({e["lang"] for e in stops}) >= 10
    assert len({e["lang"] for e in passes}) >= 10
    assert len({e["text"] for e in stops}) == len(stops)


def test_every_disguise_is_stopped_and_every_lookalike_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    missed, wrong_kind, false_stops = [], [], []
    for entry in CORPUS["stop"]:
        kinds = {f.kind for f in find_personal_data(entry["text"])}
        if not kinds:
            missed.append(entry["text"])
        elif entry["kind"] not in kinds:
            wrong_kind.append((entry["text"], entry["kind"], sorted(kinds)))
    for entry in CORPUS["pass"]:
        found = find_personal_data(entry["text"])
        if found:
            false_stops.append((entry["text"], [(f.kind, f.text) for f in found]))
    caught = len(CORPUS["stop"]) - len(missed)
    recall = caught / len(CORPUS["stop"])
    precision = caught / (caught + len(false_stops))
    _report(
        capsys,
        f"guard corpus: {len(CORPUS['stop'])} disguised, {len(CORPUS['pass'])} lookalikes; "
        f"recall {recall:.3f}, precision {precision:.3f}",
    )
    assert missed == []
    assert wrong_kind == []
    assert false_stops == []


def test_masking_a_disguise_leaves_nothing_to_find() -> None:
    for entry in CORPUS["stop"]:
        masked = mask(entry["text"])
        assert find_personal_data(masked) == [], (entry["text"], masked)


# Sentences agents add to a template: what happened, with the numbers that are not
# personal data (order and case numbers, amounts, dates, times, years, tracking numbers).
FACTS: dict[str, tuple[str, ...]] = {
    "en": (
        "Your order {order} ships on {date}.",
        "We refunded {amount} on {date} at {time}.",
        "Tracking number: {tracking}.",
        "The charge of {amount} from {date} was reversed (ref {ref}).",
        "Your card ending {last4} was blocked at {time}; the new one arrives in {days} days.",
        "Case {ref} was opened on {date} and we'll update you by {time}.",
        "Prices changed in {year} and again in {year2}.",
        "Order {order} ({amount}) and order {order2} are both on their way.",
    ),
    "es": (
        "Tu pedido {order} sale el {date}.",
        "Te devolvimos {amount} el {date} a las {time}.",
        "Número de seguimiento: {tracking}.",
        "La tarjeta que termina en {last4} llegará en {days} días.",
    ),
    "pt": (
        "Seu pedido {order} sai em {date}.",
        "Estornamos {amount} em {date} às {time}.",
        "Código de rastreio: {tracking}.",
    ),
    "fr": (
        "Ta commande {order} part le {date}.",
        "On t'a remboursé {amount} le {date} à {time}.",
        "Numéro de suivi : {tracking}.",
    ),
    "de": (
        "Deine Bestellung {order} geht am {date} raus.",
        "Wir haben {amount} am {date} um {time} erstattet.",
        "Sendungsnummer: {tracking}.",
    ),
    "it": ("Il tuo ordine {order} parte il {date}.", "Ti abbiamo rimborsato {amount} il {date}."),
    "ru": ("Ваш заказ {order} отправим {date}.", "Мы вернули {amount} {date} в {time}."),
    "tr": ("Siparişin {order} {date} tarihinde kargoda.", "{amount} iaden {date} günü yapıldı."),
    "id": ("Pesanan {order} dikirim tanggal {date}.", "Refund {amount} sudah diproses {date}."),
    "zh": ("你的订单 {order} 将于 {date} 发货。", "退款 {amount} 已于 {date} {time} 处理。"),
    "ar": ("طلبك {order} سيُشحن في {date}.", "أعدنا {amount} في {date}."),
    "hi": ("आपका ऑर्डर {order} {date} को भेजा जाएगा।", "{amount} का रिफ़ंड {date} को हो गया।"),
}


def _money(rng: random.Random, currency: Currency) -> str:
    value = rng.uniform(0.2, 40.0) * currency.typical
    whole, cents = int(value), int(value * 100) % 100
    digits = f"{whole:,}".replace(",", "\x00")
    if currency.indian and whole >= 100_000:
        head, tail = str(whole)[:-3], str(whole)[-3:]
        groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
        digits = "\x00".join([*groups, tail])
    number = digits.replace("\x00", currency.group)
    if currency.decimal:
        number += f"{currency.decimal}{cents:02d}"
    return f"{currency.prefix}{number}{currency.suffix}"


def _date(rng: random.Random, lang: str) -> str:
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(730))
    styles: tuple[str, ...] = (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d.%m.%Y"))
    if lang == "en":
        styles += (day.strftime("%B %d, %Y"), day.strftime("%m/%d/%Y"), day.strftime("%d %b"))
    return rng.choice(styles)


def _order(rng: random.Random) -> str:
    return rng.choice((
        f"#{rng.randrange(10_000, 9_999_999)}",
        f"{rng.randrange(10**7, 10**12)}",
        f"A-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
        f"ORD-{rng.randrange(2024, 2027)}-{rng.randrange(0, 999_999):06d}",
        f"{rng.choice('ABCDEFGHJK')}{rng.randrange(10**5, 10**8)}",
    ))  # fmt: skip


def _tracking(rng: random.Random) -> str:
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    usps = f"94{rng.randrange(10**19, 10**20)}"
    postal = rng.choice(("RR", "LX", "CP")) + str(rng.randrange(10**8, 10**9))
    return rng.choice((
        "1Z" + "".join(rng.choice(alnum) for _ in range(16)),
        " ".join(usps[i : i + 4] for i in range(0, 22, 4)),
        postal + rng.choice(("GB", "DE", "CN")),
        f"{rng.randrange(10**9, 10**10)}",
        f"{rng.randrange(10**11, 10**12)}",
    ))  # fmt: skip


def _values(rng: random.Random, locale: Locale) -> dict[str, str]:
    year = rng.randrange(2015, 2027)
    return {
        "order": _order(rng), "order2": _order(rng), "tracking": _tracking(rng),
        "amount": _money(rng, rng.choice(locale.currencies)), "date": _date(rng, locale.lang),
        "time": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
        "ref": str(rng.randrange(100, 10**6)),
        "last4": f"{rng.randrange(10_000):04d}", "days": str(rng.randrange(2, 10)),
        "year": str(year), "year2": str(year + rng.randrange(1, 4)),
    }  # fmt: skip


def agent_replies(count: int, seed: int = 21) -> Iterator[str]:
    """`count` replies as agents write them: a template or a care phrase of the demo, in the
    customer's language, with a name filled in and one or two sentences of facts."""
    rng = random.Random(seed)
    by_lang: dict[str, list[Locale]] = {}
    for locale in LOCALES:
        by_lang.setdefault(locale.lang, []).append(locale)
    templates = [(lang, text) for texts in rt.BUILT_IN.values() for lang, text in texts.items()]
    phrases = [(loc, text) for loc in LOCALES for kind in ("care", "care_outage")
               for text in loc.book.get(kind, ())]  # fmt: skip
    for _ in range(count):
        if rng.random() < 0.6:
            lang, text = rng.choice(templates)
            locale = rng.choice(by_lang.get(lang, by_lang["en"]))
        else:
            locale, text = rng.choice(phrases)
            lang = locale.lang
        first = rng.choice(locale.first)[0]
        last = rng.choice(locale.last)[0] if locale.last else ""  # some write no surnames
        handle = f"@{rng.choice(locale.first)[1]}{rng.randrange(100)}"
        values: dict[str, Any] = {
            "name": rng.choice((first, f"{first} {last}".strip(), handle)), "agent": "Robin",
            "case": str(rng.randrange(1, 10**6)), "brand": "NovaCard", "user": handle,
            "url_help": "https://novacard.com/help/cards", "url_status": "https://status.novacard.com",
        }  # fmt: skip
        reply = rt.fill(text, values)
        for key in ("user", "url_help", "url_status"):
            reply = reply.replace("{" + key + "}", values[key])
        reply = reply.replace("{agent}", f"^{first[:1]}{last[:1]}")
        facts = FACTS.get(lang, FACTS["en"])
        for _ in range(rng.randrange(1, 3)):
            fact = rng.choice(facts)
            for key, value in _values(rng, locale).items():
                fact = fact.replace("{" + key + "}", value)
            reply += " " + fact
        yield reply


def test_real_agent_replies_are_rarely_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    replies = list(agent_replies(SAMPLE_SIZE))
    assert len(set(replies)) > 0.95 * SAMPLE_SIZE
    assert all("{" not in r for r in replies)
    stopped = [(r, [(f.kind, f.text) for f in found])
               for r in replies if (found := find_personal_data(r))]  # fmt: skip
    rate = len(stopped) / SAMPLE_SIZE
    _report(capsys, f"guard on {SAMPLE_SIZE} agent replies: {len(stopped)} stopped ({rate:.1%})")
    assert rate <= MAX_FALSE_STOPS, stopped[:10]
