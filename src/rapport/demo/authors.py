"""The accounts that post in the demo stream: a fixed pool built once per run from the seed.

Followers are heavy-tailed the way real audiences are: most accounts have a few hundred at
most, a handful of journalists and influencers have 100k to 2M, and verification clusters
among the big ones. Handles and display names follow each locale's habits (and each
network's: Facebook shows full names, Reddit shows only the generated username).
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from rapport.demo import phrases
from rapport.demo.phrases import Locale

SNOWFLAKE_EPOCH_MS = 1_288_834_974_657

_NETWORKS: tuple[tuple[str, float], ...] = (
    ("x", 80),
    ("facebook", 8),
    ("instagram", 7),
    ("reddit", 5),
)
_BIG_SUFFIX = (" | fintech reporter", " · money editor", " (personal finance)", " 📈", "")
_HANDLE_PREFIX = ("the", "its", "real", "im")
_SPAM_SUFFIX = ("king", "drop", "daily", "pro", "hub")


@dataclass(slots=True)
class Author:
    """One account. `wire` is the author object posts carry, built once and copied per post."""

    source_id: str
    handle: str
    followers: int
    network: str
    post_count: int
    wire: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        self.post_count += 1
        out = self.wire.copy()
        out["post_count"] = self.post_count
        return out


@dataclass(slots=True)
class Cast:
    """Everyone who can appear in a run, indexed the ways the stream needs to draw them."""

    care: Author
    official: Author
    pools: dict[str, list[Author]] = field(default_factory=dict)
    pools_by_network: dict[tuple[str, str], list[Author]] = field(default_factory=dict)
    big: dict[str, list[Author]] = field(default_factory=dict)
    spammers: list[Author] = field(default_factory=list)


def build_cast(rng: random.Random, start: datetime, brand: str, size: int) -> Cast:
    """About `size` ordinary authors spread over the locales by traffic share, plus the rest."""
    return _Builder(rng, start).cast(brand, size)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.random = rng.random
        self.start = start
        self.handles: set[str] = set()
        self.ids: set[str] = set()
        self.networks = tuple(name for name, _ in _NETWORKS)
        total = sum(w for _, w in _NETWORKS)
        self.network_cum = [w / total for w in accumulate(w for _, w in _NETWORKS)]

    def pick(self, items: tuple[str, ...]) -> str:
        return items[int(self.random() * len(items))]

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.rng.gauss(0.0, sigma))

    def cast(self, brand: str, size: int) -> Cast:
        care = self.account(f"{brand}Help", f"{brand} Help", 104_300, "2011-03-14T16:02:09Z")
        official = self.account(brand, brand, 1_840_000, "2009-06-02T12:30:51Z")
        cast = Cast(care=care, official=official)
        locales = phrases.LOCALES
        total = sum(loc.weight for loc in locales)
        cum = [w / total for w in accumulate(loc.weight for loc in locales)]
        counts = {loc.variant: 3 for loc in locales}
        for _ in range(max(0, size - 3 * len(locales))):
            counts[locales[bisect(cum, self.random())].variant] += 1
        # English always gets two big accounts so every stream has someone with reach.
        n_big = max(4, size // 60)
        big_variants = ["en", "en"]
        big_variants += [locales[bisect(cum, self.random())].variant for _ in range(n_big - 2)]
        for loc in locales:
            authors = [self.person(loc, big=False) for _ in range(counts[loc.variant])]
            bigs = [self.person(loc, big=True) for v in big_variants if v == loc.variant]
            authors.extend(bigs)
            self.rng.shuffle(authors)
            cast.pools[loc.variant] = authors
            cast.big[loc.variant] = bigs
            for author in authors:
                key = (loc.variant, author.network)
                cast.pools_by_network.setdefault(key, []).append(author)
        cast.spammers = [self.spammer() for _ in range(max(5, size // 40))]
        return cast

    def make(
        self,
        created: datetime | str,
        handle: str,
        shown: str,
        followers: int,
        following: int,
        verified: bool,
        posts: int,
        network: str,
    ) -> Author:
        if isinstance(created, str):
            source_id = self.new_id(None)
            created_at = created
        else:
            source_id = self.new_id(created)
            created_at = _iso(created)
        wire: dict[str, Any] = {
            "source_id": source_id,
            "handle": handle,
            "display_name": shown,
            "followers": followers,
            "following": following,
            "verified": verified,
            "post_count": posts,
            "created_at": created_at,
        }
        return Author(source_id, handle, followers, network, posts, wire)

    def account(self, handle: str, shown: str, followers: int, created: str) -> Author:
        self.handles.add(handle.lower())
        return self.make(created, handle, shown, followers, 412, True, 58_000, "x")

    def new_id(self, created: datetime | None) -> str:
        # Early accounts have short sequential ids; later ones are snowflakes of signup time.
        while True:
            if created is None or created.year < 2013:
                value = 1_000_000 + int(self.random() * 1_500_000_000)
            else:
                ms = int(created.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS
                value = (ms << 22) | int(self.random() * (1 << 22))
            source_id = str(value)
            if source_id not in self.ids:
                self.ids.add(source_id)
                return source_id

    def unique(self, handle: str, limit: int) -> str:
        handle = handle[:limit]
        while handle.lower() in self.handles:
            handle = handle[: limit - 2] + str(10 + int(self.random() * 90))
        self.handles.add(handle.lower())
        return handle

    def person(self, loc: Locale, *, big: bool) -> Author:
        rnd = self.random
        first, first_ascii = loc.first[int(rnd() * len(loc.first))]
        last, last_ascii = loc.last[int(rnd() * len(loc.last))] if loc.last else ("", "")
        if big:
            network = "x" if rnd() < 0.9 else "instagram"
            days = 3650 + rnd() * 2900
            followers = int(100_000 * self.rng.paretovariate(1.25))
            if followers > 2_300_000:  # the Pareto tail would otherwise reach the brands' size
                followers = 1_200_000 + int(rnd() * 1_100_000)
            following = int(self.lognormal(900, 0.9))
            posts = int(self.lognormal(30_000, 0.8))
            verified = rnd() < 0.8
        else:
            network = self.networks[bisect(self.network_cum, rnd())]
            days = 60 + rnd() * 6300
            followers = min(80_000, int(self.lognormal(110, 1.45)))
            following = min(7_500, int(self.lognormal(260, 1.0)))
            posts = 1 + int(self.lognormal(1_200, 1.4))
            verified = rnd() < (0.4 if followers > 20_000 else 0.005)
        created = self.start - timedelta(days=days, seconds=rnd() * 86_400)
        handle = self.handle(first_ascii, last_ascii, network)
        if network == "facebook" and last:
            shown = f"{first} {last}"  # Facebook shows legal-style names
        elif network == "reddit":
            shown = handle
        else:
            shown = self.display(loc, first, last, big)
        return self.make(created, handle, shown, followers, following, verified, posts, network)

    def handle(self, first: str, last: str, network: str) -> str:
        rnd = self.random
        digits = str(int(rnd() * 10 ** (1 + int(rnd() * 4))))
        if network == "reddit" and rnd() < 0.6:
            adj, noun = self.pick(phrases.REDDIT_ADJ), self.pick(phrases.REDDIT_NOUN)
            return self.unique(f"{adj}_{noun}_{digits}", 20)
        if network in ("facebook", "instagram"):
            sep = "." if rnd() < 0.6 else "_"
            return self.unique(sep.join(p for p in (first, last) if p), 30)
        r = rnd()
        if last and r < 0.3:
            base = f"{first}{last}"
        elif last and r < 0.45:
            base = f"{first}_{last}"
        elif last and r < 0.6:
            base = f"{first}{last[:1]}{digits}"
        elif r < 0.85:
            base = f"{first}{digits}"
        else:
            base = f"{self.pick(_HANDLE_PREFIX)}{first}{last[:3]}"
        if rnd() < 0.3:
            base = base[:1].upper() + base[1:]
        return self.unique(base, 15)  # X's limit

    def display(self, loc: Locale, first: str, last: str, big: bool) -> str:
        r = self.random()
        if big:
            name = f"{first} {last}".strip()
            return name + (self.pick(_BIG_SUFFIX) if loc.variant == "en" else "")
        if last and r < 0.55:
            name = f"{first} {last}"
        elif last and loc.latin and r < 0.65:
            name = f"{first} {last[:1]}."
        else:
            name = first
        if self.random() < 0.18:
            deco = self.pick(loc.deco)
            name = name + deco if deco.startswith("@") else f"{name} {deco}"
        return name

    def spammer(self) -> Author:
        rnd = self.random
        word = self.pick(phrases.SPAM_WORDS)
        handle = self.unique(f"{word}_{self.pick(_SPAM_SUFFIX)}{int(rnd() * 9999)}", 15)
        created = self.start - timedelta(days=5 + rnd() * 150, seconds=rnd() * 86_400)
        return self.make(
            created,
            handle,
            self.pick(phrases.SPAM_NAMES),
            followers=int(self.lognormal(40, 1.0)),
            following=2_000 + int(rnd() * 3_000),
            verified=rnd() < 0.15,  # paid checkmarks are cheap
            posts=int(self.lognormal(3_000, 0.7)),
            network="x" if rnd() < 0.85 else "instagram",
        )
