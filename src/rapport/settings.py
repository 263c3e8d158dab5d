"""Every setting, declared once as (name, default, help); read from the environment at start-up.

A setting `batch_size` is read from `RAPPORT_BATCH_SIZE`; command-line options override the
environment. Unknown or malformed values stop start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rapport.errors import ConfigError

DEFAULT_NETWORKS = (
    "x",
    "facebook",
    "instagram",
    "reddit",
    "youtube",
    "tiktok",
    "linkedin",
    "mastodon",
    "bluesky",
    "threads",
    "weibo",
    "reviews",
)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "RAPPORT_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "rapport-data", "Directory for the embedded SQLite database and exports."),
    Setting(
        "database_url",
        "",
        "SQLAlchemy URL of the database; empty means SQLite at DATA_DIR/rapport.db. "
        "Production: postgresql+psycopg://user@host/db.",
    ),
    Setting("batch_size", 2000, "Posts per batch through the pipeline."),
    Setting(
        "file_batch_size",
        10_000,
        "Posts per transaction when `rapport ingest` reads a file: each index page a "
        "transaction touches is written once per transaction, so files are stored faster in "
        "larger ones. The first transactions are smaller (batch_size, then doubling), so that "
        "storing starts early. The models still read batch_size posts at a time (their "
        "memory grows with it), and streams (HTTP, standard input, the demo) commit every "
        "batch_size.",
    ),
    Setting("queue_batches", 4, "Batches in flight between two stages before the producer waits."),
    Setting(
        "enrich_threads",
        2,
        "Threads the enrich stage splits each batch over. The models' vector work releases "
        "the interpreter lock, so a second thread uses a second core; 1 on a one-core host.",
    ),
    Setting("max_text_chars", 25_000, "Longest post text accepted; longer posts are quarantined."),
    Setting(
        "max_record_bytes", 1_000_000, "Largest single input record (a JSONL line, a CSV row)."
    ),
    Setting(
        "max_request_bytes", 16_000_000, "Largest HTTP request body accepted by the ingest API."
    ),
    Setting(
        "networks", ",".join(DEFAULT_NETWORKS), "Networks accepted on ingest, comma-separated."
    ),
    Setting(
        "enrich",
        True,
        "Run Rapport's models on every post: language, sentiment, complaint, intent and team, "
        "urgency, and the custom classifiers in DATA_DIR/classifiers.",
    ),
    Setting(
        "alert_words",
        "",
        "TOML file whose [alert_words] table lists a tenant's own alert words per language "
        '("*" for all), counted by the priority score; empty means the built-in cues only.',
    ),
    Setting(
        "rules",
        "",
        "YAML file of workflow rules (conditions -> route, tag, set priority, suppress; see "
        "docs/design.md); empty means every post goes to its intent's team.",
    ),
    Setting(
        "queries",
        "",
        "YAML file of listening queries per tenant (see docs/rules.md); matches are counted "
        "for spikes and can be used by rules. Empty means none.",
    ),
    Setting(
        "sla",
        "",
        "YAML file of business calendars and SLA policies per team (see docs/sla.md); empty "
        "means the built-in 24/7 policies.",
    ),
    Setting(
        "case_priority",
        40,
        "Priority at which a routed post opens a case even when no rule routed it explicitly.",
    ),
    Setting(
        "own_handles",
        "",
        "The brand's own accounts, comma-separated: their posts never open cases, and in a "
        "thread with an open case they count as the brand's reply.",
    ),
    Setting(
        "spike_window",
        300,
        "Seconds per volume window; a window's count is compared with its baseline for spikes.",
    ),
    Setting(
        "spike_z",
        4.0,
        "Standard deviations above the baseline that make a window's count a spike.",
    ),
    Setting(
        "priority_weights",
        "",
        "The tenant's priority weights, e.g. 'urgency=43,spike=0' (factors: urgency, "
        "negativity, complaint, influence, domain, spike, keywords; they must add up to at "
        "most 100). Factors not named keep their defaults.",
    ),
    Setting(
        "domain_weights",
        "",
        "CSV file (domain,weight in 0..1) of source-domain traffic weights replacing the "
        "built-in table; empty means the built-in table.",
    ),
    Setting(
        "alert_webhook",
        "",
        "URL that receives every alert (spikes, viral posts, SLA breaches, rule notifications) "
        "as a JSON POST; empty means alerts are only stored and shown.",
    ),
    Setting(
        "webhook_secret",
        "",
        "Secret for the X-Rapport-Signature header (HMAC-SHA256 of the body) on webhook calls.",
    ),
    Setting(
        "team_map",
        "",
        "TOML file whose [teams] table maps intents to care teams, overriding the defaults "
        "(see docs/models.md); empty means the defaults.",
    ),
    Setting(
        "ingest_processes",
        True,
        "Ingest files on two processes: parsing and enrichment beside the database writer.",
    ),
    Setting("brand", "NovaCard", "The brand's name, as reply templates write it ({brand})."),
    Setting(
        "catalogue",
        "",
        "YAML file of the product features, benefits and offers agents may recommend "
        "(replaces the built-in catalogue); empty means the built-in one.",
    ),
    Setting(
        "report_dir",
        "",
        "Folder the scheduled HTML report is written to (every REPORT_HOURS); empty means none.",
    ),
    Setting("report_hours", 24, "Hours between two scheduled reports."),
    Setting(
        "survey_private",
        True,
        "Ask the Net Promoter question by private message (true) or as a public reply (false).",
    ),
    Setting(
        "channel",
        "simulated",
        "Where agents' replies go: 'simulated' (a pretend network per network name, whose "
        "customers sometimes answer back; the demo's) or 'x' (the X API v2, with X_TOKEN).",
    ),
    Setting("x_token", "", "OAuth 2.0 user access token for the X API (tweet.write, dm.write)."),
    Setting(
        "secure_cookies",
        False,
        "Mark session cookies Secure even when requests arrive over plain HTTP (TLS ends at a "
        "proxy in front of Rapport); over https they are always Secure.",
    ),
    Setting(
        "bus",
        "",
        "Message bus between the pipeline's stages: empty runs them in-process (the embedded "
        "default), 'memory' on worker threads, nats://HOST:PORT on NATS JetStream workers "
        "(rapport worker --stage ...).",
    ),
    Setting("bus_prefix", "rapport", "Prefix of the bus's stream and subject names."),
    Setting(
        "bus_ack_wait",
        30.0,
        "Seconds a worker may hold a message before the bus gives it to another worker.",
    ),
    Setting("bus_in_flight", 64, "Messages a worker group may hold unacknowledged at once."),
    Setting(
        "bus_max_bytes",
        1 << 30,
        "Bytes each bus topic may hold; when full, ingest answers 503 and stages wait, so a "
        "backlog pushes back on its senders instead of filling the disk.",
    ),
    Setting(
        "bus_attempts",
        5,
        "Deliveries of a failing message before it goes to the dead letters with its reason.",
    ),
    Setting("host", "127.0.0.1", "Address the web server listens on."),
    Setting("port", 8080, "Port the web server listens on."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    batch_size: int
    file_batch_size: int
    queue_batches: int
    enrich_threads: int
    max_text_chars: int
    max_record_bytes: int
    max_request_bytes: int
    networks: frozenset[str]
    enrich: bool
    alert_words: str
    rules: str
    queries: str
    sla: str
    case_priority: int
    own_handles: frozenset[str]
    spike_window: int
    spike_z: float
    priority_weights: str
    domain_weights: str
    alert_webhook: str
    webhook_secret: str
    team_map: str
    ingest_processes: bool
    brand: str
    catalogue: str
    report_dir: str
    report_hours: int
    survey_private: bool
    channel: str
    x_token: str
    secure_cookies: bool
    bus: str
    bus_prefix: str
    bus_ack_wait: float
    bus_in_flight: int
    bus_max_bytes: int
    bus_attempts: int
    host: str
    port: int

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from defaults, then the environment, then `overrides`; raises ConfigError."""
        environ = os.environ if environ is None else environ
        unknown = sorted(
            key for key in environ if key.startswith("RAPPORT_") and key[8:].lower() not in _BY_NAME
        )
        if unknown:
            known = ", ".join(s.env_var for s in SETTINGS)
            raise ConfigError(f"unknown setting {unknown[0]}; known settings are: {known}")
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw: Any = setting.default
            origin = "default"
            if setting.env_var in environ:
                raw, origin = environ[setting.env_var], setting.env_var
            if overrides and overrides.get(setting.name) is not None:
                raw, origin = overrides[setting.name], f"--{setting.name.replace('_', '-')}"
            values[setting.name] = _coerce(setting, raw, origin)
        data_dir: Path = values["data_dir"]
        if not values["database_url"]:
            values["database_url"] = f"sqlite:///{data_dir / 'rapport.db'}"
        return cls(**values)

    @property
    def classifiers_dir(self) -> Path:
        return self.data_dir / "classifiers"

    @property
    def team_map_path(self) -> Path | None:
        return Path(self.team_map) if self.team_map else None

    def describe(self) -> list[tuple[str, str, str]]:
        return [(f.name, str(getattr(self, f.name)), _BY_NAME[f.name].help) for f in fields(self)]


def _coerce(setting: Setting, raw: Any, origin: str) -> Any:
    converter = _CONVERTERS.get(setting.name, _as_type(type(setting.default)))
    try:
        return converter(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {setting.name} from {origin} has bad value {raw!r}: {exc}. "
            f"Expected: {setting.help}"
        ) from None


def _as_type(kind: type) -> Callable[[Any], Any]:
    if kind is bool:
        return _to_bool
    if kind is int:
        return _positive_int
    if kind is float:
        return _positive_float
    return str


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError("use true or false")


def _positive_int(raw: Any) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _positive_float(raw: Any) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("must be a positive number")
    return value


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"use one of {', '.join(allowed)}")
    return value


def _webhook_url(raw: Any) -> str:
    text = str(raw).strip()
    if text and not text.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return text


def _bus_url(raw: Any) -> str:
    text = str(raw).strip()
    if text and text != "memory" and not text.startswith(("nats://", "tls://")):
        raise ValueError("use empty (in-process), 'memory' or nats://HOST:PORT")
    return text


def _name(raw: str) -> str:
    if not raw or not all(c.isalnum() or c in "_-" for c in raw):
        raise ValueError("use letters, digits, '_' or '-'")
    return raw


def _networks(raw: Any) -> frozenset[str]:
    items = raw if isinstance(raw, list | tuple | set | frozenset) else str(raw).split(",")
    names = frozenset(str(n).strip().lower() for n in items if str(n).strip())
    if not names:
        raise ValueError("name at least one network")
    return names


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "data_dir": lambda raw: Path(str(raw)).expanduser(),
    "networks": _networks,
    "alert_webhook": _webhook_url,
    "channel": lambda raw: _one_of(str(raw), ("simulated", "x")),
    "bus": _bus_url,
    "bus_prefix": lambda raw: _name(str(raw)),
    "own_handles": lambda raw: frozenset(
        h.strip().lstrip("@").lower() for h in str(raw).split(",") if h.strip()
    ),
}
