"""How a route runs an action: the request's database, clock and console hub become the
action's `Context`, and the signed-in user its `Actor`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from fastapi import Request

from rapport.actions.base import Actor, Context, Event
from rapport.care.hub import Hub
from rapport.web.api.desk import hub_of
from rapport.web.security import Principal, client_ip, clock


class HubEvents:
    """Announces committed case changes on the console's hub; other kinds have no
    subscribers there yet."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def publish_events(self, events: Sequence[Event]) -> None:
        for event in events:
            if event.kind == "case":
                body = event.body
                change = cast(Any, body["change"])
                self.hub.publish_case(
                    event.tenant, body["case_id"], body["team"], change, body.get("at")
                )


def context_of(request: Request) -> Context:
    return Context(request.app.state.database, HubEvents(hub_of(request)), lambda: clock(request))


def actor_of(request: Request, principal: Principal) -> Actor:
    return Actor(principal.tenant, principal.user.id, client_ip(request))
