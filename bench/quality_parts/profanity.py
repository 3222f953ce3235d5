"""profanity: parity with better_profanity 0.7.0, and speed side by side, on real posts.

    .venv/bin/python -m bench.quality_parts.profanity [--posts 1500] [--speed-posts 300]

Parity corpus (``parity_corpus``, also read by tests/classifiers/test_profanity.py): rows of
the datasets folder (MODSCREEN_DATASETS) (read-only), drawn with a fixed seed from kaggle-insults train
(train.decoded.jsonl), davidson labeled_data.csv, sms-spam-collection and MLMA en/fr tweets, in
equal turns, each cut to 600 characters. A quarter of them are rewritten in leetspeak ("a" -> "@"
or "4", "i" -> "1", "s" -> "$", "o" -> "0", ...), some words spelt out with separators
("f.u.c.k", "s-h-i-t") or upper-cased, so the variant rules are exercised on real text.

Rows:
  * parity: share of corpus posts where ``WordMatcher.contains`` (the shipped matcher with the
    French list and the allow-list disabled) gives the same answer as
    ``better_profanity.profanity.contains_profanity`` (default list, after ``load_censor_words()``);
  * speed: µs per post of both, measured in the same run on posts of ~450 characters (real texts
    joined to forum length), and their ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from pathlib import Path

from worker.classifiers.profanity import better_profanity_matcher
from training.datasets import dataset_file

REPO = Path(__file__).resolve().parents[2]

_LEET = {"a": "@4", "i": "1!", "o": "0", "e": "3", "s": "$5", "t": "7", "u": "v*"}
_SEPARATORS = (".", "-", " ", "_")


NEEDS = ("kaggle-insults", "davidson-hate-offensive", "sms-spam-collection", "mlma-hate-fr-en")  # datasets read (training.datasets)

def _sources() -> list[list[str]]:
    with open(dataset_file("kaggle-insults", "train.decoded.jsonl"), encoding="utf-8") as handle:
        kaggle = [json.loads(line)["text"] for line in handle]
    with open(dataset_file("davidson-hate-offensive", "labeled_data.csv"), encoding="utf-8", newline="") as handle:
        davidson = [row["tweet"] for row in csv.DictReader(handle)]
    with open(dataset_file("sms-spam-collection", "SMSSpamCollection"), encoding="utf-8") as handle:
        sms = [line.split("\t", 1)[1].strip() for line in handle if "\t" in line]
    mlma = []
    for name in ("en_dataset.csv", "fr_dataset.csv"):
        with open(dataset_file("mlma-hate-fr-en", name), encoding="utf-8", newline="") as handle:
            mlma.append([row["tweet"] for row in csv.DictReader(handle)])
    return [[t for t in source if t.strip()] for source in (kaggle, davidson, sms, *mlma)]


def _disguise(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for index, word in enumerate(words):
        roll = rng.random()
        if roll < 0.3:
            words[index] = "".join(rng.choice(_LEET[c.lower()]) if c.lower() in _LEET and rng.random() < 0.6 else c for c in word)
        elif roll < 0.35 and 2 < len(word) < 8 and word.isalpha():
            words[index] = rng.choice(_SEPARATORS).join(word)
        elif roll < 0.45:
            words[index] = word.upper()
    return " ".join(words)


def parity_corpus(count: int, seed: int = 11, max_chars: int = 600, sources: list[list[str]] | None = None) -> list[str]:
    """`count` real posts (a quarter disguised in leetspeak), deterministic for a given seed.

    Drawn from the datasets, or from `sources` (lists of texts taken in turns: the tests' sample)."""
    rng = random.Random(seed)
    sources = sources or _sources()
    posts = []
    for index in range(count):
        text = rng.choice(sources[index % len(sources)])[:max_chars]
        posts.append(_disguise(text, rng) if rng.random() < 0.25 else text)
    return posts


def forum_length_posts(count: int, seed: int = 13, length: int = 450) -> list[str]:
    """Real texts joined until each post reaches ~`length` characters."""
    rng = random.Random(seed)
    pool = [text for source in _sources() for text in source]
    posts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < length:
            parts.append(rng.choice(pool))
        posts.append(" ".join(parts)[:length])
    return posts


def _microseconds(function, posts: list[str], runs: int, before_run=lambda: None) -> float:
    times = []
    for _ in range(runs):
        before_run()
        started = time.perf_counter()
        for post in posts:
            function(post)
        times.append((time.perf_counter() - started) / len(posts) * 1e6)
    return statistics.median(times)


def rows(parity_posts: int = 1500, speed_posts: int = 300) -> list[tuple[str, str, str, str]]:
    from better_profanity import profanity

    profanity.load_censor_words()
    ours = better_profanity_matcher()
    corpus = parity_corpus(parity_posts)
    agree = sum(ours.contains(post) == profanity.contains_profanity(post) for post in corpus)
    flagged = sum(ours.contains(post) for post in corpus)
    long_posts = forum_length_posts(speed_posts)
    # the token memo is emptied before each run: every run starts cold, as a fresh worker would
    ours_us = _microseconds(ours.contains, long_posts, runs=5, before_run=ours.clear_cache)
    theirs_us = _microseconds(profanity.contains_profanity, long_posts, runs=1)
    agree_long = sum(ours.contains(post) == profanity.contains_profanity(post) for post in long_posts)
    name = "shared datasets (kaggle-insults, davidson, sms, MLMA en/fr; 25% leetspeak)"
    return [
        (f"{name}, {parity_posts} posts ({flagged} profane)", "agreement with better_profanity contains_profanity",
         f"{agree / len(corpus):.2%} ({agree}/{len(corpus)})", "100% (same rules)"),
        (f"{speed_posts} posts of {len(long_posts[0])} chars, same run", "agreement / µs per post",
         f"{agree_long}/{len(long_posts)} / {ours_us:.0f} µs", f"better_profanity: {theirs_us:,.0f} µs"),
        (f"{speed_posts} posts of {len(long_posts[0])} chars, same run", "speed-up over better_profanity",
         f"{theirs_us / ours_us:,.0f}x", "goal ≥ 500x"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--speed-posts", type=int, default=300)
    arguments = parser.parse_args()
    for row in rows(arguments.posts, arguments.speed_posts):
        print(" | ".join(row))
