"""Customers: sets of linked handles across networks, and what the brand knows of them."""

from __future__ import annotations

from dataclasses import dataclass

Handle = tuple[str, str]  # (network, author_source_id)


@dataclass(frozen=True, slots=True)
class Addressee:
    """Whom a case's replies address: the customer's handle and display name, and the
    case's language."""

    case_id: int
    lang: str | None
    network: str
    customer_id: str
    customer_handle: str
    display_name: str | None
