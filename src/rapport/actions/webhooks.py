"""Delivers stored alerts to the alert webhook, at least once, in the order they were raised.

Alerts are written to the database first (their `delivery` is "pending"), in the same
transaction as the posts that raised them; this thread then posts each one and marks it
delivered. A crash or an unreachable endpoint only delays delivery: pending alerts are sent
when the process runs again, and an alert that keeps failing is marked failed after
`max_attempts`, with the last error kept. The body is signed (HMAC-SHA256 of the raw body
with the shared secret, in `X-Rapport-Signature: sha256=<hex>`) so the receiver can tell
Rapport's calls from anybody else's, and `X-Rapport-Alert-Id` lets it drop repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import partial

import httpx
import orjson

from rapport.records.alerts import StoredAlert
from rapport.store import Database
from rapport.store.alerts import mark_delivery, pending_deliveries
from rapport.store.locks import exclusive


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


_FIELDS = ("id", "kind", "subject_kind", "subject", "window_start", "detected_at", "count",
           "expected", "z", "message")  # fmt: skip


def alert_body(alert: StoredAlert) -> bytes:
    return orjson.dumps({"type": "rapport.alert", **{k: getattr(alert, k) for k in _FIELDS}})


class WebhookNotifier:
    def __init__(
        self,
        database: Database,
        url: str,
        *,
        secret: str = "",
        max_attempts: int = 8,
        interval: float = 1.0,
        timeout: float = 5.0,
    ) -> None:
        self.database, self.url, self.secret = database, url, secret
        self.max_attempts, self.interval = max_attempts, interval
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rapport-webhook", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """New alerts were stored: deliver them now rather than at the next tick."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._client.close()

    def deliver_pending(self) -> tuple[int, bool]:
        """One pass over the outbox: (alerts delivered, whether the endpoint failed).

        With several web-tier processes, one at a time delivers, so that an alert is not
        posted by each of them."""
        with exclusive(self.database.engine, "alert webhook") as mine:
            return self._deliver_pending() if mine else (0, False)

    def _deliver_pending(self) -> tuple[int, bool]:
        with self.database.reading() as conn:
            pending = pending_deliveries(conn)
        delivered = 0
        for alert in pending:
            if self._stop.is_set():
                break
            ok, error = self._post(alert)
            final = not ok and alert.attempts + 1 >= self.max_attempts
            self.database.write(
                partial(mark_delivery, alert_id=alert.id, delivered=ok, error=error, final=final)
            )
            if not ok:
                return delivered, True  # keep the order: try again after a pause
            delivered += 1
        return delivered, False

    def _post(self, alert: StoredAlert) -> tuple[bool, str | None]:
        body = alert_body(alert)
        headers = {"Content-Type": "application/json", "X-Rapport-Alert-Id": str(alert.id)}
        if self.secret:
            headers["X-Rapport-Signature"] = sign(self.secret, body)
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return False, f"{type(error).__name__}: {error}"[:500]
        if response.is_success:
            return True, None
        return False, f"HTTP {response.status_code}: {response.text[:200]}"

    def _run(self) -> None:
        backoff = self.interval
        while not self._stop.is_set():
            self._wake.wait(timeout=backoff)
            self._wake.clear()
            try:
                _, failed = self.deliver_pending()
            except Exception:  # the database is busy or gone: try again later
                failed = True
            # An endpoint that is down is asked again less and less often, up to once a minute.
            backoff = min(backoff * 2, 60.0) if failed else self.interval
