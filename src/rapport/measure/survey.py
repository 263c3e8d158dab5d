# ruff: noqa: E501
"""The rules of asking for a Net Promoter answer: when, when not, opt-outs, and the question.

A customer is asked once per resolved case, never while they are opted out, and not again
within the cool-down after the last time they were asked, whatever the case. `is_opt_out`
reads clear stop phrases in the 12 languages: a short word ("stop", "basta", "hayir", "нет")
only as the whole reply, a longer phrase ("no more surveys", "keine Umfragen") anywhere in it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapport.measure.answers import MAX_ANSWER_CHARS, fold_text

DEFAULT_BRAND = "NovaCard"


@dataclass(frozen=True, slots=True)
class SurveyPolicy:
    """How long to wait between two surveys to the same customer (0: no cool-down)."""

    cooldown_days: int = 30

    def __post_init__(self) -> None:
        if self.cooldown_days < 0:
            raise ValueError(f"cooldown_days cannot be negative, got {self.cooldown_days}")

    def should_ask(
        self,
        case_resolved: bool,
        already_asked_for_case: bool,
        last_asked_customer_at: datetime | None,
        opted_out: bool,
        now: datetime,
    ) -> tuple[bool, str]:
        """Whether to send the survey now, and why, in words an agent can read."""
        if opted_out:
            return False, "customer opted out"
        if not case_resolved:
            return False, "case not resolved yet"
        if already_asked_for_case:
            return False, "asked already for this case"
        if last_asked_customer_at is not None and self.cooldown_days > 0:
            if (last_asked_customer_at.tzinfo is None) != (now.tzinfo is None):
                raise ValueError("last_asked_customer_at and now must both be aware or both naive")
            elapsed = max(now - last_asked_customer_at, timedelta(0))  # a future stamp: just asked
            if elapsed < timedelta(days=self.cooldown_days):
                days = elapsed.days
                ago = "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"
                return False, f"customer asked {ago} (cool-down {self.cooldown_days} days)"
        return True, "case resolved, customer not asked recently"


def should_ask(
    case_resolved: bool,
    already_asked_for_case: bool,
    last_asked_customer_at: datetime | None,
    opted_out: bool,
    now: datetime,
    policy: SurveyPolicy | None = None,
) -> tuple[bool, str]:
    """`SurveyPolicy.should_ask` with the default 30-day cool-down unless a policy is given."""
    return (policy or SurveyPolicy()).should_ask(
        case_resolved, already_asked_for_case, last_asked_customer_at, opted_out, now
    )


# Whole-reply words and phrases, one language per line, "|" between entries.
_STOP_WORDS: dict[str, str] = {
    "en": "stop|unsubscribe|no|nope|stop it|no thanks|no thank you|leave me alone",
    "es": "para|basta|no|baja|no gracias|ya basta|dejen de escribirme",
    "pt": "para|pare|parem|chega|não|nao|não obrigado|não obrigada|sair",
    "fr": "stop|arrête|arrêtez|non|non merci|ça suffit",
    "de": "stop|stopp|nein|nein danke|abmelden|aufhören|hört auf",
    "it": "stop|basta|no|no grazie|smettetela",
    "ru": "стоп|хватит|нет|нет спасибо|отписаться|отстаньте",
    "tr": "dur|yeter|hayır|hayir|istemiyorum|stop",
    "id": "stop|berhenti|tidak|cukup|tidak usah|gak usah|ga usah|nggak",
    "hi": "बंद|रुको|नहीं|bas|band karo|nahi|nahin|stop",
    "ar": "توقف|توقفوا|لا|كفى|كفاية|إلغاء الاشتراك",
    "zh": "不|不要|停止|别发了|退订|取消订阅|不用了",
}
# Phrases that opt out wherever they appear in a short reply, one language per line.
_STOP_PHRASES: tuple[str, ...] = (
    "no more surveys|stop sending surveys|stop the surveys|stop surveys|unsubscribe|don't send me surveys|do not send me surveys|don't ask me again|opt out|opt me out",
    "no más encuestas|no mas encuestas|basta de encuestas|dejen de enviar encuestas|no quiero encuestas|no quiero más encuestas|darme de baja",
    "chega de pesquisas|não quero mais pesquisas|nao quero mais pesquisas|parem de enviar pesquisas|sem mais pesquisas|descadastrar",
    "stop les sondages|stop aux sondages|plus de sondages|arrêtez les sondages|arrêtez les enquêtes|désabonner|désinscrire",
    "keine umfragen|keine umfrage mehr|hört auf mit den umfragen|abmelden",
    "basta sondaggi|basta con i sondaggi|niente più sondaggi|non voglio sondaggi|non voglio più sondaggi|disiscrivimi",
    "хватит опросов|больше никаких опросов|не присылайте опросы|не присылайте опросов|отпишите меня|отписаться",
    "anket istemiyorum|anket göndermeyin|anket yollamayın|artık anket|abonelikten çık",
    "jangan kirim survei|jangan kirim survey|tidak mau survei|stop survei|berhenti berlangganan",
    "सर्वे बंद करो|सर्वे मत भेजो|survey band karo|survey mat bhejo",
    "لا مزيد من الاستبيانات|توقفوا عن إرسال الاستبيانات|لا ترسلوا استبيانات|إلغاء الاشتراك",
    "不要再发问卷|别再发问卷|不要问卷|停止发送|退订",
)


def _entries(line: str) -> list[str]:
    """Folded entries of a "|" line: accents kept, case, digits and Arabic variants folded."""
    return [_words_only(fold_text(w)) for w in line.split("|") if w.strip()]


def _words_only(text: str) -> str:
    """Letters, marks, digits and apostrophes kept; everything else becomes one space."""
    kept = "".join(ch if ch.isalnum() or ch == "'" or _is_mark(ch) else " " for ch in text)
    return " ".join(kept.split())


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


_FOLDED_PHRASES = tuple(p for line in _STOP_PHRASES for p in _entries(line))
_FOLDED_WORDS = {lang: frozenset(_entries(line)) for lang, line in _STOP_WORDS.items()}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_opt_out(text: str, lang: str | None = None) -> bool:
    """Whether a reply asks to stop surveys. With a language, its whole-reply words and English."""
    text = text.strip()
    if not text or len(text) > MAX_ANSWER_CHARS:
        return False
    folded = _words_only(fold_text(text).replace("\u2019", "'"))
    padded = f" {folded} "
    for phrase in _FOLDED_PHRASES:
        needle = phrase if _has_cjk(phrase) else f" {phrase} "
        if needle in padded:
            return True
    if lang is None:
        langs = list(_FOLDED_WORDS)
    else:
        langs = [lang.replace("_", "-").split("-")[0].lower(), "en"]
    return any(folded in _FOLDED_WORDS.get(code, frozenset()) for code in langs)


# The question in the brand's voice: warm, informal, short. {brand} is filled in.
_QUESTIONS: dict[str, str] = {
    "en": "Hey! Quick one: from 0 to 10, how likely are you to recommend {brand} to a friend? Just reply with a number.",
    "es": "¡Hola! Una rapidita: del 0 al 10, ¿qué tan probable es que le recomiendes {brand} a un amigo? Respóndenos solo con un número.",
    "pt": "Oi! Rapidinho: de 0 a 10, qual a chance de você recomendar {brand} para um amigo? É só responder com um número.",
    "fr": "Coucou ! Petite question : de 0 à 10, quelle est la probabilité que tu recommandes {brand} à un ami ? Réponds simplement avec un nombre.",
    "de": "Hey! Kurze Frage: Wie wahrscheinlich ist es auf einer Skala von 0 bis 10, dass du {brand} einem Freund empfiehlst? Antworte einfach mit einer Zahl.",
    "it": "Ciao! Una domanda veloce: da 0 a 10, quanto è probabile che tu consigli {brand} a un amico? Rispondi semplicemente con un numero.",
    "ar": "مرحباً! سؤال سريع: من 0 إلى 10، ما مدى احتمال أن تنصح صديقاً بـ{brand}؟ فقط أرسل لنا رقماً.",
    "hi": "नमस्ते! एक छोटा-सा सवाल: 0 से 10 तक, आप अपने किसी दोस्त को {brand} रिकमेंड करने की कितनी संभावना रखते हैं? बस एक नंबर भेज दीजिए।",
    "ru": "Привет! Короткий вопрос: от 0 до 10, насколько вероятно, что ты посоветуешь {brand} другу? Просто пришли число в ответ.",
    "tr": "Merhaba! Kısa bir soru: 0'dan 10'a kadar, {brand} markasını bir arkadaşına önerme ihtimalin nedir? Sadece bir sayı yazman yeterli.",
    "id": "Hai! Pertanyaan singkat nih: dari 0 sampai 10, seberapa mungkin kamu merekomendasikan {brand} ke teman? Cukup balas dengan angka ya.",
    "zh": "嗨！问个小问题：从0到10分，你有多大可能把{brand}推荐给朋友？直接回复一个数字就好。",
}


def question(lang: str | None, brand: str = DEFAULT_BRAND) -> str:
    """The survey question in a language ("pt-BR" reads as "pt"), English when there is none."""
    brand = brand.strip()
    if not brand:
        raise ValueError("brand must not be empty")
    code = "en" if lang is None else lang.replace("_", "-").split("-")[0].lower()
    return _QUESTIONS.get(code, _QUESTIONS["en"]).format(brand=brand)
