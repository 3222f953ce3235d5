"""Functional tests of the abuse categories, in the spirit of HateCheck: accuracy per functionality.

    .venv/bin/python -m bench.quality_parts.functional [--show FUNCTIONALITY]

Cases: bench/functional/cases.jsonl, written by the team (EN and FR; see bench/functional/README.md).
Each case names a functionality (derogation, threats, slurs, negation, counter-speech, quoting,
technical vocabulary, ...), the category it is about, and whether the post should be flagged for
that category. A case is passed when the shipped checks, run end to end under the shipped policy,
give a reason in that category exactly when it should be flagged. The goal of issue 11 is
>= 0.90 accuracy for every functionality.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bench.helpcenter import POLICY, caught_categories

CASES = Path(__file__).resolve().parents[1] / "functional" / "cases.jsonl"
GOAL = 0.90
NEEDS: tuple[str, ...] = ()  # the team's own cases: no public dataset

Row = tuple[str, str, str, str]


def load_cases() -> list[dict]:
    with CASES.open(encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    for case in cases:
        case.setdefault("labels", [case["category"]] if case["expected"] == "flag" else [])
    return cases


def results(cases: list[dict]) -> list[tuple[dict, bool]]:
    caught = caught_categories(cases, POLICY)
    return [(case, (case["category"] in found) == (case["expected"] == "flag")) for case, found in zip(cases, caught)]


def rows() -> list[Row]:
    outcome = results(load_cases())
    by_functionality: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for case, passed in outcome:
        by_functionality[case["functionality"], case["lang"]].append(passed)
    table: list[Row] = []
    for functionality in sorted({f for f, _ in by_functionality}):
        cells = []
        for language in ("en", "fr"):
            passed = by_functionality.get((functionality, language), [])
            if passed:
                cells.append(f"{language} {sum(passed) / len(passed):.2f} ({sum(passed)}/{len(passed)})")
        both = by_functionality.get((functionality, "en"), []) + by_functionality.get((functionality, "fr"), [])
        accuracy = sum(both) / len(both)
        table.append((f"functional suite: {functionality}", "accuracy", f"{accuracy:.2f}; " + ", ".join(cells),
                      f"goal ≥ {GOAL:.2f}: {'met' if accuracy >= GOAL else 'missed'}"))
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", metavar="FUNCTIONALITY", help="list the failed cases of a functionality")
    arguments = parser.parse_args()
    if arguments.show:
        for case, passed in results([c for c in load_cases() if c["functionality"] == arguments.show]):
            if not passed:
                print(f"FAILED {case['id']} [{case['lang']}] expected {case['expected']} {case['category']}: {case['body']}")
    for row in rows():
        print(" | ".join(row))
