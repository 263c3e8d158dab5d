"""The strategies that need nothing above the pipeline; the process and bus strategies live
with the ingest readers and the bus they depend on."""

from rapport.pipeline.strategies.inline import InlineStrategy
from rapport.pipeline.strategies.threads import ThreadsStrategy

__all__ = ["InlineStrategy", "ThreadsStrategy"]
