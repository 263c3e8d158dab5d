"""Files onto the bus: `rapport ingest FILE --bus nats://...` in a cluster.

The file is read and parsed here (bad records become rejects that travel to quarantine
with the batch), and each batch is published to the raw topic. The message id names the
file's path, size and modification time and the batch's place in it, so publishing the
same file again within the bus's duplicate window stores nothing new on the bus, and
after it the stores' idempotent writes store nothing twice.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from rapport.bus.base import Bus
from rapport.bus.threads import submit
from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import guess_format, reader_for


@dataclass
class Published:
    posts: int = 0
    rejects: int = 0
    messages: int = 0


def publish_files(
    bus: Bus,
    paths: Sequence[Path],
    *,
    format_name: str,
    limits: Limits,
    batch_size: int,
    on_progress: Callable[[Path, int], None] | None = None,
) -> Published:
    found = Published()
    for path in paths:
        stdin = str(path) == "-"
        chosen = format_name if format_name != "auto" or stdin else guess_format(path)
        reader = reader_for("rapport-jsonl" if chosen == "auto" else chosen, limits)
        if stdin:
            identity, source = f"stdin {time.time_ns()}", "stdin"
            stream = sys.stdin.buffer
        else:
            stat = path.stat()
            identity = f"file {path.resolve()} {stat.st_size} {stat.st_mtime_ns}"
            source, stream = str(path), path.open("rb")
        try:
            for batch in batched(reader.read(stream, source), batch_size, source):
                stamped = msgspec.structs.replace(batch, received_at=time.time())
                found.messages += submit(bus, stamped, msg_id=f"{identity} #{batch.sequence}")
                found.posts += len(batch.items)
                found.rejects += len(batch.rejects)
                if on_progress is not None and not stdin:
                    on_progress(path, stream.tell())
        finally:
            if not stdin:
                stream.close()
    return found
