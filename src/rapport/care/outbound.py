"""The channels a server sends agents' replies through, chosen by the `channel` setting.

`simulated`: one pretend network per accepted network name; the customers it answers
sometimes write back, and those answers enter the pipeline like any post, so threads go
on. `x`: the X API v2 for posts on X (other networks have no channel then).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from rapport.care.channels import Channel, SimulatedNetwork, XChannel
from rapport.periodic import Periodic
from rapport.records import Post
from rapport.settings import Settings


def build_channels(settings: Settings, on_reply: Callable[[Post], None]) -> dict[str, Channel]:
    if settings.channel == "x":
        return {"x": XChannel(settings.x_token)}
    return {
        network: SimulatedNetwork(network, seed=7, on_customer_reply=on_reply)
        for network in sorted(settings.networks)
    }


class Pump(Periodic):
    """Delivers the simulated customers' answers when they come due (once a second)."""

    def __init__(self, channels: Mapping[str, Channel], interval: float = 1.0) -> None:
        super().__init__("pump", interval)
        self.simulated = [c for c in channels.values() if isinstance(c, SimulatedNetwork)]

    def start(self) -> None:
        if self.simulated:
            super().start()

    def run_once(self) -> None:
        now = datetime.now(UTC)
        for channel in self.simulated:
            try:
                channel.pump(now)
            except Exception:  # one bad answer must not stop the others
                continue
