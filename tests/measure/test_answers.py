"""Reading replies to the survey: scores in 12 languages, refusals, opt-outs, the question."""

from __future__ import annotations

import time

import pytest

from rapport.measure.answers import MAX_ANSWER_CHARS, parse_score
from rapport.measure.survey import is_opt_out, question

ANSWERS: list[tuple[str, str | None, int]] = [
    # digits and scales
    ("9", None, 9),
    ("I'd say 8", "en", 8),
    ("10/10", None, 10),
    ("8/10", None, 8),
    ("8 out of 10", "en", 8),
    ("nine out of ten", "en", 9),
    ("Definitely a 10!", "en", 10),
    ("0", None, 0),
    ("I waited 3 days for the refund, but 8", "en", 8),
    ("9 - though the €20 fee hurt", "en", 9),
    ("From 0 to 10? 7", "en", 7),
    # other scripts' digits
    ("٩", "ar", 9),
    ("９", None, 9),
    ("९", "hi", 9),
    ("أعطيكم ٩ من ١٠", "ar", 9),
    ("मैं 10 में से 9 दूंगा", "hi", 9),
    # number words, one language each
    ("nine", "en", 9),
    ("Le doy un nueve", "es", 9),
    ("Nota nove!", "pt", 9),
    ("neuf", "fr", 9),
    ("Ich gebe euch eine Neun", "de", 9),
    ("dieci", "it", 10),
    ("девять", "ru", 9),
    ("ставлю девятку", "ru", 9),
    ("ставлю 9 из 10", "ru", 9),
    ("dokuz", "tr", 9),
    ("10 üzerinden 9", "tr", 9),
    ("sembilan", "id", 9),
    ("9 dari 10", "id", 9),
    ("नौ", "hi", 9),
    ("nau", "hi", 9),
    ("تسعة", "ar", 9),
    ("九", "zh", 9),
    ("十", "zh", 10),
    ("我给9分", "zh", 9),
    ("打九分吧", "zh", 9),
    ("满分10分，我给8分", "zh", 8),
    # words that are also articles count alone, in their language
    ("Uno", "es", 1),
    ("one", None, 1),
    ("on", "tr", 10),
    # emoji
    ("9️⃣", None, 9),
    ("🔟", None, 10),
    ("💯", None, 10),
    ("10/10 would recommend 💯", "en", 10),
    ("👍 9", None, 9),
]


@pytest.mark.parametrize(("text", "lang", "expected"), ANSWERS)
def test_reads_the_score(text: str, lang: str | None, expected: int) -> None:
    assert parse_score(text, lang) == expected


REFUSALS: list[tuple[str, str | None]] = [
    ("Thanks, all sorted!", "en"),  # no number
    ("👍", None),  # a thumbs-up is not a score
    ("between 6 and 8", "en"),  # several candidates
    ("7 or 8", "en"),
    ("6-8", None),
    ("8.5", None),  # not a whole number
    ("-1", None),
    ("100", None),  # out of range
    ("11", None),
    ("€9", None),  # amounts
    ("9 euros", "es"),
    ("nine dollars", "en"),
    ("9:30", None),  # times
    ("9am", "en"),
    ("12/05/2024", None),  # dates
    ("9 May", "en"),
    ("9/5", None),
    ("4111 1111 1111 1111", None),  # card and phone numbers
    ("+1 555 123 4567", None),
    ("2nd", "en"),  # ordinals
    ("50%", None),  # percentages
    ("ten minutes", "en"),  # durations
    ("十分满意", "zh"),  # "very satisfied", not "ten points"
    ("一般", "zh"),  # "so-so"
    ("on", None),  # English "on" is no Turkish ten without the language
    ("Le doy un", "es"),  # inside a sentence "un" is only an article
    ("9 " + "x" * MAX_ANSWER_CHARS, "en"),  # a survey answer is short
]


@pytest.mark.parametrize(("text", "lang"), REFUSALS)
def test_refuses_non_answers(text: str, lang: str | None) -> None:
    assert parse_score(text, lang) is None


def test_hostile_input_is_fast() -> None:
    nasty = ["1" * 280, "1 " * 140, "1-" * 140, "@" * 280, "1/" * 140, "九" * 280, "nine six " * 31]
    start = time.perf_counter()
    for text in nasty:
        assert parse_score(text) is None
    assert parse_score("9" * 1_000_000) is None
    assert time.perf_counter() - start < 0.5


OPT_OUTS: list[tuple[str, str | None]] = [
    ("stop", "en"),
    ("STOP!", None),
    ("No more surveys please", "en"),
    ("Don’t send me surveys", "en"),
    ("basta", "it"),
    ("para", "es"),
    ("Stop les sondages", "fr"),
    ("Keine Umfragen mehr!", "de"),
    ("hayır", "tr"),
    ("HAYIR", "tr"),
    ("хватит опросов", "ru"),
    ("jangan kirim survei lagi", "id"),
    ("सर्वे मत भेजो", "hi"),
    ("إلغاء الاشتراك", "ar"),
    ("不要再发问卷了", "zh"),
]


@pytest.mark.parametrize(("text", "lang"), OPT_OUTS)
def test_reads_opt_outs(text: str, lang: str | None) -> None:
    assert is_opt_out(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("9", None),
        ("I will stop by the branch later", "en"),  # "stop" only counts as the whole reply
        ("Para mim foi ótimo, 9", "pt"),  # "para" is also "for"
        ("bas", "fr"),  # Hindi "enough" is not read in a French reply
        ("", None),
    ],
)
def test_does_not_read_opt_out_into_answers(text: str, lang: str | None) -> None:
    assert not is_opt_out(text, lang)


def test_question_per_language_with_fallback() -> None:
    assert question("en") == (
        "Hey! Quick one: from 0 to 10, how likely are you to recommend NovaCard to a friend? "
        "Just reply with a number."
    )
    assert "NovaCard" in question("pt-BR")
    assert question("pt-BR").startswith("Oi!")
    assert question("xx") == question("en") == question(None)
    assert "Acme" in question("zh", brand="Acme")
    languages = ["en", "es", "pt", "fr", "de", "it", "ar", "hi", "ru", "tr", "id", "zh"]
    assert len({question(lang) for lang in languages}) == 12
    with pytest.raises(ValueError, match="brand"):
        question("en", brand=" ")
