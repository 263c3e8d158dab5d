"""The pipeline: stages over batches of posts, run by a strategy (inline, threads, a helper
process for files, or the bus)."""

from rapport.pipeline.runner import Runner
from rapport.pipeline.stage import Stage
from rapport.pipeline.strategy import Strategy

__all__ = ["Runner", "Stage", "Strategy"]
