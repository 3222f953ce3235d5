"""Writes tests/data/public_sample.jsonl: a few hundred rows of public datasets for the tests.

    .venv/bin/python scripts/make_test_sample.py

The tests never read the datasets folder (a user's clone has none). Where a test needs real
messages (profanity parity with better_profanity, forum-length posts for the service tests, a
small spam collection to retrain on), it reads this sample instead. Only datasets whose licence
allows redistribution with attribution are sampled; tests/data/NOTICE.md names them. Rows are
drawn with a fixed seed, so rerunning gives the same file.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from training.datasets import dataset_file

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "public_sample.jsonl"
SEED = 2026


def _rows() -> list[dict]:
    rng = random.Random(SEED)
    rows: list[dict] = []
    with dataset_file("davidson-hate-offensive", "labeled_data.csv").open(encoding="utf-8", newline="") as handle:
        davidson = [row["tweet"] for row in csv.DictReader(handle)]
    rows += [{"source": "davidson", "language": "en", "text": t} for t in rng.sample(davidson, 250)]
    for language, count in (("en", 150), ("fr", 250)):
        path = dataset_file("mlma-hate-fr-en", f"{language}_dataset.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            tweets = [row["tweet"] for row in csv.DictReader(handle)]
        rows += [{"source": "mlma", "language": language, "text": t} for t in rng.sample(tweets, count)]
    with dataset_file("sms-spam-collection", "SMSSpamCollection").open(encoding="utf-8") as handle:
        sms = [line.rstrip("\n").split("\t", 1) for line in handle if "\t" in line]
    for label, count in (("ham", 120), ("spam", 60)):
        texts = [text for kind, text in sms if kind == label]
        rows += [{"source": "sms", "language": "en", "label": label, "text": t} for t in rng.sample(texts, count)]
    return [row for row in rows if row["text"].strip()]


if __name__ == "__main__":
    rows = _rows()
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} rows -> {OUT.relative_to(REPO)}")
