"""Rebuild model artifacts: ``python -m training all`` or ``python -m training <name>...``."""

from __future__ import annotations

import importlib
import sys

MODELS = ("hate_speech", "insults", "promotion")


def main(argv: list[str]) -> None:
    names = list(MODELS) if argv in ([], ["all"]) else argv
    unknown = [name for name in names if name not in MODELS]
    if unknown:
        raise SystemExit(f"unknown model(s) {unknown}; choose from {', '.join(MODELS)} or all")
    for name in names:
        importlib.import_module(f"training.{name}").main()


if __name__ == "__main__":
    from training.datasets import DatasetMissing

    try:
        main(sys.argv[1:])
    except DatasetMissing as missing_dataset:  # one line naming the dataset, not a traceback
        sys.exit(str(missing_dataset))
