"""A realistic, deterministic stream of social posts about one card issuer, for demos and load.

`generate_posts` yields plain dicts in the wire schema of `rapport.records.Post`: what a
connector would hand to normalisation. The stream mixes complaints, praise, questions, lost
cards, fraud scares, promotions, spam and news in 16 languages, threads about a fifth of it
into conversations (with the brand's care team answering some), and contains one outage: a
burst of "#<Brand>Down" posts at several times the normal rate, about 60% of the way in.

Everything is drawn from one `random.Random(seed)`, so a seed always yields the same
stream. Memory stays flat however many posts are asked for: only the author pool and a
bounded window of recent conversations are kept.
"""

from __future__ import annotations

import math
import random
import re
import string
import time
from bisect import bisect
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

from rapport.demo import phrases
from rapport.demo.authors import SNOWFLAKE_EPOCH_MS, Author, build_cast
from rapport.demo.phrases import Locale, to_ascii
from rapport.demo.phrases_west import Book

__all__ = ["DEFAULT_START", "LANGUAGES", "generate_posts", "write_jsonl"]

LANGUAGES: tuple[str, ...] = phrases.LANGUAGES

DEFAULT_START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

_REPLY_SHARE = 0.2
_BURST_AT = 0.6  # fraction of the stream where the outage starts
_BURST_SHARE = 0.08  # fraction of posts that fall inside the outage
_BURST_RATE = 6.0
_BURST_OUTAGE = 0.9  # share of root posts the outage drives while it lasts
_AFTERMATH_SHARE = 0.03  # rate and complaints taper off over this many posts afterwards
_THREAD_WINDOW = 5000

# Share of root posts by kind on an ordinary day.
_DAY_MIX: tuple[tuple[str, float], ...] = (
    ("complaint", 28),
    ("question", 16),
    ("praise", 10),
    ("promo", 9),
    ("fraud", 7),
    ("news", 7),
    ("spam", 6),
    ("lost", 5),
    ("outage", 2),  # somebody always thinks the bank is down
)
_BURST_MIX: tuple[tuple[str, float], ...] = (("outage", 90), ("fraud", 7), ("spam_outage", 3))
_CARE_KINDS = frozenset({"complaint", "question", "lost", "fraud", "outage"})
_LOUD_KINDS = frozenset({"complaint", "outage", "fraud", "lost"})
_UNTHREADED = frozenset({"spam", "spam_outage", "official_restored"})
_NOISY_KINDS = frozenset(
    {"complaint", "praise", "question", "lost", "fraud", "promo", "outage", "followup", "same"}
)
_MOOD = {
    "complaint": "mad",
    "outage": "mad",
    "fraud": "mad",
    "lost": "mad",
    "same": "mad",
    "praise": "yay",
    "promo": "yay",
    "question": "meh",
}
_MINS = ("20", "25", "30", "35", "40", "45", "50", "55", "60", "75", "90")
_PCT = ("2", "3", "5", "5", "10", "10", "15")
_POINTS = (2500, 5000, 10000, 12500, 20000, 25000, 50000)
_HELP = ("card-delivery", "lost-or-stolen", "disputes", "pin", "travel", "fees", "app-login")
_OFFERS = ("cashback", "double-points", "travel", "dining", "welcome-bonus")
_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_BRAND_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,10}")
_TABLE = 4096  # size of the pre-drawn lognormal tables used for metrics

# (template with brand slots filled, slots still to fill, the slots among them that are URLs)
_Template = tuple[str, tuple[str, ...], tuple[str, ...]]


@dataclass(slots=True)
class _Thread:
    root_id: str
    locale: Locale
    network: str
    kind: str
    author: Author
    last_id: str
    last_author: Author
    cared: bool = False


class _Keep(dict[str, str]):
    """Leaves unknown slots in place, so the brand slots can be filled once per run."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    return [w / total for w in accumulate(weights)]


def _slugify(text: str) -> str:
    words = _SLUG_JUNK.sub("-", to_ascii(text).lower()).strip("-").split("-")
    return "-".join(words[:9])


def _compile(template: str) -> _Template:
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    unknown = set(names) - phrases.SLOTS
    if unknown:
        raise ValueError(f"unknown slots {sorted(unknown)} in template {template!r}")
    # "url" is drawn together with "headline", so it must come after it.
    fields = tuple(sorted(dict.fromkeys(names), key=lambda name: name == "url"))
    return template, fields, tuple(f for f in fields if f in phrases.URL_SLOTS)


def generate_posts(
    count: int,
    *,
    seed: int = 7,
    start: datetime | None = None,
    posts_per_second: float = 50.0,
    brand: str = "NovaCard",
) -> Iterator[dict[str, Any]]:
    """Yield `count` post dicts in wire form, in time order, the same ones for the same seed.

    `brand` becomes the care handle (@<brand>Help), the outage hashtag (#<brand>Down) and the
    rewards hashtag (#<brand>Rewards), so it must be a short handle-safe word. A naive
    `start` is taken as UTC.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if not posts_per_second > 0:
        raise ValueError("posts_per_second must be > 0")
    if not _BRAND_RE.fullmatch(brand):
        raise ValueError("brand must be 1-11 letters, digits or _, starting with a letter")
    begin = DEFAULT_START if start is None else start
    if begin.tzinfo is None:
        begin = begin.replace(tzinfo=UTC)
    return _Stream(count, seed, begin, posts_per_second, brand).posts()


def write_jsonl(path: Path, count: int, *, seed: int = 7) -> int:
    """Write `count` generated posts to `path`, one JSON object per line; return lines written."""
    written = 0
    chunk: list[bytes] = []
    with path.open("wb") as fh:
        for post in generate_posts(count, seed=seed):
            chunk.append(orjson.dumps(post, option=orjson.OPT_APPEND_NEWLINE))
            if len(chunk) == 4096:
                fh.write(b"".join(chunk))
                written += len(chunk)
                chunk.clear()
        fh.write(b"".join(chunk))
        written += len(chunk)
    return written


class _Stream:
    """One run of the generator; everything carried from one post to the next lives here."""

    def __init__(self, count: int, seed: int, start: datetime, rate: float, brand: str) -> None:
        rng = self.rng = random.Random(seed)
        rnd = self.random = rng.random
        self.count = count
        self.rate = rate
        self.start_ms = int(start.timestamp() * 1000)
        self.brand_low = brand.lower()
        capitals = "".join(ch for ch in brand if ch.isupper())
        self.ref_prefix = capitals if len(capitals) >= 2 else brand[:2].upper()  # "NC-104233"
        self.phish = tuple(p.format(b=self.brand_low) for p in phrases.PHISH)

        self.burst_start = int(count * _BURST_AT)
        self.burst_end = self.burst_start + max(1, round(count * _BURST_SHARE))
        self.aftermath = max(1, round(count * _AFTERMATH_SHARE))
        length = self.burst_end - self.burst_start
        # The brand's own account speaks up twice during the outage and once when it ends.
        self.scheduled = {
            self.burst_start + length // 8: "official_outage",
            self.burst_start + length // 2: "official_outage",
            self.burst_end: "official_restored",
        }

        self.locales = phrases.LOCALES
        self.by_variant = {loc.variant: loc for loc in self.locales}
        self.locale_cum = _cumulative([loc.weight for loc in self.locales])
        self.day_kinds = tuple(k for k, _ in _DAY_MIX)
        self.day_cum = _cumulative([w for _, w in _DAY_MIX])
        self.burst_kinds = tuple(k for k, _ in _BURST_MIX)
        self.burst_cum = _cumulative([w for _, w in _BURST_MIX])

        static = _Keep(
            brand=brand,
            care=f"@{brand}Help",
            at=f"@{brand}",
            tag=f"#{brand}",
            down=f"#{brand}Down",
            rewards=f"#{brand}Rewards",
        )
        self.books = {loc.variant: self._prepare(loc.book, static) for loc in self.locales}
        self.headlines = {
            loc.variant: self._headlines(loc.book["headlines"], static) for loc in self.locales
        }
        self.outage_headlines = {
            loc.variant: self._headlines(loc.book["headlines_outage"], static)
            for loc in self.locales
            if "headlines_outage" in loc.book
        }

        # Metrics multiply several lognormal factors per post; drawing them from tables made
        # once per run keeps the stream fast, and the tails come from follower counts anyway.
        gauss = rng.gauss
        self.reach_table = [math.exp(gauss(-1.4, 1.0)) for _ in range(_TABLE)]
        self.like_table = [math.exp(gauss(-4.0, 0.9)) for _ in range(_TABLE)]
        self.repost_table = [math.exp(gauss(-2.0, 0.8)) for _ in range(_TABLE)]
        self.amount_table = [math.exp(gauss(0.0, 0.85)) for _ in range(_TABLE)]

        # Who is writing and to whom, set per post for the slot functions that need it.
        self.writer: Author | None = None
        self.target: Author | None = None
        self.pending_url = ""
        self.slots: dict[str, Callable[[Locale], str]] = {
            "amount": self._amount,
            "merchant": lambda loc: loc.merchants[int(rnd() * len(loc.merchants))],
            "city": lambda loc: loc.cities[int(rnd() * len(loc.cities))],
            "abroad": lambda loc: loc.abroad[int(rnd() * len(loc.abroad))],
            "when": lambda loc: loc.when[int(rnd() * len(loc.when))],
            "mad": lambda loc: loc.mad[int(rnd() * len(loc.mad))],
            "yay": lambda loc: loc.yay[int(rnd() * len(loc.yay))],
            "meh": lambda loc: loc.meh[int(rnd() * len(loc.meh))],
            "n": lambda loc: str(5 + int(rnd() * 10)),
            "mins": lambda loc: _MINS[int(rnd() * len(_MINS))],
            "pct": lambda loc: _PCT[int(rnd() * len(_PCT))],
            "last4": lambda loc: f"{int(rnd() * 10000):04d}",
            "ref": lambda loc: f"{self.ref_prefix}-{100000 + int(rnd() * 900000)}",
            "agent": self._agent,
            "points": self._points,
            "phish": lambda loc: self.phish[int(rnd() * len(self.phish))],
            "url_help": lambda loc: f"https://{self.brand_low}.com/help/{self._pick(_HELP)}",
            "url_offer": lambda loc: f"https://{self.brand_low}.com/offers/{self._pick(_OFFERS)}",
            "url_status": lambda loc: f"https://status.{self.brand_low}.com",
            "spamurl": self._spam_url,
            "user": lambda loc: f"@{self.target.handle}" if self.target else "",
            "headline": self._headline,
            "url": lambda loc: self.pending_url,
        }

        cast = build_cast(rng, start, brand, min(5000, max(200, count // 10)))
        self.care = cast.care
        self.official = cast.official
        self.pools = cast.pools
        self.pools_by_network = cast.pools_by_network
        self.big = cast.big
        self.spammers = cast.spammers

        self.threads: deque[_Thread] = deque(maxlen=_THREAD_WINDOW)
        self.now = ""
        self.index = 0

    # -- preparation -------------------------------------------------------------------

    @staticmethod
    def _prepare(book: Book, static: _Keep) -> dict[str, tuple[_Template, ...]]:
        """Fill the brand slots once; kinds a locale lacks (spam, official posts) use English."""
        fallback = phrases.LOCALES[0].book
        return {
            kind: tuple(_compile(t.format_map(static)) for t in book.get(kind) or fallback[kind])
            for kind in {*book, *fallback}
        }

    @staticmethod
    def _headlines(lines: Sequence[str], static: _Keep) -> tuple[tuple[str, str], ...]:
        filled = (line.format_map(static) for line in lines)
        return tuple((line, _slugify(line)) for line in filled)

    # -- slot values -------------------------------------------------------------------

    def _pick(self, items: Sequence[str]) -> str:
        return items[int(self.random() * len(items))]

    def _amount(self, loc: Locale) -> str:
        rnd = self.random
        cur = loc.currencies[int(rnd() * len(loc.currencies))]
        value = cur.typical * self.amount_table[int(rnd() * _TABLE)] * (0.9 + 0.2 * rnd())
        if cur.decimal:
            whole = int(value)
            if rnd() < 0.25:  # round sums are often written without the cents
                return f"{cur.prefix}{self._group(whole, cur)}{cur.suffix}"
            cents = round(value * 100) % 100
            return f"{cur.prefix}{self._group(whole, cur)}{cur.decimal}{cents:02d}{cur.suffix}"
        step = 10 ** max(0, int(math.log10(max(value, 1.0))) - 1)
        whole = max(step, int(value / step) * step)
        return f"{cur.prefix}{self._group(whole, cur)}{cur.suffix}"

    @staticmethod
    def _group(whole: int, cur: phrases.Currency) -> str:
        digits = str(whole)
        if not cur.group or len(digits) <= 3:
            return digits
        if cur.indian:
            head, tail = digits[:-3], digits[-3:]
            pairs = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)]
            return cur.group.join([*reversed(pairs), tail])
        return f"{whole:,}".replace(",", cur.group)

    def _points(self, loc: Locale) -> str:
        return self._group(_POINTS[int(self.random() * len(_POINTS))], loc.currencies[0])

    def _agent(self, loc: Locale) -> str:
        return "^" + self._pick(_UPPER) + self._pick(_UPPER) if loc.signs else ""

    def _code(self, length: int) -> str:
        return "".join(self.rng.choices(_ALNUM, k=length))

    def _spam_url(self, loc: Locale) -> str:
        pattern = self._pick(phrases.SPAM_URLS)
        word = self._pick(phrases.SPAM_WORDS)
        return pattern.format(code=self._code(7), word=word, b=self.brand_low)

    def _headline(self, loc: Locale) -> str:
        """Draw a headline and, for the "url" slot that follows, a link to it."""
        pool = self.headlines[loc.variant]
        if self.index >= self.burst_start and loc.variant in self.outage_headlines:
            pool = self.outage_headlines[loc.variant]
        headline, slug = pool[int(self.random() * len(pool))]
        hexes = f"{self.rng.getrandbits(128):032x}"
        blog = self.random() < 0.25
        pattern = self._pick(phrases.BLOGS if blog else loc.news)
        handle = self.writer.handle if self.writer else self.brand_low
        self.pending_url = pattern.format(
            slug=slug or hexes[:10],
            y=self.now[:4],
            m=self.now[5:7],
            d=self.now[8:10],
            id=str(1_000_000 + int(self.random() * 9_000_000)),
            hex=hexes[:8],
            HEX=hexes[8:20].upper(),
            uuid=f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}",
            # blog subdomains allow neither "_" nor "."
            handle=handle.lower().replace("_", "").replace(".", ""),
        )
        return headline

    # -- the stream --------------------------------------------------------------------

    def posts(self) -> Iterator[dict[str, Any]]:
        rnd = self.random
        log = math.log
        rate = self.rate
        start_ms = self.start_ms
        burst_start = self.burst_start
        scheduled = self.scheduled
        elapsed = 0.0
        second = -1
        second_text = ""
        last_id = 0
        worker = int(rnd() * 1024) << 12
        for index in range(self.count):
            self.index = index
            multiplier, outage = (1.0, 0.0) if index < burst_start else self._phase(index)
            elapsed -= log(1.0 - rnd()) / (rate * multiplier)  # Poisson arrivals
            ms = start_ms + int(elapsed * 1000)
            if ms // 1000 != second:
                second = ms // 1000
                second_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self.now = f"{second_text}.{ms % 1000:03d}Z"
            # Snowflake-style: milliseconds since the epoch, a worker id and a sequence
            # number, kept strictly increasing when two posts share a millisecond.
            snowflake = ((ms - SNOWFLAKE_EPOCH_MS) << 22) | worker | (index & 4095)
            last_id = snowflake if snowflake > last_id else last_id + 1
            source_id = str(last_id)

            special = scheduled.get(index)
            if special is not None:
                yield self._root(source_id, special, self.by_variant["en"], self.official)
                continue
            post = None
            if self.threads and rnd() < _REPLY_SHARE:
                post = self._reply(source_id, outage > 0)
            yield post or self._fresh(source_id, outage)

    def _phase(self, index: int) -> tuple[float, float]:
        """Rate multiplier and share of outage-driven root posts at this point of the stream."""
        if index < self.burst_end:
            return _BURST_RATE, _BURST_OUTAGE
        done = (index - self.burst_end) / self.aftermath
        if done < 1.0:
            return 1.0 + 2.0 * (1.0 - done), 0.5 * (1.0 - done)
        return 1.0, 0.0

    def _fresh(self, source_id: str, outage: float) -> dict[str, Any]:
        rnd = self.random
        if outage and rnd() < outage:
            kind = self.burst_kinds[bisect(self.burst_cum, rnd())]
        else:
            kind = self.day_kinds[bisect(self.day_cum, rnd())]
        if kind == "spam" or kind == "spam_outage":
            variant = "en" if rnd() < 0.65 else self._pick(phrases.SPAM_VARIANTS)
            spammer = self.spammers[int(rnd() * len(self.spammers))]
            return self._root(source_id, kind, self.by_variant[variant], spammer)
        loc = self.locales[bisect(self.locale_cum, rnd())]
        if kind == "promo" and loc.variant == "en" and rnd() < 0.05:
            return self._root(source_id, "official", loc, self.official)
        bigs = self.big[loc.variant]
        if kind == "news" and bigs and rnd() < 0.6:
            author = bigs[int(rnd() * len(bigs))]
        else:
            pool = self.pools[loc.variant]
            author = pool[int(len(pool) * rnd() ** 2)]  # a few accounts post a lot
        return self._root(source_id, kind, loc, author)

    def _root(self, source_id: str, kind: str, loc: Locale, author: Author) -> dict[str, Any]:
        text, links = self._text(kind, loc, author, None)
        rnd = self.random
        if kind in _CARE_KINDS and "@" not in text and rnd() < 0.3:
            handle = self.care.handle if rnd() < 0.7 else self.official.handle
            text = f"@{handle} {text}" if rnd() < 0.5 else f"{text} @{handle}"
        network = author.network
        if kind not in _UNTHREADED:
            self.threads.append(_Thread(source_id, loc, network, kind, author, source_id, author))
        return self._post(source_id, author, network, text, links, loc, kind, None, source_id)

    def _reply(self, source_id: str, outage: bool) -> dict[str, Any] | None:
        """A reply in a recent conversation, or None when nobody suitable is around to write it."""
        threads = self.threads
        thread = threads[-1 - int(len(threads) * self.random() ** 1.5)]  # favour recent ones
        root_kind, r = thread.kind, self.random()
        customer = root_kind in _CARE_KINDS
        if customer and not thread.cared and r < 0.3:
            kind = "care_outage" if root_kind == "outage" and outage else "care"
            author, target = self.care, thread.author
            reply_to = thread.last_id if thread.last_author is target else thread.root_id
            thread.cared = True
        elif customer and r < 0.65:
            # During the outage, customers mostly just repeat that it is still broken.
            kind = "outage" if root_kind == "outage" and outage and r < 0.5 else "followup"
            author, target, reply_to = thread.author, thread.last_author, thread.last_id
        else:
            if root_kind in ("outage", "official_outage"):
                kind = "outage"
            else:
                kind = "same" if customer else "banter"
            bystander = self._bystander(thread)
            if bystander is None:
                return None
            author = bystander
            if self.random() < 0.7:
                target, reply_to = thread.author, thread.root_id
            else:
                target, reply_to = thread.last_author, thread.last_id
        text, links = self._text(kind, thread.locale, author, target)
        if thread.network == "x" and target is not author and not text.startswith("@"):
            text = f"@{target.handle} {text}"  # X puts the replied-to handle in the text
        thread.last_id, thread.last_author = source_id, author
        return self._post(
            source_id, author, thread.network, text, links, thread.locale, kind, reply_to,
            thread.root_id,
        )  # fmt: skip

    def _bystander(self, thread: _Thread) -> Author | None:
        """Someone else who writes the thread's language on the thread's network."""
        pool = self.pools_by_network.get((thread.locale.variant, thread.network))
        if not pool:
            return None
        for _ in range(3):
            author = pool[int(self.random() * len(pool))]
            if author is not thread.author:
                return author
        return None

    def _text(
        self, kind: str, loc: Locale, author: Author, target: Author | None
    ) -> tuple[str, list[str]]:
        options = self.books[loc.variant][kind]
        template, fields, url_fields = options[int(self.random() * len(options))]
        if fields:
            self.writer, self.target = author, target
            slots = self.slots
            values = {field: slots[field](loc) for field in fields}
            text = template.format_map(values)
            if "  " in text:  # an empty emoji slot mid-sentence
                text = text.replace("  ", " ")
            text = text.strip()
            links = [values[field] for field in url_fields]
        else:
            text, links = template, []
        if kind in _NOISY_KINDS:
            text = self._roughen(text, loc, kind)
        return text, links

    def _roughen(self, text: str, loc: Locale, kind: str) -> str:
        """Typos, elongations, shouting and extra emoji, at rates that keep most posts clean."""
        rnd = self.random
        r = rnd()
        if r < 0.16:
            if not loc.latin:
                return text
            words = text.split(" ")
            at = int(rnd() * len(words))
            word = words[at]
            # Lower-case words only: mangled names and handles read as a different brand.
            if len(word) > 3 and word.isalpha() and word.islower():
                if r < 0.07:
                    cut = 1 + int(rnd() * (len(word) - 2))
                    words[at] = word[: cut - 1] + word[cut] + word[cut - 1] + word[cut + 1 :]
                elif word[-1] in "aeiouy":
                    words[at] = word + word[-1] * (2 + int(rnd() * 3))  # "sooo", "pleaseee"
                return " ".join(words)
        elif r < 0.2:
            # Dotted/dotless i makes upper-casing Turkish wrong, and nobody shouts in kana.
            if loc.latin and kind in _LOUD_KINDS and loc.variant != "tr":
                return text.upper()
        elif r > 0.9:
            mood = _MOOD.get(kind)
            if mood is not None:
                pool: tuple[str, ...] = getattr(loc, mood)
                return f"{text} {pool[int(rnd() * len(pool))]}".rstrip()
        return text

    def _post(
        self,
        source_id: str,
        author: Author,
        network: str,
        text: str,
        links: list[str],
        loc: Locale,
        kind: str,
        reply_to: str | None,
        conversation: str,
    ) -> dict[str, Any]:
        rnd = self.random
        if links and network == "x" and rnd() < 0.35:
            # X shows t.co links in the text; the API mostly gives the expansion alongside.
            expanded, links = links, []
            for url in expanded:
                short = "https://t.co/" + self._code(10)
                text = text.replace(url, short)
                links.append(url if rnd() < 0.8 else short)
        if network == "instagram" and reply_to is None:
            media_odds = 1.0  # every Instagram post is a picture or a reel
        elif kind == "outage":
            media_odds = 0.12  # screenshots of the error
        elif kind == "spam" or kind == "spam_outage":
            media_odds = 0.3
        else:
            media_odds = 0.045
        media: list[str] = []
        if rnd() < media_odds:
            m = rnd()
            media = ["photo"] if m < 0.78 else ["video"] if m < 0.95 else ["photo", "video"]
        return {
            "network": network,
            "source_id": source_id,
            "author": author.as_dict(),
            "text": text,
            "created_at": self.now,
            "conversation_id": conversation,
            "reply_to_id": reply_to,
            "lang": loc.lang,
            "links": links,
            "has_media": bool(media),
            "media_types": media,
            "metrics": self._metrics(author.followers, network, kind),
        }

    def _metrics(self, followers: int, network: str, kind: str) -> dict[str, Any]:
        """Engagement scales with audience, with a long tail of posts that take off."""
        bits = self.rng.getrandbits(48)  # four 12-bit draws for the price of one call
        reach = followers * self.reach_table[bits & 4095]
        if kind == "outage" or kind == "official_outage":
            reach *= 2.0  # outrage travels
        elif kind == "spam" or kind == "spam_outage":
            reach *= 0.3
        elif kind == "care" or kind == "care_outage":
            reach *= 0.01  # only the customer and a few onlookers see a care reply
        r = (bits >> 36) / 4096.0
        likes = int(reach * self.like_table[(bits >> 12) & 4095] + r * 1.5)
        reposts = int(likes * self.repost_table[(bits >> 24) & 4095] + r * 0.3)
        return {
            "likes": likes,
            "reposts": reposts,
            "replies": int(likes * 0.1 * r + r * 0.7),
            "quotes": int(reposts * 0.2 * r),
            "views": int(reach) + int(r * 40) if network == "x" else None,
        }
