"""Quality of the shipped checks against published baselines, on held-out public data.

    .venv/bin/python bench/quality.py [--only NAME ...]

Trains nothing: each part in bench/quality_parts/ loads what modscreen ships and evaluates it
on a split that the shipped models never saw (each part states its split and seed). Prints one
table (dataset, metric, modscreen, published baseline) and writes bench/results/quality.md.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.quality_parts as parts  # noqa: E402

HEADER = ("dataset", "metric", "modscreen", "published baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="run only these parts (module names in bench/quality_parts)")
    args = parser.parse_args()
    names = [m.name for m in pkgutil.iter_modules(parts.__path__) if not m.name.startswith("_")]
    rows: list[tuple[str, str, str, str]] = []
    for name in sorted(names):
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        part_rows = importlib.import_module(f"bench.quality_parts.{name}").rows()
        print(f"[{name}: {len(part_rows)} rows in {time.perf_counter() - started:.0f} s]", file=sys.stderr)
        rows.extend(part_rows)
    table = _markdown(rows)
    print(table)
    if not args.only:
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "quality.md").write_text(
            "# Quality of the shipped checks\n\nWritten by `.venv/bin/python bench/quality.py`.\n\n" + table + "\n",
            encoding="utf-8",
        )


def _markdown(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
