"""Login throttling that slows a guesser without locking out the account's owner.

Two things are counted, each failure as a row (`rapport.store.throttle`), so a restart
forgets nothing; this module only decides from them:

- **One e-mail from one address** (`pair_key`): the first FREE_PER_PAIR wrong passwords
  cost nothing; after that the next try from that address for that e-mail waits
  FIRST_WAIT, doubling with each further failure up to MAX_WAIT, counted from the latest
  failure. Failures count for PAIR_WINDOW. Someone guessing from elsewhere does not slow
  the owner down: that was the hard lock's flaw, which let anyone lock any known account.
- **One address across e-mails** (`ip_key`): MAX_PER_IP failures within IP_WINDOW, and
  that address waits until the oldest of them leaves the window, whichever e-mail it tries.

Refused attempts are not recorded, so waiting is all an attacker can do; a successful login
clears its pair's failures, not its address's.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_PER_PAIR = 3
FIRST_WAIT = timedelta(seconds=5)
MAX_WAIT = timedelta(minutes=15)
PAIR_WINDOW = timedelta(hours=1)
MAX_PER_IP = 20
IP_WINDOW = timedelta(minutes=15)
# The failures that decide the longest wait: beyond it, more change nothing.
_PAIR_COUNTED = FREE_PER_PAIR + 1 + math.ceil(math.log2(MAX_WAIT / FIRST_WAIT))
# How far back any key's failures matter; older rows may be forgotten.
WINDOW = max(PAIR_WINDOW, IP_WINDOW)


def normal_email(email: str) -> str:
    return email.strip().lower()


def source(ip: str) -> str:
    """What one client counts as: its IPv4 address, or its IPv6 /64, since a host is
    usually given a whole /64 and could otherwise rotate through it."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else address)


def pair_key(email: str, ip: str | None) -> str:
    # Hashed so that the key fits its column whatever the e-mail's length.
    both = f"{source(ip) if ip else ''}\n{normal_email(email)}".encode()
    return "pair:" + hashlib.sha256(both).hexdigest()[:40]


def ip_key(ip: str) -> str:
    return "ip:" + source(ip)


@dataclass(frozen=True, slots=True)
class Limit:
    """How many of a key's newest failures to read, and how they turn into a wait."""

    count: int
    window: timedelta
    backoff: bool  # True: doubling waits after the free failures; False: a sliding window


def limits(email: str, ip: str | None) -> dict[str, Limit]:
    """The keys a login attempt counts against, each with its rule."""
    found = {pair_key(email, ip): Limit(_PAIR_COUNTED, PAIR_WINDOW, backoff=True)}
    if ip:
        found[ip_key(ip)] = Limit(MAX_PER_IP, IP_WINDOW, backoff=False)
    return found


def backoff(failures: int) -> timedelta:
    """How long after the latest of `failures` failures the next try must wait."""
    if failures <= FREE_PER_PAIR:
        return timedelta(0)
    doublings = min(failures - FREE_PER_PAIR - 1, _PAIR_COUNTED)
    return min(FIRST_WAIT * (1 << doublings), MAX_WAIT)


def seconds_to_wait(
    limits: Mapping[str, Limit], failures: Mapping[str, Sequence[datetime]], now: datetime
) -> int:
    """0 when a login may be tried now, otherwise the whole seconds until one may. `failures`
    holds each key's newest failures, newest first."""
    waits = [0]
    for key, limit in limits.items():
        times = [t for t in failures.get(key, ()) if t > now - limit.window][: limit.count]
        if limit.backoff:
            free_at = times[0] + backoff(len(times)) if times else now
        elif len(times) < limit.count:
            continue
        else:
            # Newest first: when the count-th newest failure leaves the window, one fewer counts.
            free_at = times[limit.count - 1] + limit.window
        if free_at > now:
            waits.append(max(1, math.ceil((free_at - now).total_seconds())))
    return max(waits)
