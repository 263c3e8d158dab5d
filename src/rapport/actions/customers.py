"""Linking handles into one customer, and splitting a handle off again."""

from __future__ import annotations

from rapport.actions.base import Actor, Change, Context, apply
from rapport.errors import InputError
from rapport.records.customers import Handle, LinkedCustomer, Unlinked
from rapport.store import customers as store


def link_customers(context: Context, handles: list[Handle], *, actor: Actor) -> LinkedCustomer:
    """Make these handles one customer of the actor's tenant, merging the customers they
    belonged to there. InputError for fewer than two handles or an unknown author."""
    handles = list(dict.fromkeys(handles))
    if len(handles) < 2:
        raise InputError("send at least two different handles to link")

    def job(change: Change) -> LinkedCustomer:
        conn, tenant = change.conn, actor.tenant
        known = store.known_authors(conn, handles)
        unknown = [store.natural_id(h) for h in handles if h not in known]
        if unknown:
            raise InputError(f"no such author(s): {', '.join(unknown)}")
        before = {store.natural_id(h): store.customer_of(conn, tenant, h)[0] for h in handles}
        customer_id = store.link(conn, tenant, handles, now=change.now)
        members = store.customer_of(conn, tenant, handles[0])[1]
        after = {"customer_id": customer_id, "handles": [store.natural_id(h) for h in members]}
        change.audit("customer.link", f"customer:{customer_id}", before, after)
        return LinkedCustomer(customer_id, store.customer_handles(conn, members))

    return apply(context, actor, job)


def unlink_customer(context: Context, handle: Handle, *, actor: Actor) -> Unlinked:
    """Make this handle a customer of its own again; NotFound when it is not linked."""

    def job(change: Change) -> Unlinked:
        left, remaining = store.unlink(change.conn, actor.tenant, handle)
        own = store.natural_id(handle)
        after = {"customer_id": own, "remaining": [store.natural_id(h) for h in remaining]}
        change.audit("customer.unlink", f"customer:{left}", {"customer_id": left}, after)
        return Unlinked(own, left, store.customer_handles(change.conn, remaining))

    return apply(context, actor, job)
