"""Volume: rolling counts per listening query, hashtag, intent and linked URL, spike and
virality alerts, and each post's membership of a spike (a priority factor).

This stage keeps state from batch to batch (the baselines), so one copy of it must see the
whole stream in order; the runner gives it one thread, and file ingest runs it once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Alert, Batch, Envelope
from rapport.score.viral import Viral, ViralTracker
from rapport.score.volume import Spike, VolumeTracker

_SKIPPED_INTENTS = frozenset({"other"})


def url_key(url: str) -> str:
    """A link without scheme, query, fragment or trailing slash: one key per page."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return url.lower()[:256]
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/"))[:256]


def volume_keys(envelope: Envelope) -> list[tuple[str, str]]:
    post, enrichment = envelope.post, envelope.enrichment
    keys = [("query", m) for m in envelope.matches]
    keys += [("hashtag", h) for h in post.hashtags]
    intent = enrichment.intent if enrichment is not None else None
    if intent is not None and intent.label not in _SKIPPED_INTENTS:
        keys.append(("intent", intent.label))
    keys += [("url", url_key(link)) for link in post.links]
    return keys


def spike_alert(spike: Spike) -> Alert:
    return Alert(
        kind="spike",
        subject_kind=spike.kind,
        subject=spike.key,
        window_start=spike.window_start,
        detected_at=datetime.now(UTC),
        count=spike.count,
        expected=round(spike.expected, 2),
        z=round(spike.z, 2),
        message=f"Spike: {spike.reason}",
    )


def viral_alert(viral: Viral) -> Alert:
    return Alert(
        kind="viral",
        subject_kind="post",
        subject=f"{viral.network}/{viral.source_id}",
        window_start=viral.first_seen,
        detected_at=datetime.now(UTC),
        count=viral.count,
        expected=0.0,
        z=0.0,
        message=f"Going viral: {viral.reason}",
    )


class VolumeStage(Stage):
    name = "volume"

    def __init__(
        self, volume: VolumeTracker | None = None, viral: ViralTracker | None = None
    ) -> None:
        self.volume = volume or VolumeTracker()
        self.viral = viral or ViralTracker()

    def process(self, batch: Batch) -> Batch:
        alerts: list[Alert] = []
        items = []
        spiking = self.volume.spiking
        for envelope in batch.items:
            keys = volume_keys(envelope)
            alerts += [spike_alert(s) for s in self.volume.add(envelope.post.created_at, keys)]
            viral = self.viral.add(envelope.post)
            if viral is not None:
                alerts.append(viral_alert(viral))
            hot = tuple(f"{kind}:{key}" for kind, key in keys if spiking((kind, key)))
            items.append(msgspec.structs.replace(envelope, spikes=hot) if hot else envelope)
        if not alerts:
            return msgspec.structs.replace(batch, items=tuple(items))
        return msgspec.structs.replace(batch, items=tuple(items), alerts=(*batch.alerts, *alerts))
