"""Converters: each turns a setting's raw value into the value Rapport uses, or raises
ValueError saying what would be accepted.

A raw value is text from a `RAPPORT_*` variable, or whatever a caller put in the mapping
it passed (a command-line option's value, a `Path`, a list), so converters take `Any`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Converter = Callable[[Any], Any]


def to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError("use true or false")


def positive_int(raw: Any) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def positive_float(raw: Any) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("must be a positive number")
    return value


def text(raw: Any) -> str:
    return str(raw)


def path(raw: Any) -> Path:
    return Path(str(raw)).expanduser()


def one_of(*allowed: str) -> Converter:
    def choose(raw: Any) -> str:
        value = str(raw)
        if value not in allowed:
            raise ValueError(f"use one of {', '.join(allowed)}")
        return value

    return choose


def webhook_url(raw: Any) -> str:
    value = str(raw).strip()
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return value


def bus_url(raw: Any) -> str:
    value = str(raw).strip()
    if value and value != "memory" and not value.startswith(("nats://", "tls://")):
        raise ValueError("use empty (in-process), 'memory' or nats://HOST:PORT")
    return value


def name(raw: Any) -> str:
    value = str(raw)
    if not value or not all(c.isalnum() or c in "_-" for c in value):
        raise ValueError("use letters, digits, '_' or '-'")
    return value


def networks(raw: Any) -> frozenset[str]:
    items = raw if isinstance(raw, list | tuple | set | frozenset) else str(raw).split(",")
    names = frozenset(str(n).strip().lower() for n in items if str(n).strip())
    if not names:
        raise ValueError("name at least one network")
    return names


def handles(raw: Any) -> frozenset[str]:
    """Account handles compared as the networks do: without '@' and whatever the case."""
    return frozenset(h.strip().lstrip("@").lower() for h in str(raw).split(",") if h.strip())


# A setting whose type is one of these needs no converter of its own. Whole numbers and
# decimals must be positive: every such setting is a size, a count, a duration or a port.
BY_TYPE: Mapping[object, Converter] = {
    bool: to_bool,
    int: positive_int,
    float: positive_float,
    str: text,
    Path: path,
}


def ip_networks(raw: Any) -> str:
    """Comma-separated addresses or CIDR ranges, checked and written out in full."""
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    found = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(
                f"{item!r} is not an address or CIDR range (10.0.0.0/8, ::1)"
            ) from None
    return ",".join(found)
