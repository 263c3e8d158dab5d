"""The `rapport` command. Each command parses its options and delegates to a package."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from rapport.cli_accounts import users_app
from rapport.cli_tenants import tenants_app
from rapport.errors import RapportError
from rapport.ingest.service import EXIT_FAILED, EXIT_PARTIAL
from rapport.runtime import tune_for_batches
from rapport.settings import Settings

app = typer.Typer(
    help="Rapport: hear every post, answer the ones that matter.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
quarantine_app = typer.Typer(
    help="Records kept aside because they could not be accepted.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(quarantine_app, name="quarantine")
train_app = typer.Typer(
    help="Rebuild the shipped models, or train a custom classifier.", no_args_is_help=False
)
app.add_typer(train_app, name="train")
rules_app = typer.Typer(help="Workflow rules: check a file, or dry-run it on history.")
app.add_typer(rules_app, name="rules")
domains_app = typer.Typer(help="Source-domain traffic weights.", no_args_is_help=True)
app.add_typer(domains_app, name="domains")
app.add_typer(users_app, name="users")  # accounts of the care desk
app.add_typer(tenants_app, name="tenants")
corrections_app = typer.Typer(help="Agents' corrections of the models' labels.")
app.add_typer(corrections_app, name="corrections")
bus_app = typer.Typer(help="The message bus between the pipeline's stages.")
app.add_typer(bus_app, name="bus")

err = Console(stderr=True)
out = Console()

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url", "--database", help="Database URL (default: SQLite in the data dir)."
    ),
]
BusOption = Annotated[
    str | None,
    typer.Option(
        "--bus", help="Bus between stages: 'memory' (worker threads) or nats://HOST:PORT."
    ),
]
DataDirOption = Annotated[Path | None, typer.Option("--data-dir", help="Data directory.")]


def _settings(**overrides: Any) -> Settings:
    return Settings.load(overrides)


@contextmanager
def _database(settings: Settings) -> Iterator[Any]:
    """The migrated database, closed however the command ends."""
    from rapport.store import Database

    database = Database(settings.database_url)
    try:
        database.upgrade()
        yield database
    finally:
        database.close()


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Files to ingest; '-' reads standard input.")],
    format_name: Annotated[
        str, typer.Option("--format", help="auto, rapport-jsonl, x-v2 or twcs.")
    ] = "auto",
    batch_size: Annotated[
        int | None, typer.Option(help="Posts per batch (and per transaction, for files).")
    ] = None,
    enrich: Annotated[bool | None, typer.Option("--enrich/--no-enrich")] = None,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
    bus: BusOption = None,
) -> None:
    """Ingest posts from files. Exit 0: all stored; 3: some records quarantined; 1: failed.

    With --bus nats://..., the posts are published for the cluster's workers to store."""
    from rapport.bus.choose import choose_strategy, strategy_name
    from rapport.bus.strategy import BusStrategy
    from rapport.ingest.service import EXIT_OK, ingest_paths
    from rapport.pipeline.build import build_runner

    settings = _settings(
        database_url=database_url,
        data_dir=data_dir,
        batch_size=batch_size,
        file_batch_size=batch_size,
        enrich=enrich,
        bus=bus,
    )
    if strategy_name(settings, hosts_workers=False) == BusStrategy.name:
        # The cluster's workers store the posts; this process only reads and publishes.
        _publish_files(settings, files, format_name)
        return
    with (
        _database(settings) as database,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as progress,
    ):

        def on_file(path: Path, size: int) -> Any:
            task = progress.add_task(path.name, total=size)
            return lambda done: progress.update(task, completed=done)

        stages = build_runner(settings, database).stages
        summaries = ingest_paths(
            files,
            settings=settings,
            strategy=choose_strategy(settings, stages, hosts_workers=False),
            format_name=format_name,
            on_file=on_file,
        )
    table = Table("source", "format", "stored", "duplicates", "quarantined")
    for s in summaries:
        table.add_row(
            Text(s.source), s.format, str(s.stored), str(s.duplicates), str(s.quarantined)
        )
    err.print(table)
    for s in summaries:
        for reason, count in sorted(s.reasons.items(), key=lambda kv: -kv[1]):
            err.print(f"  {count} x {reason}", markup=False, highlight=False)
    if any(s.quarantined for s in summaries):
        err.print("Some records were quarantined: see `rapport quarantine list`.")
    raise typer.Exit(max((s.exit_code for s in summaries), default=EXIT_OK))


@app.command()
def enrich(
    source: Annotated[
        Path, typer.Argument(help="JSONL file of posts, or '-' for standard input.")
    ] = Path("-"),
    models: Annotated[
        bool, typer.Option("--models/--no-models", help="Run the models (off: entities only).")
    ] = True,
    data_dir: DataDirOption = None,
) -> None:
    """Read JSONL posts (at least `id` and `text`) and write them back with every enrichment."""
    from rapport.enrich_cli import enrich_lines
    from rapport.pipeline.build import settings_stages
    from rapport.pipeline.runner import Runner

    settings = _settings(data_dir=data_dir)
    runner = Runner(settings_stages(settings, enrich=models))
    failed = 0
    stream = sys.stdin.buffer if str(source) == "-" else source.open("rb")
    write = sys.stdout.buffer.write
    with stream:
        for line, ok in enrich_lines(stream, runner):
            write(line + b"\n")
            failed += not ok
    sys.stdout.flush()
    if failed:
        err.print(f"{failed} line(s) could not be read; see their 'error' field.")
        raise typer.Exit(3)


DatasetsOption = Annotated[
    Path,
    typer.Option("--datasets", help="The labelled data sets folder (../shared/datasets)."),
]
TaskOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        help="Only this task (repeatable): language, sentiment, sentiment_en, intent, complaint.",
    ),
]


@train_app.callback(invoke_without_command=True)
def train(
    ctx: typer.Context,
    datasets: Annotated[
        Path | None,
        typer.Option("--datasets", help="The labelled data sets folder (../shared/datasets)."),
    ] = None,
    only: TaskOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write models here (default: the package).")
    ] = None,
) -> None:
    """Rebuild every shipped model from the labelled data sets (seeded, reproducible)."""
    if ctx.invoked_subcommand is not None:
        return
    if datasets is None:
        raise typer.BadParameter("--datasets is required", param_hint="--datasets")
    from rapport.nlp.models import MODEL_DIR
    from rapport.training.datasets import Datasets
    from rapport.training.train import train_all

    _check_tasks(only)
    train_all(Datasets(datasets), out_dir or MODEL_DIR, tuple(only or ()), log=err.print)


def _check_tasks(only: list[str] | None) -> None:
    from rapport.training.evaluate import TASKS

    for task in only or ():
        if task not in TASKS:
            raise typer.BadParameter(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")


@train_app.command("classifier")
def train_classifier(
    name: Annotated[str, typer.Argument(help="The classifier's name, e.g. card_upgrade.")],
    labels: Annotated[Path, typer.Option("--labels", help="CSV with columns text,label.")],
    data_dir: DataDirOption = None,
) -> None:
    """Train a custom classifier from your own labelled posts; use it by name afterwards."""
    from rapport.nlp.custom import read_labels
    from rapport.nlp.custom import train_classifier as fit

    settings = _settings(data_dir=data_dir)
    texts, names = read_labels(labels)
    report = fit(name, texts, names, settings.classifiers_dir)
    table = Table(
        title=f"{name}: {report.folds}-fold cross-validation, accuracy {report.accuracy:.3f}"
    )
    for column in ("label", "examples", "precision", "recall"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for row in report.classes:
        table.add_row(
            Text(row.label), str(row.support), f"{row.precision:.3f}", f"{row.recall:.3f}"
        )
    out.print(table)
    out.print(f"Saved {report.path}; posts now get class {name!r} in `rapport enrich` and ingest.")


@app.command("eval")
def evaluate(
    datasets: DatasetsOption,
    only: TaskOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
) -> None:
    """Print validation metrics per task and per language, next to peers run alongside."""
    from rapport.training.datasets import Datasets
    from rapport.training.evaluate import evaluate as run_eval
    from rapport.training.report import render

    _check_tasks(only)
    results = run_eval(Datasets(datasets), tuple(only or ()), log=err.print)
    render(results, out)
    if json_out is not None:
        import orjson

        json_out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))


@rules_app.command("check")
def rules_check(
    path: Annotated[Path, typer.Argument(help="The rules YAML file.")],
) -> None:
    """Validate a rules file; errors name the rule and the field."""
    from rapport.route.rules import RuleSet

    rules = RuleSet.from_file(path)
    out.print(f"{path}: {len(rules)} rule(s), all valid.", soft_wrap=True, markup=False)


@rules_app.command("dry-run")
def rules_dry_run(
    path: Annotated[Path, typer.Argument(help="The rules YAML file.")],
    days: Annotated[float, typer.Option(help="How far back to look.")] = 7.0,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """What these rules would have caught in stored history, and where they would send it."""
    from datetime import UTC, datetime, timedelta

    from rapport.route.dry_run import dry_run
    from rapport.route.rules import RuleSet
    from rapport.store.history import analysed_since

    rules = RuleSet.from_file(path)
    settings = _settings(database_url=database_url, data_dir=data_dir)
    since = datetime.now(UTC) - timedelta(days=days)
    with _database(settings) as database:
        report = dry_run(rules, analysed_since(database, since))
    table = Table(title=f"{report.posts:,} analysed posts since {since:%Y-%m-%d %H:%M} UTC")
    for column in ("rule", "posts", "examples"):
        table.add_column(column)
    for rule, count in report.by_rule.most_common():
        examples = "\n".join(report.examples.get(rule, []))
        table.add_row(Text(rule), f"{count:,}", Text(examples))
    out.print(table)
    queues = ", ".join(f"{queue} {count:,}" for queue, count in report.by_queue.most_common())
    out.print(f"queues: {queues}; suppressed: {report.suppressed:,}", markup=False)


@domains_app.command("build")
def domains_build(
    out_file: Annotated[Path, typer.Argument(help="The CSV file to write (domain,weight).")],
    min_authors: Annotated[
        int, typer.Option(help="Leave out domains fewer authors linked to.")
    ] = 3,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Weigh linked domains by the reach of the distinct authors who linked them in stored
    posts; point RAPPORT_DOMAIN_WEIGHTS at the file to use it instead of the built-in table."""
    from rapport.score.domain_traffic import weights_from_history, write_csv
    from rapport.store.history import linked_domains

    settings = _settings(database_url=database_url, data_dir=data_dir)
    with _database(settings) as database:
        weights = weights_from_history(linked_domains(database), min_authors=min_authors)
    write_csv(
        weights, out_file, comment=f"built by rapport domains build from {settings.database_url}"
    )
    err.print(f"wrote {len(weights):,} domain weights to {out_file}")


@corrections_app.command("export")
def corrections_export(
    field: Annotated[str, typer.Argument(help="sentiment, intent, or class:NAME.")],
    out_file: Annotated[Path, typer.Argument(help="The text,label CSV to write.")],
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write the posts agents corrected, with their corrected labels, as the text,label CSV
    that `rapport train classifier NAME --labels FILE` reads."""
    import csv

    from rapport.store.corrections import export_labels

    settings = _settings(database_url=database_url, data_dir=data_dir)
    with _database(settings) as database, out_file.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["text", "label"])
        count = 0
        for text, label in export_labels(database.engine, field):
            writer.writerow([text, label])
            count += 1
    err.print(f"wrote {count:,} corrected {field} labels to {out_file}")


@app.command("staffing")
def staffing(
    hours: Annotated[str, typer.Option(help="The desk's hours, e.g. 'mon-fri 09:00-22:00'.")] = (
        "mon-fri 09:00-22:00"
    ),
    timezone: Annotated[str, typer.Option(help="The desk's time zone.")] = "America/New_York",
    agents: Annotated[int, typer.Option(help="Agents on duty in those hours.")] = 6,
    handle_seconds: Annotated[float, typer.Option(help="Mean handle time of a case.")] = 300.0,
    target_minutes: Annotated[float, typer.Option(help="Answer within this many minutes.")] = 15,
    service_level: Annotated[float, typer.Option(help="Share answered within the target.")] = 0.8,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """What share of urgent posts waited over an hour for this desk, how many agents each
    hour of the week needs (Erlang C on the forecast), and a roster that closes the gap."""
    from rapport.measure.report import staffing_report

    days, _, span = hours.strip().partition(" ")
    desk = {days: span.strip(), "timezone": timezone, "agents": agents}
    settings = _settings(database_url=database_url, data_dir=data_dir)
    with _database(settings) as database:
        report = staffing_report(
            database,
            desk,
            handle_seconds=handle_seconds,
            target_seconds=target_minutes * 60,
            service_level=service_level,
        )
    for line in report.lines():
        out.print(line, markup=False, highlight=False)


@app.command("report")
def report(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the HTML report into.")],
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write the week's report (NPS, first responses, volume, staffing) as one HTML page;
    the server writes it on a schedule with RAPPORT_REPORT_DIR."""
    from rapport.measure.digest import write_report

    settings = _settings(database_url=database_url, data_dir=data_dir)
    with _database(settings) as database:
        path = write_report(database, out_dir)
    err.print(f"wrote {path}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
    bus: BusOption = None,
) -> None:
    """Serve the web page and the JSON API; with --bus nats://..., ingest goes to the workers."""
    from rapport.web.server import serve as run_server

    settings = _settings(
        host=host, port=port, database_url=database_url, data_dir=data_dir, bus=bus
    )
    with _database(settings) as database:
        run_server(settings, database)


@app.command()
def demo(
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    rate: Annotated[float, typer.Option(help="Posts per second in the live stream.")] = 20.0,
    history: Annotated[int, typer.Option(help="Posts ingested before going live.")] = 8000,
    data_dir: Annotated[
        Path, typer.Option(help="Where the demo keeps its SQLite database.")
    ] = Path("rapport-data/demo"),
) -> None:
    """Run the demo: a generated multilingual stream about a card issuer, live on localhost."""
    from rapport.demo.live import demo_overrides, run_demo

    settings = _settings(port=port, data_dir=data_dir, database_url="", **demo_overrides())
    run_demo(settings, rate=rate, history=history)


def _publish_files(settings: Settings, files: list[Path], format_name: str) -> None:
    from rapport.bus.backends import bus_from_settings
    from rapport.bus.files import publish_files
    from rapport.ingest.base import Limits

    channel = bus_from_settings(settings)
    try:
        found = publish_files(
            channel, files, format_name=format_name, limits=Limits.from_settings(settings),
            batch_size=settings.batch_size,
        )  # fmt: skip
    finally:
        channel.close()
    err.print(
        f"published {found.posts} posts and {found.rejects} rejected records in "
        f"{found.messages} messages; the workers store them (rejects go to quarantine)"
    )
    if found.rejects:
        sys.exit(EXIT_PARTIAL)


@app.command()
def worker(
    stage: Annotated[str, typer.Option(help="enrich, route, persist, or all of them in one.")],
    bus: BusOption = None,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve /metrics and /healthz on this port.")
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Address for the metrics.")] = "127.0.0.1",
    fetch: Annotated[int, typer.Option(min=1, help="Messages pulled at a time.")] = 4,
) -> None:
    """Run one pipeline stage group as a bus worker until SIGTERM (which drains it)."""
    import logging

    from rapport.bus.service import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = _settings(bus=bus, database_url=database_url, data_dir=data_dir)
    run_worker(settings, stage, metrics_host=metrics_host, metrics_port=metrics_port, fetch=fetch)


@bus_app.command("dead-letters")
def bus_dead_letters(
    bus: BusOption = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
) -> None:
    """Messages no worker could process, with their reasons (oldest first)."""
    from rapport.bus.backends import bus_from_settings
    from rapport.bus.choose import shares_bus

    settings = _settings(bus=bus)
    if not shares_bus(settings):
        raise typer.BadParameter("name the shared bus: --bus nats://HOST:PORT", param_hint="--bus")
    channel = bus_from_settings(settings)
    try:
        letters = channel.dead_letters(limit)
    finally:
        channel.close()
    for letter in letters:
        out.print(
            f"{letter.topic}\t{letter.msg_id}\t{letter.attempts}\t{letter.reason}",
            markup=False, highlight=False,
        )  # fmt: skip
    err.print(f"{len(letters)} dead letters")


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOption = None, data_dir: DataDirOption = None) -> None:
    """Create or migrate the database schema to the newest version."""
    settings = _settings(database_url=database_url, data_dir=data_dir)
    with _database(settings):
        pass
    err.print(f"database is up to date: {settings.database_url}")


@quarantine_app.command("list")
def quarantine_list(
    status: Annotated[str, typer.Option(help="open, replayed, or all.")] = "open",
    limit: Annotated[int, typer.Option(help="Entries to show.")] = 50,
    after: Annotated[int, typer.Option(help="Show entries after this id.")] = 0,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List quarantined records with their reasons."""
    from rapport.store.quarantine import list_entries

    with _database(_settings(database_url=database_url, data_dir=data_dir)) as database:
        entries = list_entries(
            database, status=None if status == "all" else status, limit=limit, after_id=after
        )
    table = Table("id", "status", "source", "where", "format", "reason")
    for e in entries:
        table.add_row(
            str(e.id),
            e.status,
            Text(e.source),
            Text(e.location),
            e.format,
            Text(e.reason),
        )
    out.print(table)


@quarantine_app.command("show")
def quarantine_show(
    entry_id: int, database_url: DatabaseOption = None, data_dir: DataDirOption = None
) -> None:
    """Write one quarantined record's raw bytes to standard output, to fix and replay it."""
    from rapport.store.quarantine import get_entry

    with _database(_settings(database_url=database_url, data_dir=data_dir)) as database:
        entry = get_entry(database, entry_id)
    err.print(
        f"#{entry.id} {entry.source} {entry.location}: {entry.reason}",
        markup=False,
        highlight=False,
    )
    sys.stdout.buffer.write(entry.raw + b"\n")


@quarantine_app.command("replay")
def quarantine_replay(
    entry_ids: Annotated[list[int] | None, typer.Argument(help="Entries to replay.")] = None,
    all_open: Annotated[bool, typer.Option("--all", help="Replay every open entry.")] = False,
    fixed: Annotated[
        Path | None, typer.Option("--with", help="A file holding the fixed record (one entry).")
    ] = None,
    database_url: DatabaseOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Replay quarantined records, as they were or (with --with) as you fixed them."""
    from rapport.ingest.base import Limits
    from rapport.ingest.replay import replay_entry
    from rapport.pipeline.build import build_runner
    from rapport.store.quarantine import list_entries

    settings = _settings(database_url=database_url, data_dir=data_dir)
    failed = 0
    with _database(settings) as database:
        ids = list(entry_ids or [])
        if all_open:
            ids += [e.id for e in list_entries(database, status="open", limit=1_000_000)]
        if not ids:
            raise RapportError("name entries to replay, or pass --all")
        if fixed is not None and len(ids) != 1:
            raise RapportError("--with replaces one entry's record: name exactly one entry id")
        runner = build_runner(settings, database)
        for entry_id in ids:
            outcome = replay_entry(
                database,
                runner,
                Limits.from_settings(settings),
                entry_id,
                fixed.read_bytes() if fixed else None,
            )
            if outcome.accepted:
                err.print(f"#{entry_id}: stored {outcome.stored}, duplicates {outcome.duplicates}")
            else:
                failed += 1
                err.print(f"#{entry_id}: still rejected: {outcome.reason}", markup=False)
    raise typer.Exit(3 if failed else 0)


@app.command("settings")
def show_settings() -> None:
    """Show every setting, its current value and what it does."""
    from rapport.settings import declared

    settings = _settings()
    table = Table("setting", "value", "environment variable", "help")
    for setting in declared(type(settings)):
        table.add_row(
            setting.name, str(getattr(settings, setting.name)), setting.env_var, setting.help
        )
    out.print(table)


def main() -> None:
    tune_for_batches()
    try:
        app()
    except RapportError as error:
        err.print(f"error: {error}", style="red", markup=False, highlight=False)
        sys.exit(EXIT_FAILED)
