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
    main(sys.argv[1:])
