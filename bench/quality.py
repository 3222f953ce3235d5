"""Quality of the shipped checks against published baselines, on held-out public data.

    .venv/bin/python -m bench.quality [--only NAME ...]

Trains nothing: each part in bench/quality_parts/ loads what modscreen ships and evaluates it
on a split that the shipped models never saw (each part states its split and seed). Prints one
table (dataset, metric, modscreen, published baseline) and writes bench/results/quality.md.

Each part names the public datasets it reads in ``NEEDS``; they are read from the datasets folder
(``MODSCREEN_DATASETS``, see ``training/datasets.py`` and the README's "Datasets"). A part whose
datasets are missing is skipped with one line per missing dataset, and the report is then not written.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

import bench.quality_parts as parts
from training.datasets import missing

ROOT = Path(__file__).resolve().parents[1]

HEADER = ("dataset", "metric", "modscreen", "published baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="run only these parts (module names in bench/quality_parts)")
    args = parser.parse_args()
    names = [m.name for m in pkgutil.iter_modules(parts.__path__) if not m.name.startswith("_")]
    rows: list[tuple[str, str, str, str]] = []
    absent: dict[str, str] = {}
    for name in sorted(names):
        if args.only and name not in args.only:
            continue
        part = importlib.import_module(f"bench.quality_parts.{name}")
        problems = missing(getattr(part, "NEEDS", ()))
        if problems:
            absent.update((problem.folder, str(problem)) for problem in problems)
            print(f"[{name}: skipped, its datasets are missing]", file=sys.stderr)
            continue
        started = time.perf_counter()
        part_rows = part.rows()
        print(f"[{name}: {len(part_rows)} rows in {time.perf_counter() - started:.0f} s]", file=sys.stderr)
        rows.extend(part_rows)
    for message in absent.values():
        print(message, file=sys.stderr)
    if not rows:
        sys.exit(f"nothing measured: {len(absent)} dataset(s) missing (see the README's \"Datasets\")")
    table = _markdown(rows)
    print(table)
    if not args.only and not absent:
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "quality.md").write_text(
            "# Quality of the shipped checks\n\nWritten by `.venv/bin/python -m bench.quality`.\n\n" + table + "\n",
            encoding="utf-8",
        )


def _markdown(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
