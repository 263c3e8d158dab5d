"""How a route runs an action: the request's database, clock and console hub become the
action's `Context`, and the signed-in user its `Actor`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from rapport.actions.base import Actor, Context
from rapport.care import hub as hubs
from rapport.care.hub import Hub
from rapport.web.security import Principal, client_ip, clock

T = TypeVar("T")
_state_lock = threading.Lock()


def shared(request: Request, name: str, make: Callable[[], T]) -> T:
    """An object kept on `app.state`, made the first time a request needs it."""
    state = request.app.state
    with _state_lock:
        found: T | None = getattr(state, name, None)
        if found is None:
            found = make()
            setattr(state, name, found)
        return found


def hub_of(request: Request) -> Hub:
    # The process-wide hub by default, so the pipeline's persist stage reaches the same one.
    return shared(request, "hub", hubs.default)


def context_of(request: Request) -> Context:
    """What an action needs from this request's app: its database, its hub, its clock."""
    return Context(request.app.state.database, hub_of(request), lambda: clock(request))


def actor_of(request: Request, principal: Principal) -> Actor:
    """Who makes a change: the signed-in user, from the address the request came from."""
    return Actor(principal.tenant, principal.user.id, client_ip(request))
