"""The FastAPI application: API routers, the stream page, and shared state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from rapport.actions.base import Context
from rapport.actions.presence import Presence, PresenceSweep
from rapport.actions.session_purge import SessionPurge
from rapport.actions.sla import SlaWatch
from rapport.actions.surveys import SurveyDesk
from rapport.actions.webhooks import WebhookNotifier
from rapport.bus.base import Bus
from rapport.care import hub as hubs
from rapport.care.outbound import Pump, build_channels
from rapport.care.relay import CaseRelay
from rapport.care.replies import ReplyDesk
from rapport.care.sla_book import SlaBooks
from rapport.measure.digest import ReportSchedule
from rapport.pipeline.build import sla_book, tenancy_defaults
from rapport.pipeline.runner import Runner
from rapport.pipeline.tenancy import TenancyReload
from rapport.records import Batch, Envelope, Post
from rapport.settings import Settings
from rapport.store import Database
from rapport.tenancy.live import LiveConfig
from rapport.web import docs, errors, openapi
from rapport.web.api import (
    auth,
    care,
    config,
    customers,
    desk,
    posts,
    recommendations,
    replies,
    reports,
    rules,
    templates,
    tenants,
)
from rapport.web.params import no_nul

_STATIC = files("rapport.web") / "static"
# Chart components installed from the npm registry by ./test and ./demo (package.json).
_CHARTS = Path(__file__).resolve().parents[3] / "node_modules" / "chart.js" / "dist"
# The page's own script and style only; nothing inline, nothing from elsewhere.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def create_app(
    settings: Settings, database: Database, runner: Runner, *, bus: Bus | None = None
) -> FastAPI:
    # Each tenant's SLA book, kept current by the tenancy reload, for every clock judged here.
    book = SlaBooks(sla_book(settings))
    tenancy = TenancyReload(runner.stages, tenancy_defaults(settings), book)
    with database.reading() as conn:
        tenancy(conn)

    def customer_answered(post: Post) -> None:
        runner.process(Batch(source="simulated network", items=(Envelope(post=post),)))

    channels = build_channels(settings, customer_answered)
    pump = Pump(channels)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The SLA watch escalates breached cases; the notifier empties the alert outbox.
        deliver = bool(settings.alert_webhook)
        watch = SlaWatch(database, book, deliver=deliver)
        notifier = (
            WebhookNotifier(database, settings.alert_webhook, secret=settings.webhook_secret)
            if deliver
            else None
        )
        reports = (
            ReportSchedule(database, Path(settings.report_dir), settings.report_hours)
            if settings.report_dir
            else None
        )
        # Other web tiers and bus workers change cases too; the relay brings their changes
        # to this tier's consoles.
        # (Tests and embedders may have put their own hub or presence on the app already.)
        if getattr(app.state, "hub", None) is None:
            app.state.hub = hubs.default()
        if getattr(app.state, "presence", None) is None:
            app.state.presence = Presence(database)
        relay = CaseRelay(database, app.state.hub)
        sweep = PresenceSweep(app.state.presence)
        purge = SessionPurge(Context(database))
        # Tenants' rules and configuration saved through another tier or the CLI come into
        # force here within seconds.
        live = app.state.live_config = LiveConfig(database, "web")
        live.on_reload(tenancy)
        live.start()
        watch.start()
        purge.start()
        pump.start()
        relay.start()
        sweep.start()
        if reports is not None:
            reports.start()
        if notifier is not None:
            notifier.start()
        try:
            yield
        finally:
            live.stop()
            watch.stop()
            purge.stop()
            pump.stop()
            relay.stop()
            sweep.stop()
            if reports is not None:
                reports.stop()
            for channel in channels.values():
                channel.close()
            if notifier is not None:
                notifier.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Rapport",
        version="0.1.0",
        description="Social listening and relationship care.",
        # FastAPI's own page loads Swagger UI from a CDN; docs.install serves it from here.
        docs_url=None,
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
        responses=errors.ERROR_RESPONSES,
        dependencies=[Depends(no_nul)],
    )
    errors.install(app)
    openapi.describe(app)
    app.state.settings = settings
    app.state.database = database
    app.state.runner = runner
    app.state.bus = bus
    app.state.sla_book = book
    app.state.tenancy = tenancy
    app.state.reply_desk = ReplyDesk(channels, book)
    app.state.survey_desk = SurveyDesk(
        database, channels, brand=settings.brand, private=settings.survey_private
    )
    app.include_router(posts.router)
    app.include_router(care.router)
    app.include_router(rules.router)
    app.include_router(auth.router)
    app.include_router(replies.router)
    app.include_router(desk.router)
    app.include_router(templates.router)
    app.include_router(customers.router)
    app.include_router(reports.router)
    app.include_router(recommendations.router)
    app.include_router(tenants.router)
    app.include_router(config.router)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    docs.install(app)
    if _CHARTS.is_dir():
        app.mount("/vendor/chart.js", StaticFiles(directory=str(_CHARTS)), name="charts")

    @app.middleware("http")
    async def security_headers(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stream_page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/dashboards", response_class=HTMLResponse, include_in_schema=False)
    def dashboards_page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "dashboards.html").read_text(encoding="utf-8"))

    @app.get("/console", response_class=HTMLResponse, include_in_schema=False)
    def console_page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "console.html").read_text(encoding="utf-8"))

    return app
