"""Build Rapport's shipped domain traffic table from its hand-written tiers.

    python scripts/build_domain_weights.py          # rewrites the shipped domain_weights.csv
    python scripts/build_domain_weights.py --out X  # writes X instead (a test compares bytes)

Deterministic and offline: the same tiers file always gives the same CSV. The method is in
src/rapport/score/data/domain_tiers.toml; the code is `rapport.score.domain_traffic`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from rapport.score.domain_traffic import (
    DEFAULT_CSV_PATH,
    TIERS_PATH,
    build_default_table,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", type=Path, default=TIERS_PATH, help="the tiers TOML file")
    parser.add_argument("--out", type=Path, default=DEFAULT_CSV_PATH, help="the CSV to write")
    args = parser.parse_args(argv)
    count = build_default_table(args.tiers, args.out)
    print(f"wrote {count} domains to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
