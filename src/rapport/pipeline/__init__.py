"""The pipeline: stages over batches of posts, run in-process (or, later, on a bus)."""

from rapport.pipeline.runner import Runner
from rapport.pipeline.stage import Stage

__all__ = ["Runner", "Stage"]
