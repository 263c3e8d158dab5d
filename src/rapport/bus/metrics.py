"""A worker's health, lag, throughput and latency, served for Prometheus.

`GET /metrics` is the Prometheus text format; `GET /healthz` answers 200 while the worker
reaches its services and 503, with the last error, while it does not.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from rapport.records import Batch

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class WorkerMetrics:
    def __init__(self, group: str, registry: CollectorRegistry | None = None) -> None:
        self.group = group
        self.registry = registry or CollectorRegistry()
        labels = ["group"]
        self._messages = Counter(
            "rapport_worker_messages", "Messages settled, by outcome.", [*labels, "outcome"],
            registry=self.registry,
        )  # fmt: skip
        self._posts = Counter(
            "rapport_worker_posts", "Posts processed.", labels, registry=self.registry
        )
        self._seconds = Histogram(
            "rapport_worker_batch_seconds", "Time to process one message (stages and publish).",
            labels, buckets=_SECONDS, registry=self.registry,
        )  # fmt: skip
        self._latency = Histogram(
            "rapport_ingest_latency_seconds",
            "From the ingest accepting a post to this group finishing it.",
            labels, buckets=_SECONDS, registry=self.registry,
        )  # fmt: skip
        self._lag = Gauge(
            "rapport_worker_lag_messages", "Messages waiting for this group (the consumer's "
            "pending plus unacknowledged count).", labels, registry=self.registry,
        )  # fmt: skip
        self._up = Gauge(
            "rapport_worker_healthy", "1 while the worker reaches its services.", labels,
            registry=self.registry,
        )  # fmt: skip
        self._up.labels(group).set(1)
        self.problem = ""

    def processed(self, batch: Batch, seconds: float) -> None:
        self._messages.labels(self.group, "done").inc()
        self._posts.labels(self.group).inc(len(batch.items))
        self._seconds.labels(self.group).observe(seconds)
        if batch.received_at > 0 and batch.items:
            self._latency.labels(self.group).observe(max(0.0, time.time() - batch.received_at))

    def count(self, *, outcome: str) -> None:
        self._messages.labels(self.group, outcome).inc()

    def lag(self, messages: int) -> None:
        self._lag.labels(self.group).set(messages)

    def healthy(self) -> None:
        if self.problem:
            self.problem = ""
            self._up.labels(self.group).set(1)

    def unhealthy(self, problem: str) -> None:
        self.problem = problem or "unavailable"
        self._up.labels(self.group).set(0)

    def value(self, name: str, **labels: str) -> float:
        found = self.registry.get_sample_value(name, {"group": self.group, **labels})
        return found or 0.0

    def serve(self, host: str, port: int) -> ThreadingHTTPServer:
        """Serve /metrics and /healthz on a daemon thread; returns the server to shut down."""
        metrics = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.startswith("/metrics"):
                    body, status, kind = generate_latest(metrics.registry), 200, CONTENT_TYPE_LATEST
                elif self.path.startswith("/healthz"):
                    status = 503 if metrics.problem else 200
                    body = (metrics.problem or "ok").encode() + b"\n"
                    kind = "text/plain; charset=utf-8"
                else:
                    body, status, kind = b"not found\n", 404, "text/plain; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # scrapes every few seconds would drown the worker's own log

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, name="rapport-metrics", daemon=True).start()
        return server
