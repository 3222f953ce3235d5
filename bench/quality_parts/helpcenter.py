"""The help-center corpus's frozen test split (training/helpcenter/test_*.jsonl), per category and language.

    .venv/bin/python -m bench.helpcenter --split test      # the same figures, as a table

Never tuned on: the checks were tuned on the train and dev splits, written by other writers on
other topics (training/helpcenter/README.md). Goal of issue 11: recall >= 0.90 with <= 3% of clean
posts flagged for the category, in EN and in FR separately.
"""

from __future__ import annotations

from bench.helpcenter import caught_categories, load_corpus, measure

NEEDS: tuple[str, ...] = ()  # the team's own corpus: no public dataset


def rows() -> list[tuple[str, str, str, str]]:
    records = load_corpus({"test"})
    table = []
    for row in measure(records, caught_categories(records)):
        flagged = f", clean flagged {row.flag_rate:.1%} ({row.flagged}/{row.clean})" if row.clean else ""
        table.append((f"help-center test split: {row.category} ({row.language})", "recall, clean posts flagged",
                      f"{row.recall:.2f} ({row.caught}/{row.labelled}){flagged}",
                      f"goal recall ≥ 0.90, flagged ≤ 3%: {'met' if row.meets_goal else 'missed'}"))
    return table
