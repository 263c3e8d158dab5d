"""Outbound channels: how an agent's reply reaches the customer.

`Channel.send(Outgoing) -> Sent` delivers one reply at most once per idempotency key.
`SimulatedNetwork` is the demo's pretend network; `XChannel` talks to the X API v2.
"""

from rapport.care.channels.base import (
    Channel,
    ChannelError,
    DeliveryUnknown,
    MemorySentLog,
    Outgoing,
    RateLimited,
    Sent,
    SentLog,
)
from rapport.care.channels.simulated import SimulatedNetwork
from rapport.care.channels.x_v2 import XChannel

__all__ = [
    "Channel",
    "ChannelError",
    "DeliveryUnknown",
    "MemorySentLog",
    "Outgoing",
    "RateLimited",
    "Sent",
    "SentLog",
    "SimulatedNetwork",
    "XChannel",
]
