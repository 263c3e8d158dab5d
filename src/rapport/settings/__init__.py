"""Every setting, declared once: a field of `Settings` with its type, default and help.

A setting `batch_size` is read from `RAPPORT_BATCH_SIZE`; command-line options override the
environment. Unknown or malformed values stop start-up with a message naming the variable.
To add a setting, add a field here; `declare.py` derives the rest from it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from rapport.settings import convert
from rapport.settings.declare import Setting, declared, read_values, setting

__all__ = ["DEFAULT_NETWORKS", "SETTINGS", "Setting", "Settings", "declared", "setting"]

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
class Settings:
    data_dir: Path = field(
        metadata=setting(
            "rapport-data",
            "Directory for the embedded SQLite database and exports.",
        )
    )
    database_url: str = field(
        metadata=setting(
            "",
            "SQLAlchemy URL of the database; empty means SQLite at DATA_DIR/rapport.db. "
            "Production: postgresql+psycopg://user@host/db.",
        )
    )
    batch_size: int = field(metadata=setting(2000, "Posts per batch through the pipeline."))
    file_batch_size: int = field(
        metadata=setting(
            10_000,
            "Posts per transaction when `rapport ingest` reads a file: each index page a "
            "transaction touches is written once per transaction, so files are stored faster "
            "in larger ones. The first transactions are smaller (batch_size, then doubling), "
            "so that storing starts early. The models still read batch_size posts at a time "
            "(their memory grows with it), and streams (HTTP, standard input, the demo) "
            "commit every batch_size.",
        )
    )
    queue_batches: int = field(
        metadata=setting(
            4,
            "Batches in flight between two stages before the producer waits.",
        )
    )
    enrich_threads: int = field(
        metadata=setting(
            2,
            "Threads the enrich stage splits each batch over. The models' vector work "
            "releases the interpreter lock, so a second thread uses a second core; 1 on a "
            "one-core host.",
        )
    )
    max_text_chars: int = field(
        metadata=setting(
            25_000,
            "Longest post text accepted; longer posts are quarantined.",
        )
    )
    max_record_bytes: int = field(
        metadata=setting(
            1_000_000,
            "Largest single input record (a JSONL line, a CSV row).",
        )
    )
    max_request_bytes: int = field(
        metadata=setting(
            16_000_000,
            "Largest HTTP request body accepted by the ingest API.",
        )
    )
    networks: frozenset[str] = field(
        metadata=setting(
            ",".join(DEFAULT_NETWORKS),
            "Networks accepted on ingest, comma-separated.",
            convert=convert.networks,
        )
    )
    enrich: bool = field(
        metadata=setting(
            True,
            "Run Rapport's models on every post: language, sentiment, complaint, intent and "
            "team, urgency, and the custom classifiers in DATA_DIR/classifiers.",
        )
    )
    alert_words: str = field(
        metadata=setting(
            "",
            "TOML file whose [alert_words] table lists a tenant's own alert words per "
            'language ("*" for all), counted by the priority score; empty means the built-in '
            "cues only.",
        )
    )
    rules: str = field(
        metadata=setting(
            "",
            "YAML file of workflow rules (conditions -> route, tag, set priority, suppress; "
            "see docs/design.md); empty means every post goes to its intent's team.",
        )
    )
    queries: str = field(
        metadata=setting(
            "",
            "YAML file of listening queries per tenant (see docs/rules.md); matches are "
            "counted for spikes and can be used by rules. Empty means none.",
        )
    )
    sla: str = field(
        metadata=setting(
            "",
            "YAML file of business calendars and SLA policies per team (see docs/sla.md); "
            "empty means the built-in 24/7 policies.",
        )
    )
    case_priority: int = field(
        metadata=setting(
            40,
            "Priority at which a routed post opens a case even when no rule routed it explicitly.",
        )
    )
    own_handles: frozenset[str] = field(
        metadata=setting(
            "",
            "The brand's own accounts, comma-separated: their posts never open cases, and in "
            "a thread with an open case they count as the brand's reply.",
            convert=convert.handles,
        )
    )
    spike_window: int = field(
        metadata=setting(
            300,
            "Seconds per volume window; a window's count is compared with its baseline for spikes.",
        )
    )
    spike_z: float = field(
        metadata=setting(
            4.0,
            "Standard deviations above the baseline that make a window's count a spike.",
        )
    )
    priority_weights: str = field(
        metadata=setting(
            "",
            "The tenant's priority weights, e.g. 'urgency=43,spike=0' (factors: urgency, "
            "negativity, complaint, influence, domain, spike, keywords; they must add up to "
            "at most 100). Factors not named keep their defaults.",
        )
    )
    domain_weights: str = field(
        metadata=setting(
            "",
            "CSV file (domain,weight in 0..1) of source-domain traffic weights replacing the "
            "built-in table; empty means the built-in table.",
        )
    )
    alert_webhook: str = field(
        metadata=setting(
            "",
            "URL that receives every alert (spikes, viral posts, SLA breaches, rule "
            "notifications) as a JSON POST; empty means alerts are only stored and shown.",
            convert=convert.webhook_url,
        )
    )
    webhook_secret: str = field(
        metadata=setting(
            "",
            "Secret for the X-Rapport-Signature header (HMAC-SHA256 of the body) on webhook calls.",
        )
    )
    team_map: str = field(
        metadata=setting(
            "",
            "TOML file whose [teams] table maps intents to care teams, overriding the "
            "defaults (see docs/models.md); empty means the defaults.",
        )
    )
    ingest_processes: bool = field(
        metadata=setting(
            True,
            "Ingest files on two processes: parsing and enrichment beside the database writer.",
        )
    )
    brand: str = field(
        metadata=setting(
            "NovaCard",
            "The brand's name, as reply templates write it ({brand}).",
        )
    )
    catalogue: str = field(
        metadata=setting(
            "",
            "YAML file of the product features, benefits and offers agents may recommend "
            "(replaces the built-in catalogue); empty means the built-in one.",
        )
    )
    report_dir: str = field(
        metadata=setting(
            "",
            "Folder the scheduled HTML report is written to (every REPORT_HOURS); empty "
            "means none.",
        )
    )
    report_hours: int = field(metadata=setting(24, "Hours between two scheduled reports."))
    survey_private: bool = field(
        metadata=setting(
            True,
            "Ask the Net Promoter question by private message (true) or as a public reply (false).",
        )
    )
    channel: str = field(
        metadata=setting(
            "simulated",
            "Where agents' replies go: 'simulated' (a pretend network per network name, "
            "whose customers sometimes answer back; the demo's) or 'x' (the X API v2, with "
            "X_TOKEN).",
            convert=convert.one_of("simulated", "x"),
        )
    )
    x_token: str = field(
        metadata=setting(
            "",
            "OAuth 2.0 user access token for the X API (tweet.write, dm.write).",
        )
    )
    secure_cookies: bool = field(
        metadata=setting(
            False,
            "Mark session cookies Secure even when requests arrive over plain HTTP (TLS ends "
            "at a proxy in front of Rapport); over https they are always Secure.",
        )
    )
    trusted_proxies: str = field(
        metadata=setting(
            "",
            "Addresses or CIDR ranges (comma-separated) of the proxies in front of Rapport "
            "whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Empty: none, "
            "so the client's address is the connection's. Login throttling and the audit "
            "log go by it.",
            convert=convert.ip_networks,
        )
    )
    bus: str = field(
        metadata=setting(
            "",
            "Message bus between the pipeline's stages: empty runs them in-process (the "
            "embedded default), 'memory' on worker threads, nats://HOST:PORT on NATS "
            "JetStream workers (rapport worker --stage ...).",
            convert=convert.bus_url,
        )
    )
    bus_prefix: str = field(
        metadata=setting(
            "rapport",
            "Prefix of the bus's stream and subject names.",
            convert=convert.name,
        )
    )
    bus_ack_wait: float = field(
        metadata=setting(
            30.0,
            "Seconds a worker may hold a message before the bus gives it to another worker.",
        )
    )
    bus_in_flight: int = field(
        metadata=setting(
            64,
            "Messages a worker group may hold unacknowledged at once.",
        )
    )
    bus_max_bytes: int = field(
        metadata=setting(
            1 << 30,
            "Bytes each bus topic may hold; when full, ingest answers 503 and stages wait, "
            "so a backlog pushes back on its senders instead of filling the disk.",
        )
    )
    bus_attempts: int = field(
        metadata=setting(
            5,
            "Deliveries of a failing message before it goes to the dead letters with its reason.",
        )
    )
    host: str = field(metadata=setting("127.0.0.1", "Address the web server listens on."))
    port: int = field(metadata=setting(8080, "Port the web server listens on."))

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Self:
        """Settings from defaults, then the environment, then `overrides`; raises ConfigError."""
        values = read_values(
            declared(cls), overrides or {}, os.environ if environ is None else environ
        )
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
        """(name, current value, help) of each setting, in declaration order."""
        return [(s.name, str(getattr(self, s.name)), s.help) for s in declared(type(self))]


# Declaring happens here, at import, so a half-declared setting fails before any start-up.
SETTINGS: tuple[Setting, ...] = declared(Settings)
