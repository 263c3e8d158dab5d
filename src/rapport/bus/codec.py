"""Batches on the wire: msgpack, split so that no message passes the bus's size limit."""

from __future__ import annotations

import msgspec

from rapport.errors import InputError
from rapport.records import Batch

# NATS refuses payloads over its max_payload, 1 MiB by default; leave room for headers.
MAX_MESSAGE_BYTES = 900 * 1024

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Batch)


def encode(batch: Batch, *, max_bytes: int = MAX_MESSAGE_BYTES) -> list[bytes]:
    """The batch as one message, or as several halves when it is too large for one.

    The split depends only on the batch, so a stage that runs a redelivered batch again
    publishes the same parts under the same ids, and the bus stores them once.
    """
    data = _encoder.encode(batch)
    if len(data) <= max_bytes:
        return [data]
    if len(batch.items) + len(batch.rejects) <= 1:
        # One post over the limit: posts are capped far below it, so only a reject's raw
        # bytes can get here; keep the reject, shorten what it remembers of the input.
        reject = batch.rejects[0]
        keep = max(0, len(reject.raw) - (len(data) - max_bytes) - 1024)
        shorter = msgspec.structs.replace(reject, raw=reject.raw[:keep])
        return [_encoder.encode(msgspec.structs.replace(batch, rejects=(shorter,)))]
    items, rejects = batch.items, batch.rejects
    if len(items) > 1 or (items and rejects):
        cut = max(1, len(items) // 2)
        first = msgspec.structs.replace(batch, items=items[:cut], rejects=())
        second = msgspec.structs.replace(batch, items=items[cut:], alerts=())
    else:
        cut = max(1, len(rejects) // 2)
        first = msgspec.structs.replace(batch, items=(), rejects=rejects[:cut])
        second = msgspec.structs.replace(batch, rejects=rejects[cut:], alerts=())
    return [*encode(first, max_bytes=max_bytes), *encode(second, max_bytes=max_bytes)]


def decode(data: bytes, *, where: str) -> Batch:
    try:
        return _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise InputError(f"not a Rapport batch: {exc}", where) from None
