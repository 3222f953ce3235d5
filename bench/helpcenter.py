"""The shipped checks on the team's help-center corpus (training/helpcenter/), per category and language.

    .venv/bin/python -m bench.helpcenter                     # train + dev splits (for tuning)
    .venv/bin/python -m bench.helpcenter --show offensive    # also list misses and false flags (train + dev only)
    .venv/bin/python -m bench.helpcenter --split test        # the frozen test split: measure, never tune

A post is *caught* for a category when the verdict gives a reason in that category (its score
reached the policy's review_at or reject_at). Recall is over the posts labelled with the category;
the false-flag rate is over the clean posts (no label at all) of the same language. Posts are
screened without a language hint, as opening posts or replies exactly as the corpus says. The goal
of issue 11: recall >= 0.90 and false flags <= 3% in EN and in FR separately (posts labelled
`language` are in other languages, so that category is measured on them alone).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from worker.assembly import build_engine
from worker.types import Post

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "training" / "helpcenter"
POLICY = REPO / "config" / "policy.toml"
RECALL_GOAL, FLAG_GOAL = 0.90, 0.03
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Row:
    category: str
    language: str
    labelled: int
    caught: int
    clean: int
    flagged: int

    @property
    def recall(self) -> float:
        return self.caught / self.labelled if self.labelled else float("nan")

    @property
    def flag_rate(self) -> float:
        return self.flagged / self.clean if self.clean else float("nan")

    @property
    def meets_goal(self) -> bool:
        return self.recall >= RECALL_GOAL and (not self.clean or self.flag_rate <= FLAG_GOAL)


def load_corpus(splits: set[str]) -> list[dict]:
    records = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records += [r for r in map(json.loads, filter(str.strip, handle)) if r["split"] in splits]
    return records


def as_post(record: dict) -> Post:
    return Post.model_validate({key: record.get(key) for key in (
        "id", "body", "title", "topic_id", "topic_title", "reply_to")} | {"format": record.get("format") or "text"})


def caught_categories(records: list[dict], policy: Path = POLICY, batch: int = 100) -> list[set[str]]:
    engine = build_engine(policy)
    engine.load()
    caught: list[set[str]] = []
    for start in range(0, len(records), batch):
        verdicts = engine.screen_many([as_post(r) for r in records[start:start + batch]])
        caught += [{reason.category for reason in verdict.reasons} for verdict in verdicts]
    return caught


def measure(records: list[dict], caught: list[set[str]]) -> list[Row]:
    labelled: dict[tuple[str, str], int] = defaultdict(int)
    hits: dict[tuple[str, str], int] = defaultdict(int)
    clean: dict[str, int] = defaultdict(int)
    flagged: dict[tuple[str, str], int] = defaultdict(int)
    categories = sorted({c for r in records for c in r["labels"]})
    for record, found in zip(records, caught, strict=True):
        language = record["lang"] if record["lang"] in LANGUAGES else "other"
        if not record["labels"]:
            clean[language] += 1
            for category in found:
                flagged[category, language] += 1
        for category in record["labels"]:
            labelled[category, language] += 1
            hits[category, language] += category in found
    rows = []
    for category in categories:
        for language in (*LANGUAGES, "other"):
            if labelled[category, language]:
                rows.append(Row(category, language, labelled[category, language], hits[category, language],
                                clean[language], flagged[category, language]))
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| category | lang | recall | caught | clean posts flagged | goal (recall ≥ 0.90, flagged ≤ 3%) |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        flag = f"{row.flag_rate:.1%} ({row.flagged}/{row.clean})" if row.clean else "n/a"
        lines.append(f"| {row.category} | {row.language} | {row.recall:.2f} | {row.caught}/{row.labelled} | {flag} | "
                     f"{'met' if row.meets_goal else 'missed'} |")
    return "\n".join(lines)


def show(records: list[dict], caught: list[set[str]], category: str) -> None:
    for record, found in zip(records, caught, strict=True):
        missed = category in record["labels"] and category not in found
        false_flag = not record["labels"] and category in found
        if missed or false_flag:
            kind = "MISSED" if missed else "FALSE FLAG"
            print(f"--- {kind} {record['id']} [{record['lang']}] title={record.get('title')!r} "
                  f"topic={record.get('topic_title')!r}\n{record['body'][:600]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="train,dev", help="comma-separated splits (train, dev, test)")
    parser.add_argument("--show", metavar="CATEGORY", help="list the misses and false flags of a category")
    parser.add_argument("--policy", type=Path, default=POLICY)
    args = parser.parse_args()
    splits = set(args.split.split(","))
    if args.show and "test" in splits:
        parser.error("--show lists posts to tune on: never on the frozen test split")
    records = load_corpus(splits)
    caught = caught_categories(records, args.policy)
    if args.show:
        show(records, caught, args.show)
    rows = measure(records, caught)
    print(f"help-center corpus, splits {', '.join(sorted(splits))}: {len(records)} posts, "
          f"{sum(not r['labels'] for r in records)} clean")
    print(table(rows))
    print(f"goal met in {sum(r.meets_goal for r in rows)} of {len(rows)} rows")


if __name__ == "__main__":
    main()
