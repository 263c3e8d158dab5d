# ruff: noqa: E501
"""Read a 0-10 Net Promoter answer out of a customer's reply, preferring a miss to a wrong score.

`parse_score` folds the text (NFKC, case, every script's digits to ASCII, keycap emoji), then
blanks out numbers that are clearly something else (links, dates, times, amounts, percentages,
durations and counts, phone and card numbers, the "/10" or "out of 10" of a scale), and reads
what is left: digits, number words in the 12 languages, and Chinese numerals in a scoring frame.
It answers only when every remaining candidate is the same whole number from 0 to 10; ranges,
decimals, negatives and out-of-range numbers refuse the whole reply. Replies over 280 characters
are refused before any work, so every pattern runs over a bounded text; the patterns start only
at run boundaries, so they do not backtrack quadratically either.

Words that are also articles or everyday words ("one", "un", "bir", "sei", "neuf", "दो") count
only when they are the whole reply, and in the reply's language when one is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_ANSWER_CHARS = 280


def _table(*lines: str) -> dict[str, int]:
    """ "nine:9 ten:10" -> {"nine": 9, "ten": 10}; a Cyrillic yo also gets its plain-e spelling."""
    table: dict[str, int] = {}
    for line in lines:
        for item in line.split():
            word, _, value = item.partition(":")
            table[word] = int(value)
            table[word.replace("ё", "е")] = int(value)
    return table


def _listed(*lines: str) -> tuple[str, ...]:
    """ "a|b c|d" -> ("a", "b c", "d"): one language per line, "|" between entries."""
    return tuple(w.strip() for line in lines for w in line.split("|") if w.strip())


# Strong words mean a number wherever they appear; one language per line.
_STRONG: dict[str, dict[str, int]] = {
    "en": _table("zero:0 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10"),
    "es": _table("cero:0 dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 diez:10"),
    "pt": _table(
        "zero:0 dois:2 duas:2 três:3 tres:3 quatro:4 cinco:5 seis:6 sete:7 oito:8 nove:9 dez:10"
    ),
    "fr": _table("zéro:0 zero:0 deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 dix:10"),
    "de": _table(
        "null:0 eins:1 zwei:2 zwo:2 drei:3 vier:4 fünf:5 fuenf:5 sechs:6 sieben:7 acht:8 neun:9 zehn:10"
    ),
    "it": _table("zero:0 tre:3 quattro:4 cinque:5 sette:7 otto:8 nove:9 dieci:10"),
    "ru": _table(
        "ноль:0 нуль:0 два:2 две:2 три:3 четыре:4 пять:5 шесть:6 семь:7 восемь:8 девять:9 десять:10",
        "двойка:2 двойку:2 тройка:3 тройку:3 четвёрка:4 четвёрку:4 пятёрка:5 пятёрку:5 шестёрка:6 шестёрку:6",
        "семёрка:7 семёрку:7 восьмёрка:8 восьмёрку:8 девятка:9 девятку:9 десятка:10 десятку:10",
    ),
    "tr": _table("sıfır:0 sifir:0 iki:2 üç:3 dört:4 dort:4 beş:5 sekiz:8 dokuz:9"),
    "id": _table("nol:0 tiga:3 empat:4 lima:5 enam:6 tujuh:7 delapan:8 sembilan:9 sepuluh:10"),
    "hi": _table(
        "शून्य:0 तीन:3 चार:4 पाँच:5 पांच:5 छह:6 छः:6 सात:7 आठ:8 नौ:9 दस:10",
        "shunya:0 paanch:5 panch:5 chhe:6 aath:8 nau:9",
    ),
    "ar": _table(
        "صفر:0 اثنان:2 اثنين:2 ثلاثه:3 ثلاث:3 اربعه:4 اربع:4 خمسه:5 خمس:5 سته:6 سبعه:7 ثمانيه:8 ثماني:8 تسعه:9 تسع:9 عشره:10"
    ),
}
# Weak words are also articles or everyday words: they count only as the whole reply.
_WEAK: dict[str, dict[str, int]] = {
    "en": _table("one:1"),
    "es": _table("uno:1 una:1 un:1"),
    "pt": _table("um:1 uma:1"),
    "fr": _table("un:1 une:1 neuf:9"),
    "de": _table("ein:1 eine:1"),
    "it": _table("uno:1 una:1 due:2 sei:6"),
    "ru": _table("один:1 одна:1 единица:1 единицу:1"),
    "tr": _table("bir:1 altı:6 alti:6 yedi:7 on:10"),
    "id": _table("satu:1 dua:2 kosong:0"),
    "hi": _table("एक:1 दो:2 ek:1 do:2 teen:3 char:4 chaar:4 saat:7 das:10"),
    "ar": _table("واحد:1 ست:6 سبع:7"),
}
# Weak words that are common words in another of the 12 languages: only with their language.
_CLASH = frozenset(_listed("on|do|das|saat|sei|due|dua|char|teen|un|una|uno"))
_STRONG_ALL: dict[str, int] = {w: v for table in _STRONG.values() for w, v in table.items()}
_WEAK_ALL: dict[str, int] = {w: v for table in _WEAK.values() for w, v in table.items()}

_MONTHS = _listed(
    "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec",
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre",
    "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro",
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    "januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|dez",
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre",
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря",
    "ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık",
    "januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember",
    "जनवरी|फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|अक्टूबर|नवंबर|दिसंबर",
    "يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر",
)
_CURRENCY_SIGN = (
    r"[$€£¥₹₺₽₩₱₫₦¢]|r\$|us\$|rs\.?|rp\.?|inr|usd|eur|gbp|brl|rub|cny|rmb|idr|sar|aed|mxn"
)
_CURRENCY_WORD = _listed(
    "dollar|dollars|bucks|euro|euros|pound|pounds|quid|cent|cents|real|reais|peso|pesos|centavos|céntimos|centimes",
    "rupee|rupees|rupia|rupiah|lira|liras|tl|рубль|рубля|рублей|руб|юань|юаней",
    "ريال|درهم|جنيه|دولار|يورو|रुपये|रुपए|रुपया|डॉलर",
)
_UNIT_WORD = _listed(
    "min|mins|minute|minutes|hour|hours|hr|hrs|day|days|week|weeks|month|months|year|years|time|times|call|calls|am|pm",
    "minuto|minutos|hora|horas|día|días|dia|dias|semana|semanas|mes|meses|año|años|veces|mês|ano|anos|vezes",
    "heure|heures|jour|jours|semaine|semaines|mois|an|ans|année|années|fois",
    "minuten|stunde|stunden|tag|tage|tagen|woche|wochen|monat|monate|monaten|jahr|jahre|jahren|mal|uhr",
    "minuti|ora|ore|giorno|giorni|settimana|settimane|mese|mesi|anno|anni|volte",
    "минута|минуты|минут|час|часа|часов|день|дня|дней|неделя|недели|недель|месяц|месяца|месяцев|год|года|лет|раз|раза",
    "dakika|saat|gün|hafta|ay|yıl|kez|kere",
    "menit|jam|hari|minggu|bulan|tahun|kali",
    "मिनट|घंटे|घंटा|दिन|हफ्ते|महीने|साल|बार|बजे",
    "دقيقه|دقائق|ساعه|ساعات|يوم|ايام|اسبوع|شهر|اشهر|سنه|سنوات|مره|مرات",
)
_CJK_UNIT = _listed("分钟|小时|个月|星期|月|日|号|点|元|块|年|天|周|次|个|岁")
_PERCENT_WORD = _listed(
    "percent|per cent|por ciento|por cento|pour cent|prozent|per cento|процентов|процента|процент|persen|प्रतिशत|بالمئه"
)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_B = r"\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0963\u0966-\u097f"  # letters and marks
_WORD = rf"(?<![{_B}])(?:{_alt(_STRONG_ALL)})(?![{_B}])"
_NUM = rf"(?:(?<!\d)\d+(?:[.,]\d+)*|{_WORD})"
_MONTH = _alt(_MONTHS)

# (pattern, poison): matches are blanked; a poison match also refuses the whole reply.
# fmt: off
_MASK_SOURCES: tuple[tuple[str, bool], ...] = (
    (r"(?<!\S)(?:https?://|www\.)\S*|(?<!\S)[^\s@]*@\S*|#\w+", False),  # links, e-mail, handles, tags
    (r"(?<!\d)\d{1,4}([/.\-])\d{1,2}\1\d{1,4}(?!\d)", False),  # 12/05/2024, 2024-05-12
    (rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s?(?:de\s)?(?:{_MONTH})(?!\w)|(?<!\w)(?:{_MONTH})\.?\s?\d{{1,2}}(?!\d)", False),
    (r"(?<!\d)\d{1,2}(?::\s?\d{2}|h\d{2}|\.\d{2})(?!\d)|(?<!\w)(?:saat|jam)\s\d{1,2}(?!\d)", False),  # 9:30, 9h30, saat 9
    (rf"(?:{_CURRENCY_SIGN})\s?\d+(?:[.,]\d+)*|{_NUM}\s?(?:{_CURRENCY_SIGN}|{_alt(_CURRENCY_WORD)})(?![{_B}])", False),
    (rf"{_NUM}\s?(?:%|(?:{_alt(_PERCENT_WORD)})(?!\w))|(?:%|(?<!\w)yüzde\s?)\d+", False),
    (rf"{_NUM}\s?(?:(?:{_alt(_UNIT_WORD)})(?![{_B}])|{_alt(_CJK_UNIT)})|第\s?\d+", False),  # durations, counts
    (r"(?<!\d)[01]\s?(?:-|–|to|a|à|bis|al|ao|до|ila|sampai|hingga|से|إلى|到)\s?10(?!\d)", False),  # "0-10", "de 1 a 10"
    (r"(?<!\d)\+?\d+(?:[ \-.]\d+){2,}(?!\d)|(?<!\d)\d{5,}", False),  # phone and card numbers
    (r"(?<!\w)(?:out\s+of|of|de|sur|von|su|из|dari|من|em)\s(?:10|ten|diez|dez|dix|zehn|dieci|десяти|sepuluh|عشره)(?!\w)", False),
    (r"(?<!\d)(?:10|on)\s?(?:'?(?:dan|den|tan|ten)\s)?üzerinden|(?<!\d)(?:10|दस)\s?में\s?से|满分\s?(?:10|十)\s?分?|(?:10|十)\s?分制", False),
    (r"(?<!\d)\d+[.,]\d+", True),  # decimals: 8.5 is no answer
    (r"(?<![\w\d])[-−]\s?\d", True),  # negatives
)
# fmt: on
_MASKS = tuple((re.compile(p, re.IGNORECASE), poison) for p, poison in _MASK_SOURCES)
_SLASH = re.compile(r"(?<!\d)(\d+)(\s?/\s?)(\d+)(?!\d)")
_DIGITS = re.compile(r"(?<!\d)\d+(?!\d)")
_STRONG_WORDS = re.compile(_WORD)
_ZH = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_ZH_VALUE = dict(
    zip("零〇一二两三四五六七八九十", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10), strict=True)
)
_ZH_FRAME_BEFORE = "给打评选是"
_ZH_PARTICLES = frozenset("吧啊呀了呢哦哈嘛")
_ORDINAL_AFTER = re.compile(r"['’](?:inci|ıncı|uncu|üncü|nci|ncı|ncu|ncü)|[-‑][^\W\d_]", re.I)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "٪": "%", "٫": ".", "٬": ",", "،": ","}
)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def fold_text(text: str) -> str:
    """Fold a reply for matching: NFKC, case, ASCII digits, Arabic letter variants, keycaps."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u0307", "")
    text = text.replace("\U0001f51f", " 10 ").replace("\U0001f4af", " 10 ")  # 🔟 💯
    text = text.replace("\ufe0f", "").replace("\u20e3", "")  # 9️⃣ -> 9
    if not text.isascii():
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
        text = "".join(_ascii_digit(ch) for ch in text)
    return text


def _ascii_digit(ch: str) -> str:
    if ch.isascii():
        return ch
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _slash(match: re.Match[str]) -> str:
    """Keep the numerator of "8/10"; blank every other fraction (dates, "4/5" scales)."""
    if int(match.group(3)) == 10:
        return match.group(1) + " " * (len(match.group(2)) + len(match.group(3)))
    return _blank(match)


def _is_letter(ch: str) -> bool:
    """A letter that glues to a number ("2nd", "9am", "h30"); CJK text has no spaces, so not CJK."""
    if ch in "ºª°":
        return True
    if not (ch.isalpha() or unicodedata.category(ch).startswith("M")):
        return False
    return not ("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def _digit_candidates(s: str) -> list[int]:
    found: list[int] = []
    for match in _DIGITS.finditer(s):
        start, end = match.span()
        if (start > 0 and _is_letter(s[start - 1])) or (end < len(s) and _is_letter(s[end])):
            continue
        if _ORDINAL_AFTER.match(s, end):
            continue
        found.append(int(match.group()))
    return found


def _zh_candidates(s: str) -> list[int]:
    """Chinese numerals count only in a scoring frame: "九", "九分", "给九分", "打十分吧"."""
    found: list[int] = []
    core = "".join(ch for ch in s if ch.isalnum() and ch not in _ZH_PARTICLES)
    for match in _ZH.finditer(s):
        start, end = match.span()
        numeral = match.group()
        after = s[end : end + 1]
        tail = s[end + 1 : end + 2] if after == "分" else after
        closes = tail == "" or not tail.isalnum() or tail in _ZH_PARTICLES
        framed = start > 0 and s[start - 1] in _ZH_FRAME_BEFORE
        if core not in (numeral, numeral + "分") and not ((framed or after == "分") and closes):
            continue
        found.append(_ZH_VALUE[numeral] if len(numeral) == 1 else -1)
    return found


def _sole_word(s: str) -> str | None:
    """The reply's only word, if it has one word and nothing else but punctuation and emoji."""
    words = [w for w in s.split() if any(ch.isalnum() for ch in w)]
    if len(words) != 1:
        return None
    return "".join(
        ch for ch in words[0] if ch.isalnum() or unicodedata.category(ch).startswith("M")
    )


def _weak_value(word: str, lang: str | None) -> int | None:
    if lang is not None:
        return _WEAK.get(lang, {}).get(word)
    if word in _CLASH:
        return None
    return _WEAK_ALL.get(word)


def parse_score(text: str, lang: str | None = None) -> int | None:
    """The 0-10 score a reply gives, or None when it gives none or more than one."""
    text = text.strip()
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    if lang is not None:
        lang = lang.replace("_", "-").split("-")[0].lower()
    s = fold_text(text)
    poisoned = False
    for pattern, poison in _MASKS:
        if poison and pattern.search(s) is not None:
            poisoned = True
        s = pattern.sub(_blank, s)
    if poisoned:
        return None
    s = _SLASH.sub(_slash, s)
    candidates = _digit_candidates(s)
    candidates += [_STRONG_ALL[m.group()] for m in _STRONG_WORDS.finditer(s)]
    candidates += _zh_candidates(s)
    if not candidates:
        word = _sole_word(s)
        return None if word is None else _weak_value(word, lang)
    values = set(candidates)
    if len(values) != 1:
        return None
    value = values.pop()
    return value if 0 <= value <= 10 else None
