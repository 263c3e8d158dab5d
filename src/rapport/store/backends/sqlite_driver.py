"""The one SQLite library Rapport opens databases with.

pysqlite3's wheel, where there is one (Linux on x86-64), carries a recent SQLite built with
its small-allocation pool; Debian's system SQLite, which the standard library's `sqlite3`
links, is built without it. The same ingest stores posts about 7% faster with pysqlite3's
(docs/benchmarks.md). Elsewhere the standard library's serves.

Everything in Rapport (the engine, the lookups thread, tests, benchmarks) opens SQLite files
through `driver` and nothing else: two copies of SQLite in one process do not see each
other's POSIX locks, and closing a file in one silently drops the other's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3 as driver  # the same interface
else:
    try:
        from pysqlite3 import dbapi2 as driver
    except ImportError:  # no wheel for this platform
        import sqlite3 as driver

__all__ = ["driver"]
