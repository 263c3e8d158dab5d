"""Multilingual cue phrases: the signals no labelled data set covers (fraud, outage, spam, ...).

Phrases are matched on the normalised, lower-cased text with one Aho-Corasick automaton
for all languages at once. In space-separated scripts a phrase must start at a word
boundary (so "card stolen" matches "stolen" but "unlocked" does not match "lock"); phrase
ends are open so stems such as "hack" also match "hacked". Scripts without spaces
(Chinese, Japanese, Thai) match anywhere.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from typing import Any

import ahocorasick

from rapport.nlp.sentiment_words import NEGATIVE, POSITIVE

# Append only: a signal's position picks its feature column, which trained models rely on.
SIGNALS = (
    "fraud", "lost_stolen", "outage", "offer", "spam", "praise", "complaint", "question",
    "positive", "negative", "declined",
)  # fmt: skip

# fmt: off
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "fraud": {
        "en": ("fraud", "scam", "phishing", "hacked", "hacker", "unauthori", "identity theft",
               "didn't make", "did not make", "not me", "skimm", "compromised", "fake charge",
               "charges i didn't", "someone used my card", "account takeover"),
        "es": ("fraude", "estafa", "hackea", "no reconozco", "cargo no autorizado", "phishing",
               "suplantación", "clonaron", "me robaron la cuenta", "cargos que no hice"),
        "pt": ("fraude", "golpe", "hackea", "não reconheço", "compra não autorizada", "clonado",
               "clonaram", "phishing", "invadiram"),
        "fr": ("fraude", "arnaque", "piraté", "hameçonnage", "phishing", "non autorisé",
               "je ne reconnais pas", "usurpation"),
        "de": ("betrug", "betrüger", "gehackt", "phishing", "nicht autorisiert", "unberechtigt",
               "erkenne ich nicht", "abbuchung die ich nicht"),
        "it": ("frode", "truffa", "hackerato", "phishing", "non autorizzat", "non riconosco",
               "clonata"),
        "nl": ("fraude", "oplichting", "oplichter", "gehackt", "phishing", "niet geautoriseerd",
               "herken ik niet"),
        "pl": ("oszust", "wyłudzen", "zhakowan", "phishing", "nieautoryzowan", "nie rozpoznaję"),
        "ru": ("мошенни", "взлом", "фишинг", "несанкционирован", "не совершал", "списали без"),
        "tr": ("dolandırıcı", "sahtekar", "hacklendi", "izinsiz", "tanımadığım", "oltalama"),
        "ar": ("احتيال", "نصب", "اختراق", "مخترق", "غير مصرح", "لم أقم"),
        "hi": ("fraud", "dhokha", "dhokhadhadi", "hack ho", "maine kiye hi nahi", "धोखा",
               "फ्रॉड", "धोखाधड़ी"),
        "id": ("penipuan", "penipu", "dibobol", "diretas", "tidak sah", "tidak saya lakukan"),
        "zh": ("诈骗", "欺诈", "被盗刷", "盗刷", "钓鱼", "黑客", "未经授权"),
        "ja": ("詐欺", "不正利用", "不正アクセス", "フィッシング", "身に覚えのない"),
        "ko": ("사기", "해킹", "피싱", "부정사용", "도용"),
    },
    "lost_stolen": {
        "en": ("stolen", "lost my card", "lost my wallet", "card was lost", "robbed",
               "pickpocket", "missing card", "misplaced my card"),
        "es": ("robada", "robaron", "robo", "perdí mi tarjeta", "perdí la tarjeta", "extravi"),
        "pt": ("roubado", "roubada", "roubaram", "perdi meu cartão", "perdi o cartão", "furtad"),
        "fr": ("volé", "volée", "vol de", "perdu ma carte", "perdu mon portefeuille"),
        "de": ("gestohlen", "geklaut", "verloren", "karte verlegt", "diebstahl"),
        "it": ("rubata", "rubato", "rubato", "persa la carta", "perso la carta", "smarrit"),
        "nl": ("gestolen", "kwijt", "verloren", "beroofd"),
        "pl": ("skradzion", "ukradzion", "zgubił", "zgubiłam", "kradzież"),
        "ru": ("украли", "украден", "потерял", "потеряла", "кража"),
        "tr": ("çalındı", "çaldılar", "kaybettim", "kayboldu"),
        "ar": ("سرقت", "سرقة", "مسروق", "فقدت", "ضاعت"),
        "hi": ("chori", "chura", "kho gaya", "kho gayi", "चोरी", "खो गया", "खो गई"),
        "id": ("dicuri", "hilang", "kecurian", "kecopetan"),
        "zh": ("被偷", "丢了", "丢失", "被盗", "遗失"),
        "ja": ("盗まれ", "紛失", "なくし", "失くし", "落とし"),
        "ko": ("도난", "잃어버", "분실", "훔쳐"),
    },
    "outage": {
        "en": ("outage", "is down", "app down", "site down", "not working", "won't load",
               "can't log in", "cannot log in", "can't login", "crashing", "keeps crashing",
               "server error", "error 500", "service unavailable"),
        "es": ("caída", "no funciona", "no carga", "no puedo entrar", "se cae", "fuera de servicio"),
        "pt": ("fora do ar", "não funciona", "não carrega", "não consigo entrar", "caiu", "instabilidade"),
        "fr": ("panne", "ne marche pas", "ne fonctionne pas", "impossible de me connecter", "plante"),
        "de": ("störung", "ausfall", "funktioniert nicht", "geht nicht", "kann mich nicht anmelden", "stürzt ab"),
        "it": ("disservizio", "non funziona", "non riesco ad accedere", "down", "si blocca"),
        "nl": ("storing", "werkt niet", "kan niet inloggen", "ligt eruit", "crasht"),
        "pl": ("awaria", "nie działa", "nie mogę się zalogować", "zawiesza się"),
        "ru": ("не работает", "сбой", "не могу войти", "вылетает", "лежит"),
        "tr": ("çalışmıyor", "çöktü", "giriş yapamıyorum", "erişim sorunu", "arıza"),
        "ar": ("لا يعمل", "عطل", "معطل", "لا أستطيع الدخول", "توقف التطبيق"),
        "hi": ("kaam nahi kar", "nahi chal raha", "band hai", "down hai", "login nahi", "काम नहीं कर", "बंद है"),
        "id": ("tidak bisa", "gak bisa", "nggak bisa", "error", "gangguan", "down"),
        "zh": ("崩了", "打不开", "无法登录", "登录不了", "故障", "宕机", "闪退"),
        "ja": ("障害", "繋がらない", "つながらない", "ログインできない", "落ちて"),
        "ko": ("장애", "접속이 안", "로그인이 안", "먹통", "오류"),
    },
    "declined": {
        "en": ("declined", "card was rejected", "payment failed", "card got rejected", "card not accepted"),
        "es": ("rechazada", "rechazado", "rechazó", "pago denegado", "no pasa la tarjeta"),
        "pt": ("recusado", "recusada", "negado", "negada", "não passa"),
        "fr": ("refusée", "refusé", "paiement rejeté", "carte rejetée"),
        "de": ("abgelehnt", "zahlung fehlgeschlagen", "karte wird nicht akzeptiert"),
        "it": ("rifiutata", "rifiutato", "pagamento negato", "transazione negata"),
        "nl": ("geweigerd", "betaling mislukt", "afgewezen"),
        "pl": ("odrzucona", "odrzucił", "płatność nieudana", "transakcja odrzucona"),
        "ru": ("отклонен", "отказ в оплате", "не проходит оплата", "не проходит карта"),
        "tr": ("reddedildi", "ödeme başarısız", "kart geçmiyor"),
        "ar": ("رفض", "مرفوض", "لم تنجح عملية الدفع"),
        "hi": ("decline ho", "decline hua", "payment fail", "card nahi chal", "अस्वीकार"),
        "id": ("ditolak", "gagal bayar", "transaksi gagal"),
        "zh": ("被拒", "拒绝交易", "支付失败", "刷不了"),
        "ja": ("拒否され", "決済できない", "使えなかった"),
        "ko": ("거절", "결제 실패", "승인 거절"),
    },
    "offer": {
        "en": ("offer", "promo", "discount", "cashback", "cash back", "bonus", "reward",
               "points", "deal", "% off", "coupon", "voucher", "miles"),
        "es": ("oferta", "promoción", "descuento", "reembolso en efectivo", "puntos", "bono", "cupón"),
        "pt": ("oferta", "promoção", "desconto", "pontos", "bônus", "cupom", "milhas"),
        "fr": ("offre", "promo", "réduction", "remise", "points", "bonus", "coupon"),
        "de": ("angebot", "aktion", "rabatt", "gutschein", "punkte", "prämie", "bonus"),
        "it": ("offerta", "promozione", "sconto", "punti", "buono", "premio"),
        "nl": ("aanbieding", "actie", "korting", "punten", "bonus", "tegoedbon"),
        "pl": ("oferta", "promocja", "rabat", "zniżka", "punkty", "bonus"),
        "ru": ("акция", "скидк", "кэшбэк", "бонус", "баллы", "предложение"),
        "tr": ("kampanya", "indirim", "puan", "fırsat", "bonus"),
        "ar": ("عرض", "خصم", "تخفيض", "نقاط", "مكافأة", "كاش باك"),
        "hi": ("offer", "discount", "cashback", "ऑफर", "छूट"),
        "id": ("promo", "diskon", "poin", "hadiah", "penawaran"),
        "zh": ("优惠", "折扣", "返现", "积分", "活动", "促销"),
        "ja": ("キャンペーン", "割引", "ポイント", "特典", "還元"),
        "ko": ("혜택", "할인", "포인트", "이벤트", "캐시백"),
    },
    "spam": {
        "en": ("click here", "free money", "work from home", "earn $", "dm me for", "follow back",
               "forex", "investment opportunity", "crypto signal", "guaranteed profit",
               "giveaway", "whatsapp me", "check my bio", "100% free"),
        "es": ("gana dinero", "haz clic aquí", "dinero fácil", "sígueme", "sorteo gratis"),
        "pt": ("ganhe dinheiro", "clique aqui", "dinheiro fácil", "renda extra", "me segue"),
        "fr": ("gagnez de l'argent", "cliquez ici", "argent facile", "travail à domicile"),
        "de": ("schnelles geld", "hier klicken", "geld verdienen", "von zu hause arbeiten"),
        "it": ("guadagna soldi", "clicca qui", "soldi facili", "lavoro da casa"),
        "nl": ("snel geld", "klik hier", "geld verdienen"),
        "pl": ("szybki zarobek", "kliknij tutaj", "zarabiaj"),
        "ru": ("заработок", "быстрые деньги", "переходи по ссылке", "пиши в лс"),
        "tr": ("hızlı para", "tıkla", "evden çalış", "bedava"),
        "ar": ("اربح المال", "اضغط هنا", "ربح سريع"),
        "hi": ("paise kamao", "ghar baithe", "yahan click"),
        "id": ("cuan", "klik link", "penghasilan tambahan", "slot gacor", "judi"),
        "zh": ("加微信", "兼职", "日赚", "点击链接", "免费领取"),
        "ja": ("副業", "稼げる", "無料プレゼント", "クリック"),
        "ko": ("부업", "고수익", "클릭", "무료 증정"),
    },
    "praise": {
        "en": ("thank you", "thanks", "love", "amazing", "awesome", "great service", "best",
               "excellent", "helpful", "fantastic", "brilliant", "well done", "kudos", "shoutout"),
        "es": ("gracias", "me encanta", "excelente", "increíble", "genial", "el mejor", "buen servicio"),
        "pt": ("obrigad", "adoro", "excelente", "incrível", "ótimo", "o melhor", "valeu", "parabéns"),
        "fr": ("merci", "j'adore", "excellent", "génial", "super", "le meilleur", "bravo"),
        "de": ("danke", "super", "toll", "großartig", "hervorragend", "der beste", "klasse"),
        "it": ("grazie", "adoro", "eccellente", "fantastic", "ottimo", "il migliore", "bravi"),
        "nl": ("bedankt", "dank je", "geweldig", "top", "super", "de beste", "fantastisch"),
        "pl": ("dziękuję", "dzięki", "świetn", "super", "najlepsz", "wspaniał"),
        "ru": ("спасибо", "отлично", "супер", "лучший", "лучшая", "молодцы", "круто"),
        "tr": ("teşekkür", "harika", "mükemmel", "süper", "en iyi", "bayıldım"),
        "ar": ("شكرا", "شكراً", "ممتاز", "رائع", "أفضل", "أحسنتم"),
        "hi": ("dhanyavad", "shukriya", "thank you", "bahut accha", "best hai", "धन्यवाद", "शुक्रिया", "बहुत अच्छा"),
        "id": ("terima kasih", "makasih", "mantap", "keren", "terbaik", "luar biasa"),
        "zh": ("谢谢", "感谢", "太棒了", "很好", "点赞", "最好"),
        "ja": ("ありがとう", "最高", "素晴らしい", "助かりました", "便利"),
        "ko": ("감사", "고마워", "최고", "좋아요", "훌륭"),
    },
    "complaint": {
        "en": ("worst", "terrible", "awful", "horrible", "useless", "ridiculous", "unacceptable",
               "disgusting", "pathetic", "still waiting", "never again", "fed up", "sort it out",
               "shame on", "rip off", "rip-off", "disappointed", "joke"),
        "es": ("pésimo", "horrible", "vergüenza", "inaceptable", "sigo esperando", "harto", "estafa"),
        "pt": ("péssimo", "horrível", "vergonha", "absurdo", "inaceitável", "ainda esperando", "descaso"),
        "fr": ("nul", "honteux", "inadmissible", "inacceptable", "toujours en attente", "scandaleux", "marre"),
        "de": ("schlecht", "katastrophe", "unverschämt", "frechheit", "inakzeptabel", "warte immer noch", "enttäuscht"),
        "it": ("pessimo", "vergogna", "inaccettabile", "schifo", "ancora in attesa", "deluso"),
        "nl": ("slecht", "schandalig", "belachelijk", "onacceptabel", "wacht nog steeds", "teleurgesteld"),
        "pl": ("fatalny", "skandal", "żenada", "beznadziejn", "nadal czekam", "rozczarowan"),
        "ru": ("ужасн", "отвратительн", "позор", "безобразие", "до сих пор жду", "разочарован"),
        "tr": ("rezalet", "berbat", "kabul edilemez", "hala bekliyorum", "yazıklar olsun", "şikayet"),
        "ar": ("سيء", "أسوأ", "مهزلة", "غير مقبول", "ما زلت أنتظر", "فضيحة"),
        "hi": ("bekar", "bakwas", "ghatiya", "sharam", "abhi tak", "बेकार", "बकवास", "घटिया"),
        "id": ("parah", "kecewa", "buruk", "payah", "masih menunggu", "lelet"),
        "zh": ("太差", "垃圾", "差劲", "投诉", "失望", "还在等"),
        "ja": ("最悪", "ひどい", "酷い", "ふざけ", "いつまで", "がっかり"),
        "ko": ("최악", "짜증", "실망", "어이없", "아직도"),
    },
    "question": {
        "en": ("how do i", "how can i", "how to", "can i", "is it possible", "does anyone know",
               "what is", "why is", "when will", "where is", "anyone know"),
        "es": ("cómo", "cuándo", "dónde", "por qué", "puedo", "alguien sabe"),
        "pt": ("como", "quando", "onde", "por que", "posso", "alguém sabe"),
        "fr": ("comment", "quand", "où", "pourquoi", "est-ce que", "puis-je"),
        "de": ("wie kann", "wann", "wo ist", "warum", "kann ich", "weiß jemand"),
        "it": ("come posso", "quando", "dove", "perché", "posso", "qualcuno sa"),
        "nl": ("hoe kan", "wanneer", "waar is", "waarom", "kan ik", "weet iemand"),
        "pl": ("jak mogę", "kiedy", "gdzie", "dlaczego", "czy mogę", "czy ktoś wie"),
        "ru": ("как", "когда", "где", "почему", "можно ли", "подскажите"),
        "tr": ("nasıl", "ne zaman", "nerede", "neden", "mümkün mü"),
        "ar": ("كيف", "متى", "أين", "لماذا", "هل يمكن"),
        "hi": ("kaise", "kab", "kahan", "kyun", "kya", "कैसे", "कब", "क्यों", "क्या"),
        "id": ("bagaimana", "gimana", "kapan", "dimana", "kenapa", "apakah", "bisa gak"),
        "zh": ("怎么", "如何", "为什么", "什么时候", "吗", "哪里"),
        "ja": ("どうやって", "いつ", "どこ", "なぜ", "ですか", "ますか"),
        "ko": ("어떻게", "언제", "어디", "왜", "나요", "까요"),
    },
}
# fmt: on
PHRASES["positive"] = POSITIVE
PHRASES["negative"] = NEGATIVE

_UNSPACED = range(0x2E80, 0xD7B0)  # CJK, kana, hangul: phrases match anywhere
_THAI = range(0x0E00, 0x0E80)


def _needs_boundary(phrase: str) -> bool:
    first = ord(phrase[0])
    return first not in _UNSPACED and first not in _THAI


class PhraseMatcher:
    """Lower-cased phrases, each with a payload, found in one pass with Aho-Corasick.

    In space-separated scripts a phrase must start at a word boundary; its end is open, so
    a stem ("hack") also matches longer words ("hacked").
    """

    def __init__(self, entries: dict[str, Any]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase, payload in entries.items():
            self._automaton.add_word(phrase, (len(phrase), _needs_boundary(phrase), payload))
        self._empty = not entries
        if entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[str, Any]]:
        """(phrase as written in the text, payload) for each match, in text order."""
        return [(phrase, payload) for _, phrase, payload in self.find_at(text)]

    def find_at(self, text: str) -> list[tuple[int, str, Any]]:
        """(start, phrase as written in the text, payload) for each match, in text order."""
        if self._empty:
            return []
        found = []
        for end, (length, boundary, payload) in self._automaton.iter(text):
            start = end - length + 1
            if boundary and start > 0 and text[start - 1].isalnum():
                continue
            found.append((start, text[start : end + 1], payload))
        return found


@cache
def _matcher() -> PhraseMatcher:
    entries: dict[str, set[str]] = {}
    for signal, by_lang in PHRASES.items():
        for phrases in by_lang.values():
            for phrase in phrases:
                entries.setdefault(phrase.lower(), set()).add(signal)
    return PhraseMatcher({phrase: tuple(sorted(names)) for phrase, names in entries.items()})


_QUESTION_MARKS = ("?", "？", "؟")


def signals_of_lines(joined: str, count: int) -> list[dict[str, list[str]]]:
    """Signal -> the phrases found for it, for each of `count` lower-cased texts joined by
    newlines; a question mark adds the "question" signal.

    One Aho-Corasick pass over the whole batch costs far less than a call per text; no
    phrase holds a newline, so no match spans two texts, and a newline before a match is
    a word boundary as the start of a text is.
    """
    found: list[dict[str, list[str]]] = [{} for _ in range(count)]
    if count == 0:
        return found
    starts = [0]
    at = joined.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = joined.find("\n", at + 1)
    for start, phrase, names in _matcher().find_at(joined):
        line_signals = found[bisect_right(starts, start) - 1]
        for name in names:
            line_signals.setdefault(name, []).append(phrase)
    asked: set[int] = set()
    for mark in _QUESTION_MARKS:
        at = joined.find(mark)
        while at != -1:
            asked.add(bisect_right(starts, at) - 1)
            at = joined.find(mark, at + 1)
    for line in sorted(asked):
        found[line].setdefault("question", []).append("?")
    return found
