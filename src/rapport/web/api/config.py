"""/api/v1/config/status: whether the configuration saved is in force in every process.

A saved rule version or tenant configuration raises the store's generation; each web tier
and worker reloads within a few seconds and reports the generation it applied. Ask with the
generation a save answered: `in_force_everywhere` turns true once every process seen lately
has applied it. Reading needs `cases:read`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from rapport.auth.roles import Permission
from rapport.records.processes import ConfigStatus
from rapport.store import processes, tenants
from rapport.tenancy import OPERATOR
from rapport.tenancy.live import DEFAULT_INTERVAL, config_status, live_since
from rapport.web.params import id_query
from rapport.web.responses import JSON
from rapport.web.security import Principal, clock, require

router = APIRouter(prefix="/api/v1", tags=["config"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]


@router.get("/config/status", response_model=ConfigStatus)
def status(
    request: Request,
    principal: Reader,
    generation: Annotated[
        int | None,
        id_query("The generation to ask about; default the current one.", ge=0),
    ] = None,
) -> JSON:
    """The store's configuration generation, the processes seen lately with the generation
    each applied, and whether `generation` is in force in all of them. Hosts and process ids
    are shown to the operator's administrators only."""
    found = current_status(request, generation)
    if not (principal.tenant == OPERATOR and principal.may(Permission.MANAGE_USERS)):
        hidden = tuple(replace(p, host="", pid=0) for p in found.processes)
        found = replace(found, processes=hidden)
    return JSON(found)


def current_status(request: Request, generation: int | None = None) -> ConfigStatus:
    live = getattr(request.app.state, "live_config", None)
    interval = DEFAULT_INTERVAL if live is None else live.interval
    since = live_since(clock(request), interval)
    with request.app.state.database.reading() as conn:
        current = tenants.generation(conn)
        seen = processes.live(conn, since)
    return config_status(current, seen, generation)
