"""Source-domain traffic: a post linking to a widely read site can reach far beyond its author.

A weight in [0, 1] per registered domain, from a two-column CSV (`domain,weight`). The
weight of a post is the largest weight among the domains it links to, with the reason.

Where the weights come from:

- **The shipped table** (`data/domain_weights.csv`) is built by
  `scripts/build_domain_weights.py` from `data/domain_tiers.toml`: about 400 well-known
  domains in the languages Rapport serves, each placed by hand in a traffic tier (an
  order of magnitude of monthly visits) from general knowledge, with log-scaled weights.
  Nothing is downloaded, now or at run time, so the table is the same on every machine;
  the TOML file says how it was made and how far to trust it.
- **Your own history**: `weights_from_history` weighs each domain by the log of the summed
  follower counts of the distinct authors who linked to it, over posts you have stored.
  That measures reach among your own audience, which may matter more to you than global
  traffic.
- **Your own CSV** replaces the shipped table (`DomainWeights.load(path)`), so the weights
  in force are exactly the ones in your file: nothing from the default leaks in unseen.
  To add a few domains and keep the rest, use `load(path, over_default=True)`, which lays
  your file over the default (your weight wins; a weight of 0 silences a default entry).

URL shorteners (t.co, bit.ly, ...) always weigh 0, whatever a table says: a shortened link
hides the real source, and t.co wraps every link on X, so weighting it would weigh them all.
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rapport.domains import registered_domain
from rapport.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
TIERS_PATH = DATA_DIR / "domain_tiers.toml"
DEFAULT_CSV_PATH = DATA_DIR / "domain_weights.csv"
HEADER = ("domain", "weight")
DEFAULT_COMMENT = (
    "Built by scripts/build_domain_weights.py from domain_tiers.toml, which says how.\n"
    "Edit that file and run the script; do not edit this one by hand."
)

SHORTENERS = frozenset(
    {
        "bit.ly", "bitly.com", "buff.ly", "cutt.ly", "dlvr.it", "goo.gl", "ift.tt", "is.gd",
        "lnkd.in", "ow.ly", "rb.gy", "rebrand.ly", "s.id", "shorturl.at", "t.co", "t.ly",
        "tiny.cc", "tinyurl.com", "trib.al",
    }
)  # fmt: skip


def _normal(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def domain_problem(domain: str) -> str | None:
    """Why `domain` cannot be a table entry, or None. Entries must be registered domains
    because that is what a post's `domains` hold: a host such as www.reuters.com would
    never match anything."""
    labels = domain.split(".")
    if not domain or any(not label or any(c in label for c in " \t/:@,;?#") for label in labels):
        return "is not a domain name"
    if len(labels) < 2:
        return "is not a domain name (it has no dot)"
    if all(label.isdigit() for label in labels):
        return "is an IP address, not a domain"
    if domain in SHORTENERS:
        return "is a URL shortener: its links hide the real source, so it always weighs 0"
    registered = registered_domain(domain)
    if registered != domain:
        return f"is a host, not a registered domain; write {registered!r}"
    if registered_domain("x." + domain) != domain:
        return "is a public suffix (every site under it is its own domain), not a domain"
    return None


class DomainWeights:
    """An immutable table of domain -> traffic weight in [0, 1]."""

    def __init__(self, weights: Mapping[str, float], source: str = "domain weights") -> None:
        table: dict[str, float] = {}
        for raw, weight in weights.items():
            domain = _normal(raw)
            problem = domain_problem(domain)
            if problem is not None:
                raise ConfigError(f"{source}: {raw!r} {problem}")
            if not 0.0 <= weight <= 1.0:  # also refuses NaN
                raise ConfigError(f"{source}: weight {weight!r} for {domain!r} must be in 0..1")
            table[domain] = float(weight)
        self._table = MappingProxyType(table)
        self.source = source

    def __reduce__(self) -> tuple[Any, ...]:
        # Copies for file ingest's helper process rebuild the read-only view there.
        return (DomainWeights, (dict(self._table), self.source))

    @classmethod
    def default(cls) -> DomainWeights:
        """The shipped table, read once per process."""
        return _default()

    @classmethod
    def from_csv(cls, path: Path, source: str | None = None) -> DomainWeights:
        """Read `domain,weight` rows. A first row `domain,weight` is a header; empty rows
        and rows starting with `#` are skipped. Errors name the file, the line and the value.
        """
        where = source or str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(
                f"domain weight file {path} does not exist; give the path of a CSV with "
                "`domain,weight` rows"
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"domain weight file {path} cannot be read: {error}") from None
        weights: dict[str, float] = {}
        first_line: dict[str, int] = {}
        reader = csv.reader(text.splitlines())
        data_rows = 0
        for row in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            data_rows += 1
            if data_rows == 1 and tuple(c.lower() for c in cells) == HEADER:
                continue
            if len(cells) != 2:
                raise ConfigError(
                    f"{where}, line {line}: expected 2 columns (domain,weight), "
                    f"found {len(cells)}: {','.join(row)!r}"
                )
            raw, value = cells
            domain = _normal(raw)
            problem = domain_problem(domain)
            if problem is not None:
                raise ConfigError(f"{where}, line {line}: {raw!r} {problem}")
            try:
                weight = float(value)
            except ValueError:
                weight = math.nan
            if not 0.0 <= weight <= 1.0:
                raise ConfigError(
                    f"{where}, line {line}: weight {value!r} for {domain!r} is not a number "
                    "from 0 to 1"
                )
            if domain in first_line:
                raise ConfigError(
                    f"{where}, line {line}: {domain!r} is already on line {first_line[domain]}; "
                    "keep one row per domain"
                )
            first_line[domain] = line
            weights[domain] = weight
        return cls(weights, source=where)

    @classmethod
    def load(cls, path: Path | None, *, over_default: bool = False) -> DomainWeights:
        """The user's table if `path` is given (alone, or over the default), else the default."""
        if path is None:
            return cls.default()
        own = cls.from_csv(path)
        return own.merged_over(cls.default()) if over_default else own

    def merged_over(self, base: DomainWeights) -> DomainWeights:
        """`base` with this table's entries added or replacing its own."""
        merged = {**base._table, **self._table}
        return DomainWeights(merged, source=f"{self.source} over {base.source}")

    def weight_of(self, domain: str) -> tuple[float, str | None]:
        """(weight, the table entry that gave it). A domain also takes the weight of its
        closest listed parent, so a host (news.bbc.co.uk) still finds bbc.co.uk; an
        unlisted domain or a shortener is (0.0, None)."""
        labels = _normal(domain).split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:])
            if candidate in SHORTENERS:
                return 0.0, None
            weight = self._table.get(candidate)
            if weight is not None:
                return weight, candidate
        return 0.0, None

    def for_post(self, domains: tuple[str, ...]) -> tuple[float, str]:
        """The heaviest domain the post links to (the first, on a tie), and why."""
        if not domains:
            return 0.0, "no links"
        best: tuple[float, str, str] | None = None
        for domain in domains:
            weight, entry = self.weight_of(domain)
            if entry is not None and (best is None or weight > best[0]):
                best = (weight, domain, entry)
        if best is not None:
            weight, domain, entry = best
            via = "" if entry == _normal(domain) else f"as {entry}, "
            return weight, f"links to {domain} ({via}traffic weight {weight:.2f})"
        if all(_shortened(d) for d in domains):
            return 0.0, f"links only through {_listing(domains)}, which hide the source"
        return 0.0, f"links to {_listing(domains)}: not in the domain weight table"

    def as_dict(self) -> dict[str, float]:
        return dict(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, domain: object) -> bool:
        return isinstance(domain, str) and _normal(domain) in self._table

    def __repr__(self) -> str:
        return f"DomainWeights({len(self)} domains from {self.source})"


def _shortened(domain: str) -> bool:
    labels = _normal(domain).split(".")
    return any(".".join(labels[i:]) in SHORTENERS for i in range(len(labels) - 1))


def _listing(domains: tuple[str, ...], most: int = 3) -> str:
    shown = ", ".join(domains[:most])
    return shown if len(domains) <= most else f"{shown} and {len(domains) - most} more"


@cache
def _default() -> DomainWeights:
    if not DEFAULT_CSV_PATH.is_file():
        raise ConfigError(
            f"the shipped domain weight table is missing at {DEFAULT_CSV_PATH}; rebuild it "
            "with `python scripts/build_domain_weights.py`"
        )
    return DomainWeights.from_csv(DEFAULT_CSV_PATH, source="the shipped domain weight table")


def weights_from_history(
    rows: Iterable[tuple[str, str, int]], *, min_authors: int = 1
) -> dict[str, float]:
    """Weights from your own posts: rows of (domain, author handle, author followers).

    A domain's reach is the sum of the followers of the distinct authors who linked to it
    (each author counted once, at the most followers seen), so one account posting the
    same link a thousand times counts once. Its weight is log10(1 + reach) over that of the
    domain with the most reach, so the top domain weighs 1. Domains linked by fewer than
    `min_authors` authors are left out. Shorteners and values that are not registered
    domains are skipped. Returned sorted by domain, ready for `write_csv`.
    """
    reach: dict[str, dict[str, int]] = {}
    refused: set[str] = set()
    for raw, handle, followers in rows:
        domain = _normal(raw)
        authors = reach.get(domain)
        if authors is None:
            if domain in refused:
                continue
            if domain_problem(domain) is not None:
                refused.add(domain)
                continue
            authors = reach[domain] = {}
        author = handle.strip().lstrip("@").lower()
        authors[author] = max(authors.get(author, 0), max(0, int(followers)))
    logs = {
        domain: math.log10(1 + sum(authors.values()))
        for domain, authors in reach.items()
        if len(authors) >= max(1, min_authors)
    }
    top = max(logs.values(), default=0.0)
    return {domain: round(logs[domain] / top, 4) if top > 0 else 0.0 for domain in sorted(logs)}


def build_from_tiers(path: Path = TIERS_PATH) -> dict[str, float]:
    """Weights from the tiers file: each tier's log10 visits scaled between [scale] floor
    (0) and top (1), a category's `cap_tier` capping its weights; sorted by domain."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        top, floor = float(spec["scale"]["top"]), float(spec["scale"]["floor"])
        tiers = {str(k): float(v) for k, v in spec["tiers"].items()}
        categories = spec["categories"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path}: not a domain tiers file ({error!r})") from None
    if top <= floor:
        raise ConfigError(f"{path}: [scale] top={top:g} must be above floor={floor:g}")

    def weight_of_tier(tier: str, category: str) -> float:
        if tier not in tiers:
            raise ConfigError(f"{path}: [categories.{category}] uses tier {tier!r}, not in [tiers]")
        return min(1.0, max(0.0, (tiers[tier] - floor) / (top - floor)))

    weights: dict[str, float] = {}
    home: dict[str, str] = {}
    for category, table in categories.items():
        cap = table.get("cap_tier")
        ceiling = 1.0 if cap is None else weight_of_tier(str(cap), category)
        for tier, domains in table.items():
            if tier == "cap_tier":
                continue
            weight = round(min(ceiling, weight_of_tier(tier, category)), 4)
            for raw in domains:
                domain = _normal(raw)
                problem = domain_problem(domain)
                if problem is not None:
                    raise ConfigError(f"{path}: [categories.{category}] {raw!r} {problem}")
                if domain in home:
                    raise ConfigError(
                        f"{path}: {domain!r} is listed in both {home[domain]} and {category}"
                    )
                home[domain] = category
                weights[domain] = weight
    return dict(sorted(weights.items()))


def render_csv(weights: Mapping[str, float], comment: str = "") -> str:
    """The CSV text: comment lines, the header, then rows sorted by domain with four
    decimals, so the same weights always give the same bytes."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines.append(",".join(HEADER))
    lines.extend(f"{domain},{weights[domain]:.4f}" for domain in sorted(weights))
    return "\n".join(lines) + "\n"


def write_csv(weights: Mapping[str, float], path: Path, comment: str = "") -> None:
    path.write_text(render_csv(weights, comment), encoding="utf-8", newline="\n")


def build_default_table(tiers_path: Path = TIERS_PATH, out_path: Path = DEFAULT_CSV_PATH) -> int:
    """Write the shipped CSV from the tiers file; returns the number of domains."""
    weights = build_from_tiers(tiers_path)
    write_csv(weights, out_path, DEFAULT_COMMENT)
    return len(weights)
