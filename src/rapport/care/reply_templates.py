# ruff: noqa: E501
# One language per line reads better than wrapped strings (as in route/templates.py).
"""Reply templates: the agent's ready answers, in the customer's language and the brand's
warm, informal voice.

Each tenant may write its own template for a (name, language); it takes the place of the
built-in one of that name and language. A template never asks for card numbers or other
personal data in public: account matters move to private messages.

Variables, filled in when an agent picks a template for a case:

- `{name}`: the customer's display name, else their handle;
- `{agent}`: the agent's first name;
- `{case}`: the case id;
- `{brand}`: the brand (the `brand` setting, "NovaCard" by default).

Values are inserted as plain text in one pass over the template, never through
`str.format`: a customer named "{agent}" or "{0.__class__}" stays exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapport.care.privacy import find_personal_data
from rapport.errors import InputError
from rapport.records.templates import SavedTemplate, Template
from rapport.route.templates import BUILT_IN as ACKNOWLEDGEMENTS

VARIABLES = ("name", "agent", "case", "brand")
NAME = re.compile(r"^[a-z0-9_]{1,64}$")
LANG = re.compile(r"^[a-z]{2}$")
MAX_TEXT = 2000
FALLBACK_LANG = "en"
_PLACEHOLDER = re.compile(r"\{(" + "|".join(VARIABLES) + r")\}")
_ANY_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,64})\}")
_VALUE_CHARS = 40
# The name slot with what only makes sense beside a name: the separator before it, or the
# punctuation right after it at the start of the text ("{name}，" in Chinese).
_NAME_SLOT = re.compile(
    r"^\{name\}[，,、]?\s*|[ \t]*[,،]?[ \t]*(?:يا )?\{name\}(?=[\s,.!?،，！。]|$)"
)

BUILT_IN: dict[str, dict[str, str]] = {
    **ACKNOWLEDGEMENTS,
    "sorry_delay": {
        "en": "Hey {name}, sorry for the wait! I'm {agent} from {brand} and I'm looking into this right now (case {case}). I'll get back to you soon.",
        "es": "¡Hola {name}! Perdona la espera. Soy {agent} de {brand} y ya estoy revisando tu caso ({case}). Te escribo muy pronto.",
        "pt": "Oi {name}! Desculpa a demora. Aqui é {agent}, da {brand}, e já estou olhando seu caso ({case}). Te respondo rapidinho.",
        "fr": "Salut {name}, désolé pour l'attente ! C'est {agent} de {brand}, je regarde ton dossier ({case}) tout de suite et je reviens vers toi très vite.",
        "de": "Hey {name}, sorry, dass es so lange dauert! Ich bin {agent} von {brand} und schaue mir deinen Fall ({case}) gerade an. Ich melde mich gleich.",
        "it": "Ciao {name}, scusa per l'attesa! Sono {agent} di {brand} e sto già guardando la tua pratica ({case}). Ti rispondo a breve.",
        "ar": "أهلاً {name}، نعتذر عن التأخير! معك {agent} من {brand}، ونتابع طلبك ({case}) الآن. سنعود إليك قريباً.",
        "hi": "नमस्ते {name}, इंतज़ार के लिए माफ़ कीजिए! मैं {brand} से {agent} हूँ, हम अभी आपका केस ({case}) देख रहे हैं और जल्द ही जवाब देंगे।",
        "ru": "Привет, {name}! Извините, что заставили ждать. Это {agent} из {brand}: мы уже разбираемся с вашим обращением ({case}) и скоро ответим.",
        "tr": "Merhaba {name}, beklettiğimiz için kusura bakma! Ben {brand} ekibinden {agent}; talebine ({case}) şu an bakıyorum, çok yakında dönüş yapacağım.",
        "zh": "{name}你好，抱歉让你久等了！我是{brand}的{agent}，正在处理你的问题（编号 {case}），很快回复你。",
        "id": "Hai {name}, maaf ya sudah menunggu! Aku {agent} dari {brand}, lagi cek kasus kamu ({case}) sekarang. Nanti segera kukabari.",
    },
    "refund_processing": {
        "en": "Hi {name}, good news: your refund is being processed! It can take a few business days to show up. Any questions, just ask. – {agent}, {brand}",
        "es": "¡Hola {name}! Buenas noticias: tu reembolso ya está en proceso. Puede tardar unos días hábiles en verse reflejado. Cualquier duda, aquí estamos. – {agent}, {brand}",
        "pt": "Oi {name}! Boa notícia: seu reembolso já está sendo processado. Pode levar alguns dias úteis para aparecer. Qualquer dúvida, é só chamar. – {agent}, {brand}",
        "fr": "Salut {name}, bonne nouvelle : ton remboursement est en cours ! Il peut falloir quelques jours ouvrés pour qu'il apparaisse. Une question ? On est là. – {agent}, {brand}",
        "de": "Hi {name}, gute Nachricht: Deine Erstattung wird gerade bearbeitet! Es kann ein paar Werktage dauern, bis du sie siehst. Fragen? Meld dich einfach. – {agent}, {brand}",
        "it": "Ciao {name}, buone notizie: il tuo rimborso è in lavorazione! Potrebbero volerci alcuni giorni lavorativi prima di vederlo. Per qualsiasi dubbio, scrivici. – {agent}, {brand}",
        "ar": "أهلاً {name}، خبر سار: نعمل الآن على استرداد أموالك! قد يستغرق ظهوره بضعة أيام عمل. لأي سؤال، نحن هنا. – {agent}، {brand}",
        "hi": "नमस्ते {name}, अच्छी खबर: आपका रिफ़ंड प्रोसेस हो रहा है! इसे दिखने में कुछ कामकाजी दिन लग सकते हैं। कोई सवाल हो तो बताइए। – {agent}, {brand}",
        "ru": "Привет, {name}! Хорошие новости: ваш возврат уже в обработке. Деньги могут прийти в течение нескольких рабочих дней. Если будут вопросы, пишите! – {agent}, {brand}",
        "tr": "Merhaba {name}, müjde: iaden işleme alındı! Yansıması birkaç iş günü sürebilir. Bir sorun olursa yazman yeterli. – {agent}, {brand}",
        "zh": "{name}你好，好消息：你的退款正在处理中！到账可能需要几个工作日。有任何问题随时找我们。——{agent}，{brand}",
        "id": "Hai {name}, kabar baik: refund kamu sedang diproses! Mungkin butuh beberapa hari kerja sampai masuk. Ada pertanyaan? Kabari kami ya. – {agent}, {brand}",
    },
    "card_on_its_way": {
        "en": "Hey {name}, your new {brand} card is on its way! It should arrive within a few business days. Shout if you need anything. – {agent}",
        "es": "¡Hola {name}! Tu nueva tarjeta {brand} ya va en camino. Debería llegarte en unos días hábiles. Si necesitas algo, aquí estamos. – {agent}",
        "pt": "Oi {name}! Seu novo cartão {brand} já está a caminho. Deve chegar em alguns dias úteis. Precisando de algo, é só chamar. – {agent}",
        "fr": "Salut {name}, ta nouvelle carte {brand} est en route ! Elle devrait arriver d'ici quelques jours ouvrés. Besoin de quoi que ce soit ? Fais-nous signe. – {agent}",
        "de": "Hey {name}, deine neue {brand}-Karte ist unterwegs! Sie sollte in ein paar Werktagen bei dir sein. Wenn du noch etwas brauchst, sag einfach Bescheid. – {agent}",
        "it": "Ciao {name}, la tua nuova carta {brand} è in viaggio! Dovrebbe arrivare entro pochi giorni lavorativi. Se ti serve qualcosa, siamo qui. – {agent}",
        "ar": "أهلاً {name}، بطاقتك الجديدة من {brand} في الطريق إليك! ستصلك خلال بضعة أيام عمل. إن احتجت أي شيء، نحن هنا. – {agent}",
        "hi": "नमस्ते {name}, आपका नया {brand} कार्ड रास्ते में है! यह कुछ कामकाजी दिनों में पहुँच जाना चाहिए। कुछ भी चाहिए तो बताइए। – {agent}",
        "ru": "Привет, {name}! Ваша новая карта {brand} уже в пути и должна прийти в течение нескольких рабочих дней. Если что-то понадобится, пишите! – {agent}",
        "tr": "Merhaba {name}, yeni {brand} kartın yolda! Birkaç iş günü içinde sana ulaşır. Bir şeye ihtiyacın olursa yazman yeterli. – {agent}",
        "zh": "{name}你好，你的新{brand}卡已经在路上啦！预计几个工作日内送达。有任何需要随时告诉我们。——{agent}",
        "id": "Hai {name}, kartu {brand} baru kamu sudah dalam perjalanan! Harusnya sampai dalam beberapa hari kerja. Kalau butuh apa-apa, kabari kami ya. – {agent}",
    },
    "resolved_thanks": {
        "en": "Thanks so much for your patience, {name}! Glad we could sort this out. Have a great day! – {agent}, {brand}",
        "es": "¡Mil gracias por tu paciencia, {name}! Nos alegra haberlo resuelto. ¡Que tengas un gran día! – {agent}, {brand}",
        "pt": "Muito obrigado pela paciência, {name}! Que bom que conseguimos resolver. Tenha um ótimo dia! – {agent}, {brand}",
        "fr": "Merci beaucoup pour ta patience, {name} ! Ravis d'avoir pu régler ça. Belle journée à toi ! – {agent}, {brand}",
        "de": "Danke dir für deine Geduld, {name}! Schön, dass wir das klären konnten. Hab einen tollen Tag! – {agent}, {brand}",
        "it": "Grazie mille per la pazienza, {name}! Siamo felici di aver risolto. Buona giornata! – {agent}, {brand}",
        "ar": "شكراً جزيلاً على صبرك يا {name}! سعداء أننا حللنا المشكلة. نتمنى لك يوماً رائعاً! – {agent}، {brand}",
        "hi": "आपके धैर्य के लिए बहुत-बहुत धन्यवाद, {name}! खुशी है कि यह सुलझ गया। आपका दिन शानदार हो! – {agent}, {brand}",
        "ru": "Спасибо большое за терпение, {name}! Рады, что всё удалось решить. Хорошего дня! – {agent}, {brand}",
        "tr": "Sabrın için çok teşekkürler, {name}! Sorunu çözebildiğimize çok sevindik. Harika bir gün geçir! – {agent}, {brand}",
        "zh": "{name}，非常感谢你的耐心！很高兴问题解决了。祝你有美好的一天！——{agent}，{brand}",
        "id": "Makasih banyak atas kesabarannya, {name}! Senang masalahnya sudah beres. Semoga harimu menyenangkan! – {agent}, {brand}",
    },
}


def check_key(name: str, lang: str) -> None:
    """InputError unless `name` and `lang` are a template's name and a 2-letter language."""
    if not NAME.match(name):
        raise InputError(f"template name {name!r} may hold a-z, 0-9 and '_' (1-64)", "name")
    if not LANG.match(lang):
        raise InputError(f"language {lang!r} is not a 2-letter code such as 'en' or 'es'", "lang")


def check_text(text: str) -> None:
    """InputError unless `text` is 1..2000 characters and uses only the known variables."""
    if not text.strip():
        raise InputError("a template needs some text", "text")
    if len(text) > MAX_TEXT:
        raise InputError(f"a template holds at most {MAX_TEXT} characters, not {len(text)}", "text")
    unknown = sorted({m.group(1) for m in _ANY_PLACEHOLDER.finditer(text)} - set(VARIABLES))
    if unknown:
        known = ", ".join("{" + v + "}" for v in VARIABLES)
        shown = ", ".join("{" + u + "}" for u in unknown)
        raise InputError(f"unknown variable(s) {shown}; a template may use {known}", "text")


def merged(own: Iterable[SavedTemplate]) -> list[Template]:
    """Built-ins with the tenant's own templates in their place, sorted by name, language."""
    found = {(n, lang): Template(n, lang, t, "built_in")
             for n, texts in BUILT_IN.items() for lang, t in texts.items()}  # fmt: skip
    for saved in own:
        found[(saved.name, saved.lang)] = own_template(saved)
    return [found[key] for key in sorted(found)]


def own_template(saved: SavedTemplate) -> Template:
    return Template(saved.name, saved.lang, saved.text, "tenant", saved.updated_at)


def choose(templates: Iterable[Template], name: str, lang: str | None) -> Template | None:
    """The template `name` in `lang` (its first two letters), else in English; None when
    there is no template of that name."""
    by_lang = {t.lang: t for t in templates if t.name == name}
    wanted = (lang or "")[:2].lower()
    return by_lang.get(wanted) or by_lang.get(FALLBACK_LANG)


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each known `{variable}` replaced by its value as plain text, in one pass
    (so a value is never read as a placeholder), cut to 40 characters on one line.

    A customer's name that carries personal data (a display name such as "call me
    0171 1234567") is left out, with the comma or space that led to it: the reply is public,
    and the name is the one part of it the agent did not write."""
    clean = {k: " ".join(str(v).split())[:_VALUE_CHARS] for k, v in values.items()}
    if "name" in clean and find_personal_data(clean["name"]):
        text = _NAME_SLOT.sub("", text)
        del clean["name"]
    return _PLACEHOLDER.sub(lambda m: clean.get(m.group(1), m.group(0)), text)


def first_name(name: str, email: str) -> str:
    """An agent's first name: the first word of their name, else their e-mail's local part."""
    words = name.split()
    return words[0] if words else email.partition("@")[0]


__all__ = ["BUILT_IN", "SavedTemplate", "Template", "check_key", "check_text", "choose", "fill",
           "first_name", "merged", "own_template"]  # fmt: skip
