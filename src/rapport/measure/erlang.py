"""Erlang C: how many agents a queue of calls (or cases) needs.

Traffic in Erlangs is ``A = calls_per_hour * handle_seconds / 3600``. The probability that an
arrival waits, Erlang C, is computed from the Erlang B recursion

    B(0) = 1,   B(n) = A * B(n-1) / (n + A * B(n-1)),   C(n) = n * B(n) / (n - A * (1 - B(n)))

which stays between 0 and 1 at every step, so it is stable for thousands of agents (the
textbook formula with ``A**n / n!`` overflows long before that). With ``n <= A`` the queue
grows without bound and ``C`` is 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

_EPSILON = 1e-9


def traffic_erlangs(calls_per_hour: float, handle_seconds: float) -> float:
    """Offered load in Erlangs: arrivals per hour times hours of work per arrival."""
    if calls_per_hour < 0:
        raise ValueError(f"calls_per_hour must be >= 0, got {calls_per_hour}")
    if handle_seconds <= 0:
        raise ValueError(f"handle_seconds must be > 0, got {handle_seconds}")
    return calls_per_hour * handle_seconds / 3600.0


def _erlang_b_steps(traffic: float) -> Iterator[float]:
    """Yield B(0), B(1), B(2), ... for the given traffic."""
    b = 1.0
    n = 0
    yield b
    while True:
        n += 1
        b = traffic * b / (n + traffic * b)
        yield b


def _c_from_b(agents: int, traffic: float, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def _check(agents: int, traffic: float) -> None:
    if agents < 0:
        raise ValueError(f"agents must be >= 0, got {agents}")
    if traffic < 0:
        raise ValueError(f"traffic must be >= 0, got {traffic}")


def erlang_b(agents: int, traffic_erlangs: float) -> float:
    """Blocking probability of a loss system with ``agents`` servers (Erlang B)."""
    _check(agents, traffic_erlangs)
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic_erlangs * b / (n + traffic_erlangs * b)
    return b


def erlang_c(agents: int, traffic_erlangs: float) -> float:
    """Probability that an arrival has to wait (Erlang C); 1.0 when ``agents <= traffic``."""
    _check(agents, traffic_erlangs)
    if agents <= traffic_erlangs:
        return 1.0
    return _c_from_b(agents, traffic_erlangs, erlang_b(agents, traffic_erlangs))


def _service_level(agents: int, traffic: float, c: float, handle: float, target: float) -> float:
    if agents <= traffic:
        return 0.0
    return 1.0 - c * math.exp(-(agents - traffic) * target / handle)


def service_level(
    agents: int, calls_per_hour: float, handle_seconds: float, target_seconds: float
) -> float:
    """Share of arrivals answered within ``target_seconds``: ``1 - C * exp(-(n - A) * t / h)``.

    It is 0.0 when the agents cannot keep up (``n <= A``) and 1.0 when there is no traffic.
    """
    if target_seconds < 0:
        raise ValueError(f"target_seconds must be >= 0, got {target_seconds}")
    traffic = traffic_erlangs(calls_per_hour, handle_seconds)
    c = erlang_c(agents, traffic)
    return _service_level(agents, traffic, c, handle_seconds, target_seconds)


def average_speed_of_answer(agents: int, calls_per_hour: float, handle_seconds: float) -> float:
    """Mean wait in seconds over all arrivals, ``C * h / (n - A)``; ``inf`` when ``n <= A``."""
    traffic = traffic_erlangs(calls_per_hour, handle_seconds)
    if agents <= traffic:
        return math.inf
    return erlang_c(agents, traffic) * handle_seconds / (agents - traffic)


def agents_needed(
    calls_per_hour: float,
    handle_seconds: float,
    target_seconds: float,
    service_level: float = 0.8,
    max_occupancy: float = 0.85,
    shrinkage: float = 0.0,
) -> int:
    """Agents to roster so that ``service_level`` of arrivals are answered within the target.

    The raw count is the smallest ``n`` with ``service_level(n) >= service_level`` and
    occupancy ``A / n <= max_occupancy``; it is then divided by ``1 - shrinkage`` (breaks,
    training, absence) and rounded up. No traffic needs no agents.
    """
    if not 0.0 < service_level < 1.0:
        raise ValueError(f"service_level must be in (0, 1), got {service_level}")
    if not 0.0 < max_occupancy <= 1.0:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if target_seconds < 0:
        raise ValueError(f"target_seconds must be >= 0, got {target_seconds}")
    traffic = traffic_erlangs(calls_per_hour, handle_seconds)
    if traffic == 0:
        return 0
    first = max(math.floor(traffic) + 1, math.ceil(traffic / max_occupancy - _EPSILON))
    raw = first
    for n, b in enumerate(_erlang_b_steps(traffic)):
        if n < first:
            continue
        c = _c_from_b(n, traffic, b)
        if _service_level(n, traffic, c, handle_seconds, target_seconds) >= service_level:
            raw = n
            break
    return math.ceil(raw / (1.0 - shrinkage) - _EPSILON)
