# Locale tables read best one field per line, however long the field.
# ruff: noqa: E501
"""Per-language data the demo stream draws on: names, places, money, news sites, templates.

A `Locale` is one way of posting: "hi" (Devanagari) and "hi-Latn" (Hinglish) are two
locales that both declare `lang="hi"`. Slot values that must agree with the surrounding
grammar are stored already inflected (Polish and Russian locatives, Turkish case suffixes),
which is why some city lists read "Warszawie" rather than "Warszawa".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapport.demo.phrases_east import BOOKS as _EAST
from rapport.demo.phrases_west import BOOKS as _WEST
from rapport.demo.phrases_west import Book

# Every locale must be able to write these; spam, official posts and outage headlines
# come from the few locales that have them.
KINDS: tuple[str, ...] = (
    "complaint",
    "praise",
    "question",
    "lost",
    "fraud",
    "promo",
    "outage",
    "followup",
    "same",
    "banter",
    "care",
    "care_outage",
    "news",
    "headlines",
)

SLOTS: frozenset[str] = frozenset(
    {
        # fixed for a run (brand-derived)
        "brand", "care", "at", "tag", "down", "rewards", "url_status",
        # drawn per post
        "amount", "merchant", "city", "abroad", "when", "n", "mins", "last4", "mad", "yay",
        "meh", "user", "agent", "ref", "pct", "points", "phish", "url_help", "url_offer",
        "spamurl", "headline", "url",
    }
)  # fmt: skip

URL_SLOTS: frozenset[str] = frozenset({"url", "spamurl", "url_help", "url_offer", "url_status"})


@dataclass(frozen=True, slots=True)
class Currency:
    """How a locale writes money: `decimal == ""` means no minor units are shown."""

    prefix: str
    suffix: str
    group: str
    decimal: str
    typical: float
    indian: bool = False  # 1,23,456 lakh grouping


@dataclass(frozen=True, slots=True)
class Locale:
    variant: str
    lang: str
    weight: float
    latin: bool  # typos and elongations only make sense in alphabetic Latin script
    first: tuple[tuple[str, str], ...]  # (as displayed, ASCII for handles)
    last: tuple[tuple[str, str], ...]
    cities: tuple[str, ...]
    abroad: tuple[str, ...]
    when: tuple[str, ...]
    merchants: tuple[str, ...]
    currencies: tuple[Currency, ...]
    news: tuple[str, ...]
    mad: tuple[str, ...]
    yay: tuple[str, ...]
    meh: tuple[str, ...]
    deco: tuple[str, ...]
    book: Book
    signs: bool = True  # care replies end with an agent's initials, e.g. "^JM"


_TRANSLIT = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "æ": "ae"})


def to_ascii(text: str) -> str:
    """Strip accents the way people do when picking a handle ("Jesús" -> "Jesus")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _names(words: str) -> tuple[tuple[str, str], ...]:
    """Latin-script names, or `shown:ascii` pairs for other scripts."""
    out = []
    for word in words.split():
        shown, _, ascii_form = word.partition(":")
        out.append((shown, (ascii_form or to_ascii(shown)).lower()))
    return tuple(out)


def _items(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


MAD = _items("😡|🤬|😤|🙄|😭|💀|🤦|😩||")
YAY = _items("🙌|💙|✨|😍|🥳|👏|🙏|❤️||")
MEH = _items("🤔|👀|🙃|😅|🤷||")
DECO = _items("✨|🌸|💙|⚽|🎧|☕|🌙|🐱|🌻|🏳️‍🌈|🎮|📚|🏃|🌊")

BLOGS = (
    "https://medium.com/@{handle}/{slug}-{hex}",
    "https://{handle}.substack.com/p/{slug}",
    "https://{handle}.wordpress.com/{y}/{m}/{d}/{slug}/",
)

SPAM_URLS = (
    "https://bit.ly/{code}",
    "https://tinyurl.com/{code}",
    "https://t.me/{word}_{code}",
    "https://{word}-{b}.xyz/claim?ref={code}",
    "https://{b}-bonus.top/{code}",
    "https://free-{word}.click/?id={code}",
)
SPAM_WORDS = _items("crypto|usdt|airdrop|btc|signals|forex|giveaway|bonus|profit|eth|nft|rewards")
SPAM_NAMES = _items(
    "💰 Crypto Signals 💰|Airdrop Alerts 🚀|USDT Giveaway 🎁|Forex Mentor 📈|BTC Profits Daily|"
    "🔥 Free Crypto 🔥|Elon Giveaway Official|Cash App Flips 💸|NFT Drops 🖼️|Trading Coach Anna"
)
PHISH = _items(
    "{b}-verify[.]com|secure-{b}[.]net|{b}-help.co|{b}-card-support[.]info|my{b}-login.com"
)

REDDIT_ADJ = _items("Ok|Silly|Curious|Extra|Fancy|Lazy|Prior|Zealousideal|Jolly|Brief|Sad|Hot")
REDDIT_NOUN = _items("Pineapple|Walrus|Owl|Cactus|Penguin|Tomato|Lemur|Bagel|Otter|Badger|Toe")

_EUR = Currency("", " €", ".", ",", 45.0)

LOCALES: tuple[Locale, ...] = (
    Locale(
        variant="en", lang="en", weight=35.0, latin=True,
        first=_names(
            "James Olivia Liam Emma Noah Ava Oliver Sophia Jack Mia Harry Amelia Ethan Chloe "
            "Mason Grace Lucas Ella Aiden Zoe Tyler Megan Ryan Jess Connor Hannah Marcus "
            "Aaliyah Darnell Priya Kofi Siobhan"
        ),
        last=_names(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Clarke Walker Hughes "
            "Patel Nguyen Kelly Murphy Evans Green Baker Turner Okafor Reyes"
        ),
        cities=_items("London|Manchester|New York|Chicago|Toronto|Sydney|Dublin|Austin|Leeds|Melbourne|Glasgow|Atlanta"),
        abroad=_items("Lisbon|Tokyo|Mexico City|Paris|Bali|Rome|Barcelona|New York|Cancún|Amsterdam"),
        when=_items("this morning|yesterday|last night|just now|an hour ago|today|on Friday"),
        merchants=_items(
            "Amazon|Uber|Tesco|Target|Walmart|Starbucks|Costco|Netflix|Spotify|Deliveroo|"
            "Sainsbury's|Whole Foods|Apple|DoorDash|Ryanair|Trader Joe's|Greggs"
        ),
        currencies=(Currency("$", "", ",", ".", 60.0), Currency("£", "", ",", ".", 45.0)),
        news=(
            "https://www.reuters.com/business/finance/{slug}-{y}-{m}-{d}/",
            "https://www.bloomberg.com/news/articles/{y}-{m}-{d}/{slug}",
            "https://www.ft.com/content/{uuid}",
            "https://www.bbc.co.uk/news/business-{id}",
            "https://www.cnbc.com/{y}/{m}/{d}/{slug}.html",
        ),
        mad=MAD, yay=YAY, meh=MEH, deco=DECO, book=_WEST["en"],
    ),
    Locale(
        variant="es", lang="es", weight=12.0, latin=True,
        first=_names(
            "Lucía Sofía Martina María Paula Valentina Camila Hugo Mateo Martín Lucas Leo "
            "Daniel Alejandro Pablo Diego Javier Carmen Andrea Nerea Ximena Santiago"
        ),
        last=_names(
            "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Ruiz "
            "Hernández Díaz Moreno Álvarez Romero Torres Castro Vargas Rojas Navarro"
        ),
        cities=_items("Madrid|Barcelona|Valencia|Sevilla|CDMX|Bogotá|Buenos Aires|Lima|Santiago|Monterrey|Bilbao"),
        abroad=_items("Londres|París|Nueva York|Roma|Tokio|Miami|Lisboa"),
        when=_items("esta mañana|ayer|anoche|hace un rato|hoy"),
        merchants=_items("Mercadona|El Corte Inglés|Zara|Carrefour|Amazon|Glovo|Renfe|Lidl|Oxxo|Mercado Libre|Rappi"),
        currencies=(_EUR, Currency("$", " MXN", ",", ".", 900.0)),
        news=(
            "https://elpais.com/economia/{y}-{m}-{d}/{slug}.html",
            "https://www.expansion.com/empresas/banca/{y}/{m}/{d}/{hex}.html",
            "https://www.eleconomista.es/banca-finanzas/noticias/{id}/{m}/{y}/{slug}.html",
        ),
        mad=MAD, yay=YAY, meh=MEH, deco=(*DECO, "🇪🇸", "🇲🇽", "🇦🇷"), book=_WEST["es"],
    ),
    Locale(
        variant="pt", lang="pt", weight=9.0, latin=True,
        first=_names(
            "Ana Beatriz Júlia Mariana Larissa Camila Letícia Gabriela João Pedro Lucas Gabriel "
            "Matheus Rafael Gustavo Felipe Thiago Bruno Vinícius Caio"
        ),
        last=_names(
            "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa "
            "Ribeiro Martins Carvalho Araújo Rocha Barbosa Mendes"
        ),
        cities=_items("São Paulo|Rio|BH|Curitiba|Porto Alegre|Recife|Salvador|Fortaleza|Lisboa|Porto"),
        abroad=_items("Orlando|Lisboa|Paris|Buenos Aires|Miami|Santiago|Londres"),
        when=_items("hoje cedo|ontem|ontem à noite|agora há pouco|hoje"),
        merchants=_items("Mercado Livre|iFood|Magalu|Americanas|Shopee|Uber|Carrefour|Pão de Açúcar|Shein|Renner"),
        currencies=(Currency("R$ ", "", ".", ",", 180.0),),
        news=(
            "https://www1.folha.uol.com.br/mercado/{y}/{m}/{slug}.shtml",
            "https://g1.globo.com/economia/noticia/{y}/{m}/{d}/{slug}.ghtml",
            "https://valor.globo.com/financas/noticia/{y}/{m}/{d}/{slug}.ghtml",
        ),
        mad=(*MAD, "🤡"), yay=YAY, meh=MEH, deco=(*DECO, "🇧🇷", "🇵🇹"), book=_WEST["pt"],
    ),
    Locale(
        variant="fr", lang="fr", weight=5.5, latin=True,
        first=_names(
            "Camille Léa Manon Chloé Inès Sarah Jade Louise Lucas Hugo Louis Gabriel Arthur "
            "Jules Théo Nathan Maxime Antoine Thomas Mehdi Yanis"
        ),
        last=_names(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
            "Laurent Lefebvre Michel Fournier Girard Bonnet Mercier"
        ),
        cities=_items("Paris|Lyon|Marseille|Toulouse|Lille|Bordeaux|Nantes|Bruxelles|Montréal"),
        abroad=_items("Lisbonne|Tokyo|New York|Londres|Barcelone|Marrakech|Montréal"),
        when=_items("ce matin|hier|hier soir|tout à l'heure|aujourd'hui"),
        merchants=_items("Carrefour|Leclerc|Fnac|Monoprix|SNCF|Uber Eats|Amazon|Decathlon|Auchan|Sephora"),
        currencies=(Currency("", " €", " ", ",", 45.0),),
        news=(
            "https://www.lemonde.fr/economie/article/{y}/{m}/{d}/{slug}_{id}_3234.html",
            "https://www.lesechos.fr/finance-marches/banque-assurances/{slug}-{id}",
        ),
        mad=MAD, yay=YAY, meh=MEH, deco=(*DECO, "🇫🇷"), book=_WEST["fr"],
    ),
    Locale(
        variant="de", lang="de", weight=5.0, latin=True,
        first=_names(
            "Lena Hannah Lea Anna Laura Lisa Julia Marie Jonas Leon Lukas Finn Paul Felix "
            "Maximilian Tim Jan Niklas Tobias Sebastian"
        ),
        last=_names(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
            "Richter Klein Wolf Schröder Neumann Braun Zimmermann"
        ),
        cities=_items("Berlin|München|Hamburg|Köln|Frankfurt|Stuttgart|Wien|Zürich|Leipzig"),
        abroad=_items("Italien|Spanien|Japan|Portugal|Thailand|London|New York"),
        when=_items("heute Morgen|gestern|gestern Abend|vorhin|heute"),
        merchants=_items("Rewe|Edeka|Lidl|Aldi|dm|MediaMarkt|Zalando|Amazon|Kaufland|Lieferando|Rossmann"),
        currencies=(_EUR,),
        news=(
            "https://www.spiegel.de/wirtschaft/{slug}-a-{uuid}",
            "https://www.handelsblatt.com/finanzen/banken-versicherungen/banken/{slug}/{id}.html",
            "https://www.faz.net/aktuell/wirtschaft/{slug}-{id}.html",
        ),
        mad=MAD, yay=YAY, meh=MEH, deco=DECO, book=_WEST["de"],
    ),
    Locale(
        variant="it", lang="it", weight=3.0, latin=True,
        first=_names(
            "Giulia Sofia Aurora Alice Ginevra Chiara Martina Francesca Leonardo Francesco "
            "Alessandro Lorenzo Mattia Andrea Tommaso Gabriele Davide Marco Luca Matteo"
        ),
        last=_names(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
            "Gallo Conti Costa Giordano Mancini Rizzo Lombardi"
        ),
        cities=_items("Milano|Roma|Napoli|Torino|Bologna|Firenze|Palermo|Genova"),
        abroad=_items("Londra|Parigi|Barcellona|New York|Tokyo|Lisbona"),
        when=_items("stamattina|ieri|ieri sera|poco fa|oggi"),
        merchants=_items("Esselunga|Coop|Conad|Amazon|Zalando|Trenitalia|Glovo|MediaWorld|Eataly"),
        currencies=(Currency("", "€", ".", ",", 45.0), Currency("€", "", ".", ",", 45.0)),
        news=(
            "https://www.corriere.it/economia/finanza/{slug}-{hex}.shtml",
            "https://www.ilsole24ore.com/art/{slug}-{HEX}",
        ),
        mad=MAD, yay=YAY, meh=MEH, deco=(*DECO, "🇮🇹"), book=_WEST["it"],
    ),
    Locale(
        variant="nl", lang="nl", weight=1.5, latin=True,
        first=_names("Emma Julia Sophie Tess Anna Fleur Sanne Lotte Daan Sem Bram Jesse Thijs Ruben Lars Niels Joris Stijn"),
        last=_names("Jansen Visser Smit Meijer Bakker Mulder Bos Vos Peters Hendriks Dekker Brouwer Dijkstra Kok"),
        cities=_items("Amsterdam|Rotterdam|Utrecht|Den Haag|Eindhoven|Groningen|Antwerpen"),
        abroad=_items("Spanje|Italië|Londen|Lissabon|New York|Thailand"),
        when=_items("vanochtend|gisteren|gisteravond|net|vandaag"),
        merchants=_items("Albert Heijn|Jumbo|bol|Coolblue|Action|Thuisbezorgd|HEMA|Lidl|Kruidvat"),
        currencies=(Currency("€", "", ".", ",", 45.0),),
        news=("https://nos.nl/artikel/{id}-{slug}", "https://fd.nl/financiele-markten/{id}/{slug}"),
        mad=MAD, yay=YAY, meh=MEH, deco=DECO, book=_WEST["nl"],
    ),
    Locale(
        variant="pl", lang="pl", weight=1.5, latin=True,
        first=_names("Zuzanna Julia Maja Zofia Hanna Aleksandra Natalia Wiktoria Antoni Jan Jakub Szymon Filip Kacper Mateusz Piotr Michał Paweł"),
        # surnames that do not change with gender, so they fit any first name
        last=_names("Nowak Wójcik Kowalczyk Woźniak Mazur Krawczyk Kaczmarek Zając Król Wróbel Dudek Adamczyk Pawlak Sikora"),
        cities=_items("Warszawie|Krakowie|Wrocławiu|Gdańsku|Poznaniu|Łodzi|Katowicach"),
        abroad=_items("Hiszpanii|Włoch|Londynu|Lizbony|Tajlandii|Chorwacji|Grecji"),
        when=_items("rano|wczoraj|wczoraj wieczorem|przed chwilą|dzisiaj"),
        merchants=_items("Biedronce|Lidlu|Żabce|Rossmannie|Empiku|Allegro|Auchanie|Pepco"),
        currencies=(Currency("", " zł", " ", ",", 180.0),),
        news=("https://www.money.pl/banki/{slug}-{id}a.html", "https://wyborcza.pl/7,155287,{id},{slug}.html"),
        mad=MAD, yay=YAY, meh=MEH, deco=(*DECO, "🇵🇱"), book=_EAST["pl"],
    ),
    Locale(
        variant="ru", lang="ru", weight=2.5, latin=False,
        first=_names(
            "Анна:anna Мария:maria Елена:elena Ольга:olga Наталья:natalia Екатерина:katya "
            "Дарья:dasha Алексей:alexey Дмитрий:dmitry Сергей:sergey Андрей:andrey Иван:ivan "
            "Михаил:misha Никита:nikita Артём:artem Павел:pavel"
        ),
        last=_names("Шевченко:shevchenko Бондаренко:bondarenko Ковальчук:kovalchuk Ким:kim Цой:tsoy Лысенко:lysenko Кравец:kravets"),
        cities=_items("Москве|Питере|Казани|Новосибирске|Екатеринбурге|Самаре"),
        abroad=_items("Турцию|Дубай|Таиланд|Египет|Стамбул|Ереван"),
        when=_items("утром|вчера|вчера вечером|только что|сегодня"),
        merchants=_items("Ozon|Wildberries|Lamoda|AliExpress|Steam|Avito"),
        currencies=(Currency("", " ₽", " ", "", 2500.0), Currency("", " руб", " ", "", 2500.0)),
        news=(
            "https://www.rbc.ru/finances/{d}/{m}/{y}/{hex}",
            "https://www.kommersant.ru/doc/{id}",
            "https://www.vedomosti.ru/finance/articles/{y}/{m}/{d}/{id}",
        ),
        mad=(*MAD, "🤬🤬"), yay=YAY, meh=MEH, deco=DECO, book=_EAST["ru"],
    ),
    Locale(
        variant="tr", lang="tr", weight=3.5, latin=True,
        first=_names("Zeynep Elif Ayşe Fatma Merve Büşra Esra Ece Mehmet Mustafa Ahmet Emre Burak Can Murat Kerem Yusuf Hakan Onur Cem"),
        last=_names("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt"),
        cities=_items("İstanbul'da|Ankara'da|İzmir'de|Bursa'da|Antalya'da|Kadıköy'de"),
        abroad=_items("Almanya'ya|İtalya'ya|Londra'ya|Paris'e|Dubai'ye|Amsterdam'a"),
        when=_items("bu sabah|dün|dün akşam|az önce|bugün"),
        merchants=_items("Migros|A101|BİM|Trendyol|Getir|Yemeksepeti|Hepsiburada|Teknosa"),
        currencies=(Currency("", " TL", ".", ",", 1200.0), Currency("₺", "", ".", ",", 1200.0)),
        news=("https://www.hurriyet.com.tr/ekonomi/{slug}-{id}", "https://www.bloomberght.com/{slug}-{id}"),
        mad=MAD, yay=YAY, meh=MEH, deco=(*DECO, "🇹🇷"), book=_EAST["tr"],
    ),
    Locale(
        variant="ar", lang="ar", weight=4.0, latin=False,
        first=_names(
            "محمد:mohammed أحمد:ahmed عبدالله:abdullah خالد:khalid فهد:fahad سارة:sara نورة:noura "
            "ريم:reem فاطمة:fatima يوسف:yousef عمر:omar ليلى:layla هند:hind سلطان:sultan"
        ),
        last=_names("العتيبي:alotaibi القحطاني:alqahtani الشمري:alshammari الحربي:alharbi المصري:elmasry حداد:haddad الزهراني:alzahrani"),
        cities=_items("الرياض|جدة|دبي|القاهرة|الكويت|الدوحة|عمّان|الدمام"),
        abroad=_items("لندن|إسطنبول|باريس|القاهرة|دبي|ماليزيا"),
        when=_items("اليوم الصبح|أمس|أمس بالليل|قبل شوي|اليوم"),
        merchants=_items("كارفور|نون|أمازون|طلبات|كريم|هنقرستيشن|لولو|جرير"),
        currencies=(Currency("", " ريال", ",", "", 200.0), Currency("", " درهم", ",", "", 200.0), Currency("", " ج.م", ",", "", 1500.0)),
        news=("https://www.aljazeera.net/ebusiness/{y}/{m}/{d}/{id}", "https://www.alarabiya.net/aswaq/banks/{y}/{m}/{d}/{id}"),
        mad=(*MAD, "😡😡"), yay=(*YAY, "🤍", "🌹"), meh=MEH, deco=(*DECO, "🇸🇦", "🇦🇪", "🇪🇬", "🤍"), book=_EAST["ar"],
    ),
    Locale(
        variant="hi", lang="hi", weight=2.0, latin=False,
        first=_names(
            "राहुल:rahul प्रिया:priya अमित:amit नेहा:neha रोहित:rohit पूजा:pooja विकास:vikas "
            "अंजलि:anjali सौरभ:saurabh स्नेहा:sneha आकाश:akash दीपिका:deepika अर्जुन:arjun कविता:kavita"
        ),
        last=_names("शर्मा:sharma वर्मा:verma गुप्ता:gupta सिंह:singh यादव:yadav मिश्रा:mishra जैन:jain पटेल:patel कुमार:kumar"),
        cities=_items("दिल्ली|मुंबई|बेंगलुरु|पुणे|लखनऊ|जयपुर|कोलकाता|हैदराबाद"),
        abroad=_items("दुबई|लंदन|सिंगापुर|थाईलैंड|अमेरिका"),
        when=_items("आज सुबह|कल|कल रात|अभी|आज"),
        merchants=_items("Flipkart|अमेज़न|Swiggy|Zomato|BigBasket|Myntra|DMart|Blinkit"),
        currencies=(Currency("₹", "", ",", "", 2000.0, indian=True),),
        news=("https://ndtv.in/business/{slug}-{id}", "https://www.bhaskar.com/business/news/{id}.html"),
        mad=MAD, yay=(*YAY, "🙏🙏"), meh=MEH, deco=(*DECO, "🇮🇳", "🕉️"), book=_EAST["hi"],
    ),
    Locale(
        variant="hi-Latn", lang="hi", weight=4.0, latin=True,
        first=_names(
            "Rahul Priya Amit Neha Rohit Pooja Vikas Anjali Saurabh Sneha Akash Deepika Arjun "
            "Kavita Karan Ritika Aditya Simran"
        ),
        last=_names("Sharma Verma Gupta Singh Yadav Mishra Jain Patel Kumar Reddy Iyer Khan"),
        cities=_items("Delhi|Mumbai|Bangalore|Pune|Noida|Gurgaon|Lucknow|Jaipur|Hyderabad"),
        abroad=_items("Dubai|London|Singapore|Thailand|Bali"),
        when=_items("aaj subah|kal|kal raat|abhi|aaj"),
        merchants=_items("Flipkart|Amazon|Swiggy|Zomato|BigBasket|Myntra|DMart|Blinkit|Zepto"),
        currencies=(Currency("₹", "", ",", "", 2000.0, indian=True), Currency("Rs ", "", ",", "", 2000.0, indian=True)),
        news=(
            "https://www.ndtv.com/business/{slug}-{id}",
            "https://economictimes.indiatimes.com/wealth/spend/{slug}/articleshow/{id}.cms",
        ),
        mad=MAD, yay=(*YAY, "🙏🙏"), meh=MEH, deco=(*DECO, "🇮🇳"), book=_EAST["hi-Latn"],
    ),
    Locale(
        variant="id", lang="id", weight=4.0, latin=True,
        first=_names("Putri Ayu Dewi Siti Nur Rina Indah Fitri Budi Agus Andi Rizky Dimas Fajar Bayu Eko Yoga Arif Reza Hendra"),
        last=_names("Pratama Saputra Wijaya Santoso Hidayat Nugroho Kusuma Setiawan Wibowo Siregar Lubis Hakim Permana"),
        cities=_items("Jakarta|Bandung|Surabaya|Medan|Jogja|Bali|Bekasi|Depok|Makassar"),
        abroad=_items("Singapura|Jepang|Korea|Bangkok|Kuala Lumpur|Turki"),
        when=_items("tadi pagi|kemarin|semalam|barusan|hari ini"),
        merchants=_items("Indomaret|Alfamart|Tokopedia|Shopee|Gojek|Grab|Traveloka|Starbucks"),
        currencies=(Currency("Rp", "", ".", "", 250000.0), Currency("Rp ", "", ".", "", 250000.0)),
        news=("https://money.kompas.com/read/{y}/{m}/{d}/{id}/{slug}", "https://finance.detik.com/moneter/d-{id}/{slug}"),
        mad=(*MAD, "huhu", "😭😭"), yay=(*YAY, "mantap"), meh=MEH, deco=(*DECO, "🇮🇩"), book=_EAST["id"],
    ),
    Locale(
        variant="zh", lang="zh", weight=1.5, latin=False,
        first=_names(
            "王伟:wangwei 李娜:lina 张敏:zhangmin 刘洋:liuyang 陈静:chenjing 杨帆:yangfan "
            "赵磊:zhaolei 黄婷:huangting 周杰:zhoujie 吴倩:wuqian 小鱼:xiaoyu 阿明:aming "
            "一只小猫:yizhixiaomao 橘子汽水:juzi"
        ),
        last=(),
        cities=_items("上海|北京|深圳|广州|杭州|成都|香港"),
        abroad=_items("日本|泰国|新加坡|欧洲|韩国|香港"),
        when=_items("今天早上|昨天|昨晚|刚才|今天"),
        merchants=_items("淘宝|京东|美团|拼多多|星巴克|盒马|携程|滴滴"),
        currencies=(Currency("¥", "", ",", ".", 300.0), Currency("", "元", "", "", 300.0)),
        news=("https://www.caixin.com/{y}-{m}-{d}/{id}.html", "https://www.thepaper.cn/newsDetail_forward_{id}", "https://36kr.com/p/{id}"),
        mad=(*MAD, "无语了", "🙄🙄"), yay=YAY, meh=MEH, deco=DECO, book=_EAST["zh"], signs=False,
    ),
    Locale(
        variant="ja", lang="ja", weight=3.5, latin=False,
        first=_names(
            "さくら:sakura ゆうき:yuki たろう:taro はると:haruto あおい:aoi みさき:misaki "
            "けんた:kenta ひなた:hinata さとう:sato すずき:suzuki たなか:tanaka まる:maru"
        ),
        last=(),
        cities=_items("渋谷|新宿|梅田|博多|横浜|池袋|京都|札幌"),
        abroad=_items("韓国|台湾|ハワイ|タイ|パリ|シンガポール"),
        when=_items("さっき|今朝|昨日|昨日の夜|今日"),
        merchants=_items("Amazon|楽天|セブン|ファミマ|ローソン|ユニクロ|メルカリ|ビックカメラ"),
        currencies=(Currency("", "円", ",", "", 4000.0), Currency("¥", "", ",", "", 4000.0)),
        news=(
            "https://www.nikkei.com/article/DGXZQO{HEX}/",
            "https://www3.nhk.or.jp/news/html/{y}{m}{d}/k{id}.html",
            "https://www.asahi.com/articles/ASS{HEX}.html",
        ),
        mad=_items("😇|(´；ω；｀)|つらい|😭|🙃|"), yay=_items("🙏|助かった|✨|😭🙏|"), meh=_items("🤔|…|"),
        deco=(*DECO, "@低浮上", "@育休中", "🍙"), book=_EAST["ja"], signs=False,
    ),
    Locale(
        variant="ko", lang="ko", weight=1.5, latin=False,
        first=_names(
            "김민준:minjun 이서연:seoyeon 박지훈:jihoon 최수아:sua 정하은:haeun 강도윤:doyoon "
            "조예린:yerin 윤서준:seojun 장지민:jimin 임하준:hajun 한유진:yujin"
        ),
        last=(),
        cities=_items("서울|부산|강남|홍대|인천|대구|판교"),
        abroad=_items("일본|태국|베트남|미국|유럽|대만"),
        when=_items("아까|오늘 아침|어제|어젯밤|오늘"),
        merchants=_items("쿠팡|배민|이마트|올리브영|스타벅스|다이소|무신사|GS25"),
        currencies=(Currency("", "원", ",", "", 40000.0),),
        news=("https://www.yna.co.kr/view/AKR{y}{m}{d}{id}", "https://www.hankyung.com/article/{y}{m}{d}{id}"),
        mad=_items("ㅠㅠ|😡|ㅡㅡ|😭|ㅠㅠㅠ|"), yay=_items("ㅎㅎ|👍|🥹|ㅠㅠ 감사|"), meh=_items("🤔|ㅠ|"),
        deco=DECO, book=_EAST["ko"], signs=False,
    ),
)  # fmt: skip

SPAM_VARIANTS: tuple[str, ...] = tuple(loc.variant for loc in LOCALES if "spam" in loc.book)

LANGUAGES: tuple[str, ...] = tuple(dict.fromkeys(loc.lang for loc in LOCALES))
