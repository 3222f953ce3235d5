"""Real messages for the tests, from tests/data/public_sample.jsonl (sources and licences in tests/data/NOTICE.md).

The tests never read the datasets folder: a user's clone has none.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from bench.corpus import build_posts as _build_posts
from worker.types import Post

SAMPLE = Path(__file__).resolve().parent / "data" / "public_sample.jsonl"


@cache
def sample_rows() -> tuple[dict, ...]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle if line.strip())


def texts_by_source() -> list[list[str]]:
    """The sample's texts, one list per (source, language), for corpora that draw from each in turns."""
    groups: dict[tuple[str, str], list[str]] = {}
    for row in sample_rows():
        groups.setdefault((row["source"], row["language"]), []).append(row["text"])
    return list(groups.values())


def english_and_french() -> tuple[list[str], list[str]]:
    english = [row["text"] for row in sample_rows() if row["language"] == "en"]
    french = [row["text"] for row in sample_rows() if row["language"] == "fr"]
    return english, french


def build_posts(count: int, seed: int = 7) -> list[Post]:
    """Forum-like posts (the benchmark corpus's recipe) made from the sample and the shipped examples."""
    return _build_posts(count, seed, texts=english_and_french())


def sms_collection() -> str:
    """The sample's SMS rows in the SMS Spam Collection's own format ("ham\\ttext" lines)."""
    return "".join(f"{row['label']}\t{row['text']}\n" for row in sample_rows() if row["source"] == "sms")
