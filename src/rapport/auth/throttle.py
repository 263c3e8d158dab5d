"""Login throttling: after MAX_PER_EMAIL failed logins for an email, or MAX_PER_IP from an
address, within WINDOW, further attempts are refused until the oldest failure that counts
leaves the window. The failures are rows (`rapport.store.throttle`), so a restart forgets
nothing; this module only decides from them.

Refused attempts are not recorded, so an attacker cannot extend a lockout forever; a
successful login clears its email's failures, not its address's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

MAX_PER_EMAIL = 5
MAX_PER_IP = 20
WINDOW = timedelta(minutes=15)


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()


def ip_key(ip: str) -> str:
    return "ip:" + ip


def limits(email: str, ip: str | None) -> dict[str, int]:
    """The keys a login attempt counts against, each with its most failures in a window."""
    found = {email_key(email): MAX_PER_EMAIL}
    if ip:
        found[ip_key(ip)] = MAX_PER_IP
    return found


def seconds_to_wait(
    limits: Mapping[str, int], failures: Mapping[str, Sequence[datetime]], now: datetime
) -> int:
    """0 when a login may be tried now, otherwise the whole seconds until one may. `failures`
    holds each key's failures within the window, newest first."""
    waits = [0]
    for key, limit in limits.items():
        times = [t for t in failures.get(key, ()) if t > now - WINDOW][:limit]
        if len(times) < limit:
            continue
        # Newest first: when the limit-th newest failure leaves the window, one fewer counts.
        free_at = times[limit - 1] + WINDOW
        waits.append(max(1, math.ceil((free_at - now).total_seconds())))
    return max(waits)
