"""Word lists and patterns for the personal-data guard (`privacy.py`).

Every pattern here runs on text whose digits, spaces and dashes were already folded to
ASCII, and every one is written so that Python's backtracking engine does bounded work at
each position: repeats are either bounded or made of character classes that cannot match
what follows them. A post is hostile input, and a catastrophic pattern would stall the
whole batch it rides in.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


# A run of digit groups joined by one short separator: the unit that cards, phones and
# account numbers are cut from. Letters, "." and "," right before it mean it is part of a
# word, a decimal or a URL path, not a number of its own; so does a letter and a hyphen
# ("ORD-2026-626560" is an order number).
CHAIN = re.compile(
    r"(?<![0-9A-Za-z_.,/@])(?<![A-Za-z0-9]-)(?:\+ ?|\()?[0-9]+"
    r"(?:(?:\) ?[.\-/]? ?|(?: ?[.\-/] ?| )\(?|\()[0-9]+)*\)?"
)
GROUP = re.compile(r"[0-9]+")

# Dates would otherwise read as phone numbers (2026-11-25 has 8 digits). A date is blanked
# out only where it does not continue into more digit groups, so 01-23-45-67-89 stays a phone.
DATE = re.compile(
    r"(?<![0-9])(?<![0-9][-/.])"
    r"(?:[0-9]{4}([-/.])[0-9]{1,2}\1[0-9]{1,2}|[0-9]{1,2}([-/.])[0-9]{1,2}\2(?:[0-9]{4}|[0-9]{2}))"
    r"(?![0-9])(?![-/.][0-9])"
)

# A USPS tracking number (22 digits from 92-95, printed 4-4-4-4-4-2) holds 16 digits in a
# card's grouping, which pass Luhn one time in ten.
USPS_TRACKING = re.compile(
    r"(?<![0-9])9[2-5][0-9]{2}(?:([ -])[0-9]{4}(?:\1[0-9]{4}){3}\1)[0-9]{2}(?![0-9])"
)

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![\w.@-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,5}\.[A-Za-z]{2,24}/[^\s<>\"']*",
    re.IGNORECASE,
)

EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]{1,64}@[^\W_](?:[\w-]{0,62})(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}"
    r"(?![\w-])"
)

# One separator may stand between any two characters: spaces as printed, and the dashes,
# dots and slashes people use to break a filter ("DE89-3704-0044-0532-0130-00").
IBAN = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{2})[ \-./]?([0-9]{2})((?:[ \-./]?[A-Za-z0-9]){10,32})"
)

# ISO 13616 registry lengths. A country missing here is not checked at all, which keeps
# a random "AB12..." token from passing on the mod-97 check alone (1 in 97 would).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def keyword_pattern(
    bounded: tuple[str, ...], exact: tuple[str, ...], glued: tuple[str, ...]
) -> re.Pattern[str]:
    """A pattern for cue words: `bounded` stems start a word and may run on ("Kontonummer",
    "hesabim"), `exact` words stand alone ("tel", "a/c"), `glued` stems may sit inside a
    word, for scripts that attach particles or write no spaces ("بحسابي", "我的账号")."""

    def alt(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    # The run-on tail stops at digits and punctuation, so "账号12345678" ends right
    # before the number and the tail never has to give characters back.
    tail = r"[^\s0-9:#.,;!?()\[\]\"'/\-]*"
    return re.compile(
        rf"(?<![^\W\d_])(?:{alt(bounded)}){tail}"
        rf"|(?<![^\W\d_])(?:{alt(exact)})(?![^\W\d_])"
        rf"|(?:{alt(glued)}){tail}",
        re.IGNORECASE,
    )


ACCOUNT_KEYWORDS = keyword_pattern(
    bounded=(
        "account", "acct", "routing", "cuenta", "konto", "girokonto", "bankkonto",
        "sparkonto", "счёт", "счет", "hesap", "hesab", "rekening",
    ),
    exact=(
        "a/c", "sort code", "conta", "contas", "c/c", "compte", "comptes", "conto",
        "conti", "rek", "norek", "no rek", "khata",
    ),
    glued=("حساب", "खाता", "खाते", "账户", "賬戶", "帳戶", "账号", "帳號", "帐号", "賬號"),
)  # fmt: skip

PHONE_KEYWORDS = keyword_pattern(
    bounded=(
        "phone", "telephone", "mobile", "whatsapp", "teléfono", "telefono", "telefone",
        "téléphone", "telefon", "handy", "rufnummer", "anruf", "cellulare",
        "celular", "móvil", "movil", "llám", "llam", "appel", "chiam", "telepon", "ponsel",
        "hubungi", "телефон", "позвон", "звон", "мобильн", "aray",
    ),
    exact=("call", "ring", "tel", "tél", "telp", "cell", "sms", "text", "hp", "wa", "ligue",
           "ligar", "liga"),
    glued=("هاتف", "جوال", "موبايل", "اتصل", "واتس", "फ़ोन", "फोन", "मोबाइल", "कॉल",
           "电话", "電話", "手机", "手機", "致电", "致電"),
)  # fmt: skip

# Words that may stand between a cue word and its number ("account number is", "número
# de cuenta", "call me on"): anything else there means the number is about something else
# ("account balance 150000").
FILLERS = frozenset(
    _words(
        """
    number no nr num nbr n # is was my our your the ending ends on at me us to of id
    número numero núm nº n° de del mi su es la el al a corriente ahorro ahorros bancaria
    da do minha meu sua seu é poupança corrente para pro no
    numéro du mon ma votre est bancaire courant au moi le
    nummer mein meine meiner ihr ihre ist die der unter mich an
    mio mia il è di
    رقم الرقم هو على لي بي رقمي
    संख्या नंबर नम्बर मेरा मेरी है का की पर
    номер мой моего мою по на № мне
    numaram numarası numarasi numara benim numaramız
    号码 號碼 号 號 是 为 為
    nomor saya anda adalah di ke nya
    """
    )
)
# Scripts without spaces glue fillers together ("号码是"), so those match per character.
CJK_FILLER_CHARS = frozenset("号號码碼是为為的：")
GAP_TOKEN = re.compile(r"[^\s:#.,;()\[\]=\-]+")

CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₹₽₺₩₦]|R\$|Rp\.?|Rs\.?|USD|EUR|GBP|INR|TRY|RUB|MXN|BRL|IDR|CNY|RMB)\s?$",
    re.IGNORECASE,
)
CURRENCY_AFTER = re.compile(
    r"^\s?(?:[$€£¥₹₽₺₩₦%‰]|USD|EUR|GBP|INR|TRY|RUB|MXN|BRL|IDR|CNY|RMB|TL|руб|euros?|"
    r"dollars?|reais|rupees?|lira|yuan|元)",
    re.IGNORECASE,
)

_UK_AREAS = _words(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
    "DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY "
    "L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM "
    "S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF "
    "WN WR WS WV YO ZE"
)
UK_POSTCODE = re.compile(
    rf"(?<![A-Za-z0-9])(?:{'|'.join(sorted(_UK_AREAS, key=len, reverse=True))})"
    r"[0-9][A-Z0-9]? ?[0-9]([ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])"
)
# Inward codes that are far more often storage sizes ("G3 4GB").
UK_INWARD_UNITS = frozenset({"GB", "TB"})

# Two-letter states that are also common upper-case words ("CALL ME 04101") are left out.
_STATES = _words(
    "AL AK AZ AR CA CO CT DE DC FL GA IA IL KS KY LA MA MD MI MN MO MS MT NC ND NE NH NJ NM "
    "NV NY PA RI SC SD TN TX UT VA VT WA WI WV WY"
)
US_ZIP = re.compile(
    r"(?<![0-9A-Za-z(+-])(?<![0-9)] )[0-9]{5}-[0-9]{4}(?![0-9A-Za-z]|-[0-9])"
    rf"|(?<![A-Za-z])(?:{'|'.join(_STATES)}) [0-9]{{5}}(?:-[0-9]{{4}})?(?![0-9])"
)

_NAME = r"[A-Z][A-Za-z'-]*\.?"
US_STREET = re.compile(
    rf"(?<![\w.,/-])[0-9]{{1,5}}[A-Z]?,? (?:(?:N|S|E|W|NE|NW|SE|SW)\.? )?"
    rf"(?:(?:{_NAME}|[0-9]{{1,3}}(?:st|nd|rd|th)) ){{1,3}}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Parkway|Pkwy|Highway|"
    r"Hwy|Square|Sq|Terrace)\b\.?"
)

_CAP = "A-ZÁÉÍÓÚÑÇÀÈÌÒÙÂÊÔÃÕÄÖÜ"
_PARTICLE = r"(?:de|del|da|do|dos|das|di|della|delle|dei|la|las|los|el)\s+"
_WORD = rf"[{_CAP}](?:[^\W\d_]|['-])+"
# Street word first, number after. Words that are also ordinary words elsewhere ("via",
# "largo", "corso") count only capitalised.
STREET_FIRST = re.compile(
    r"(?<![^\W\d_])(?:[Cc]alle|[Aa]venida|Avda\.|Av\.|C/|Paseo|Camino|[Rr]ua|Travessa|"
    r"[Pp]raça|Alameda|Estrada|Largo|Via|[Vv]iale|[Pp]iazza|[Pp]iazzale|Corso|Vicolo|"
    r"[Jj]alan|Jl\.)"
    rf"\s+(?:{_PARTICLE}){{0,2}}{_WORD}(?:\s+(?:{_PARTICLE})?{_WORD}){{0,3}},?\s+"
    r"(?:(?:n[º°o]\.?|No\.?)\s*)?[0-9]{1,4}[A-Za-z]?(?![0-9A-Za-z%:]|[.,][0-9])"
)
GERMAN_STREET = re.compile(
    r"(?<![^\W\d_])(?:[A-ZÄÖÜ][^\W\d_]+[ -](?:Straße|Strasse|Str\.|Weg|Allee|Gasse|Platz)"
    r"|[A-ZÄÖÜ](?:[^\W\d_]|-){1,40}?(?:straße|strasse|str\.|weg|allee|gasse))"
    r" ?[0-9]{1,4}[a-z]?(?![0-9A-Za-z%:])"
)
FRENCH_STREET = re.compile(
    r"(?<![0-9.,])[0-9]{1,4}(?: ?(?:bis|ter))?,? (?i:rue|avenue|av\.|boulevard|bd|place|"
    r"allée|allee|impasse|chemin|quai|route) (?:(?:de la|de l'|de|du|des|d')\s?)?"
    r"[A-ZÉÈÀÂÎÔ][\w'-]*"
)
RUSSIAN_STREET = re.compile(
    r"(?i:ул\.|улица|просп\.|проспект|пер\.|переулок|шоссе|наб\.)\s*[А-ЯЁ][\w-]*"
    r"(?:\s+[А-ЯЁа-яё][\w-]*){0,2},?\s*(?i:д\.|дом)\s*[0-9]{1,4}"
)
TURKISH_STREET = re.compile(
    r"(?<![^\W\d_])[A-ZÇĞİÖŞÜ][^\W\d_]*\s+(?:Cad\.|Caddesi|Cd\.|Sok\.|Sokak|Sokağı|Sk\.|Bulvarı|Blv\.)"
    r"\s*(?:No\s*[:.]?\s*)?[0-9]{1,4}(?![0-9])"
)
CHINESE_STREET = re.compile(r"[\u4e00-\u9fff]{1,12}(?:路|街|大道|巷|弄|胡同)[0-9]{1,5}[号號]")
ARABIC_STREET = re.compile(r"شارع\s+(?:[^\W\d_]+\s+){1,3}[0-9]{1,4}(?![0-9])")

# A street-first match followed by one of these is a count, not a house number
# ("via Twitter 3 times").
UNIT_WORDS = frozenset(
    _words(
        "times time days day hours hour minutes mins min weeks months years x veces vezes volte "
        "fois mal días dias giorni jours tage stunden horas ore heures people persons"
    )
)
NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")

# Characters that show nothing: zero-width spaces and joiners, direction marks, word
# joiners, the byte-order mark, the soft hyphen, and the rest of Unicode's format class.
INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")

# Digits written as words, one table for every language the guard reads. A word that is a
# digit in two languages means the same digit in both ("six", "tre"/"tres"/"três").
NUMBER_WORDS: dict[str, str] = {}
for _digit, _spellings in enumerate((
    "zero oh nought cero zéro null sıfır nol ноль нуль صفر शून्य 零 〇",
    "one uno um un eins bir satu один واحد एक 一",
    "two dos dois deux zwei due iki dua два اثنان اثنين दो 二",
    "three tres três trois drei tre üç tiga три ثلاثة ثلاثه तीन 三",
    "four cuatro quatro quatre vier quattro dört empat четыре أربعة اربعة چار चार 四",
    "five cinco cinq fünf funf cinque beş lima пять خمسة خمسه पांच पाँच 五",
    "six seis sechs sei altı enam шесть ستة سته छह छः 六",
    "seven siete sete sept sieben sette yedi tujuh семь سبعة سبعه सात 七",
    "eight ocho oito huit acht otto sekiz delapan восемь ثمانية ثمانيه आठ 八",
    "nine nueve nove neuf neun dokuz sembilan девять تسعة تسعه नौ 九",
)):  # fmt: skip
    for _word in _spellings.split():
        NUMBER_WORDS[_word] = str(_digit)
# "double seven" is how British speakers read "77".
REPEATERS: dict[str, int] = {"double": 2, "triple": 3}

_CJK_DIGITS = "".join(w for w in NUMBER_WORDS if len(w) == 1 and not w.isascii())
_SPELLED = "|".join(
    re.escape(w)
    for w in sorted({*NUMBER_WORDS, *REPEATERS} - set(_CJK_DIGITS), key=len, reverse=True)
)
NUMBER_WORD = re.compile(rf"(?<![^\W\d_])(?:{_SPELLED})(?![^\W\d_])|[{_CJK_DIGITS}]", re.IGNORECASE)
NUMBER_RUN = re.compile(
    rf"(?:{NUMBER_WORD.pattern})(?:[\s,.\-/_]{{0,3}}(?:{NUMBER_WORD.pattern}))+", re.IGNORECASE
)

# Six or more single digits with short separators between them ("4 1 1 1 1 1", "0-7 7-0",
# "4_1_1"); dots count only when every separator is one, since "0.5 1.5 2.5" is decimals.
SPACED_DIGITS = re.compile(
    r"(?<![0-9])[0-9](?:(?:[ \t\n\-_/|]{1,3})[0-9](?![0-9])){5,}"
    r"|(?<![0-9A-Za-z.])[0-9](?:[.*][0-9](?![0-9])){5,}"
)
SPACED_GAP = re.compile(r"[^0-9]+")
CLOSED_UP = re.compile(r"[0-9]{6,}")
# A line break, tab or underscore between two digits separates groups like a space does.
LINE_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[_\t\r\n]+(?=[0-9])")

# E-mail addresses written to dodge a filter: "name at example dot com", "name[at]example
# [dot]com", "name @ example.com", and the same words in the guard's languages ("arroba",
# "punto", "собака", "точка" ...). A bare word "at" also needs a written-out dot, or it
# would read "meet us at novacard.com" as an address.
_AT_WORDS = "at|arroba|arobase|chiocciola|klammeraffe|собака|et"
_DOT_WORDS = "dot|punto|ponto|point|punkt|точка|nokta|titik|noqta|نقطة"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
EMAIL_DISGUISED = re.compile(
    r"(?<![\w.+%-])(?P<local>[^\W_][\w.+%-]{0,63})"
    rf"(?:(?P<boxed>\s?{_OPEN}\s?(?:{_AT_WORDS}|@)\s?{_CLOSE}\s?)|\s@\s?|@\s"
    rf"|\s(?P<word>{_AT_WORDS})\s)"
    r"(?P<domain>[^\W_][\w-]{0,62}"
    rf"(?:(?:\.|\s?{_OPEN}\s?(?:{_DOT_WORDS}|\.)\s?{_CLOSE}\s?|\s(?:{_DOT_WORDS})\s)"
    r"[^\W_][\w-]{0,62}){1,4})"
    r"(?![\w-])",
    re.IGNORECASE,
)
DOT_WRITTEN = re.compile(rf"{_OPEN}|\s(?:{_DOT_WORDS})\s", re.IGNORECASE)
MAIL_PROVIDERS = frozenset(
    _words(
        "gmail googlemail yahoo hotmail outlook live msn icloud me aol proton protonmail gmx "
        "web yandex mail ukr qq 163 126 naver orange free laposte libero virgilio wp onet "
        "rediffmail bol uol terra t-online seznam"
    )
)
