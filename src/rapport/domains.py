"""Registered domains of links ("news.bbc.co.uk/x" -> "bbc.co.uk"), offline.

The public-suffix list is the snapshot shipped inside the installed `tldextract` package;
Rapport never fetches it, so results do not depend on the network or the day.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# Private suffixes (github.io, blogspot.com) make each hosted blog its own domain, which is
# what traffic weighting needs: one popular blog says nothing about its neighbours.
_extract = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


def registered_domain(url: str) -> str:
    """The registrable domain of `url`; its host when it has none (an IP); '' if unparseable."""
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return ""
    if not host:
        return ""
    return _domain_of_host(host)


@lru_cache(maxsize=200_000)
def _domain_of_host(host: str) -> str:
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or parts.ipv4 or parts.ipv6 or host


def domains_of(urls: tuple[str, ...]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for url in urls:
        domain = registered_domain(url)
        if domain:
            found[domain] = None
    return tuple(found)
