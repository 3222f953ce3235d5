"""language: EN/FR detection accuracy on real short texts, and speed next to plain langdetect.

    .venv/bin/python -m bench.quality_parts.language [--baseline-sample 1000] [--speed-posts 300]

Evaluation texts (the datasets folder (MODSCREEN_DATASETS), read-only), each labelled with its dataset's language:
  * MLMA en_dataset.csv (en) and fr_dataset.csv (fr): every tweet. Note: the authors removed
    stop words from many English tweets and accents from many French ones, and both files hold
    a few tweets in the other language;
  * sms-spam-collection, ham messages only (en; many in textese, a few in Hinglish);
  * kaggle-insults train.decoded.jsonl comments (en; a few are Italian, Spanish or Slovak).
Cleaning: URLs, @mentions and a leading "RT" removed, "#" dropped from hashtags, "&amp;"
unescaped, whitespace collapsed. Kept: texts of at least 40 characters after cleaning. Labels are
not corrected, so the figures include the datasets' own mislabelled rows.

Ours runs as in production: a text Post without language hint, ``Language.detect_languages`` on
the Document (title none, first 400 characters). Accuracy = detected language equals the label.
Baseline: ``langdetect.detect`` (all 55 profiles, ``DetectorFactory.seed = 0``) on a seeded
sample of the same texts, with ours on the same sample. Speed: µs per post for both, in the same
run, on 300 posts of ~300 characters (same-language texts joined).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from pathlib import Path

import regex

from worker.checks import registered_checks
from worker.community import load_community
from worker.document import Document
from worker.types import Post
from training.datasets import dataset_file

REPO = Path(__file__).resolve().parents[2]

_NOISE = regex.compile(r"https?://\S{1,2000}|www\.\S{1,2000}|@\w{1,50}|^\s*rt\b", regex.IGNORECASE)
MIN_CHARS = 40


NEEDS = ("mlma-hate-fr-en", "sms-spam-collection", "kaggle-insults")  # datasets read (training.datasets)

def clean(text: str) -> str:
    text = _NOISE.sub(" ", text, timeout=1.0).replace("#", "").replace("&amp;", "&")
    return " ".join(text.split())


def labelled_texts() -> list[tuple[str, str, str]]:
    """(source, text, language) for every cleaned text of at least MIN_CHARS characters."""
    rows: list[tuple[str, str, str]] = []
    for name, language in (("en_dataset.csv", "en"), ("fr_dataset.csv", "fr")):
        with open(dataset_file("mlma-hate-fr-en", name), encoding="utf-8", newline="") as handle:
            rows += [(f"MLMA {language}", clean(row["tweet"]), language) for row in csv.DictReader(handle)]
    with open(dataset_file("sms-spam-collection", "SMSSpamCollection"), encoding="utf-8") as handle:
        rows += [("SMS ham", clean(line.split("\t", 1)[1]), "en") for line in handle if line.startswith("ham\t")]
    with open(dataset_file("kaggle-insults", "train.decoded.jsonl"), encoding="utf-8") as handle:
        rows += [("kaggle-insults train", clean(json.loads(line)["text"]), "en") for line in handle]
    return [row for row in rows if len(row[1]) >= MIN_CHARS]


def _documents(texts: list[str]) -> list[Document]:
    posts = [Post.model_validate({"id": f"q{i}", "body": text}) for i, text in enumerate(texts)]
    return [Document.from_post(post, max_body_chars=100_000, regex_timeout=0.25) for post in posts]


def _detector():
    import tomllib

    check_class = registered_checks()["language"]
    data = tomllib.loads((REPO / "config" / "checks" / "language.toml").read_text(encoding="utf-8"))
    check = check_class.from_data(data, community=load_community(REPO / "config" / "community.toml"))
    check.load()
    return check


def rows(baseline_sample: int = 1000, speed_posts: int = 300) -> list[tuple[str, str, str, str]]:
    import langdetect
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    check = _detector()
    data = labelled_texts()
    detected = check.detect_languages(_documents([text for _, text, _ in data]))
    results: list[tuple[str, str, str, str]] = []
    for source in dict.fromkeys(source for source, _, _ in data):
        pairs = [(d, label) for (s, _, label), d in zip(data, detected, strict=True) if s == source]
        correct = sum(d == label for d, label in pairs)
        results.append((f"{source}, ≥{MIN_CHARS} chars", "accuracy, no hint", f"{correct / len(pairs):.2%} ({correct}/{len(pairs)})", "goal ≥ 99%"))
    correct = sum(d == label for d, (_, _, label) in zip(detected, data, strict=True))
    results.append((f"all of the above ({len(data)} texts)", "accuracy, no hint", f"{correct / len(data):.2%}", "goal ≥ 99%"))

    sample = random.Random(3).sample(data, min(baseline_sample, len(data)))
    ours = check.detect_languages(_documents([text for _, text, _ in sample]))
    theirs = [_langdetect(langdetect, text) for _, text, _ in sample]
    ours_ok = sum(o == label for o, (_, _, label) in zip(ours, sample, strict=True))
    theirs_ok = sum(t == label for t, (_, _, label) in zip(theirs, sample, strict=True))
    results.append((f"seeded sample of {len(sample)} of them", "accuracy, no hint", f"{ours_ok / len(sample):.2%}",
                    f"langdetect.detect: {theirs_ok / len(sample):.2%}"))

    posts = _forum_posts(data, speed_posts)
    documents = _documents(posts)
    ours_us = _timed(lambda: [check.detect_languages([doc]) for doc in documents], len(posts), runs=5)
    theirs_us = _timed(lambda: [_langdetect(langdetect, text) for text in posts], len(posts), runs=1)
    length = round(statistics.mean(len(p) for p in posts))
    results.append((f"{len(posts)} posts of ~{length} chars, same run", "µs per post (one post per call)",
                    f"{ours_us:.0f} µs", f"langdetect.detect: {theirs_us:,.0f} µs ({theirs_us / ours_us:.0f}x slower)"))
    return results


def _langdetect(langdetect, text: str) -> str | None:
    try:
        return langdetect.detect(text).split("-")[0]
    except langdetect.LangDetectException:
        return None


def _forum_posts(data: list[tuple[str, str, str]], count: int, length: int = 300) -> list[str]:
    rng = random.Random(5)
    by_language = {language: [text for _, text, label in data if label == language] for language in ("en", "fr")}
    posts = []
    for index in range(count):
        pool = by_language["en" if index % 2 else "fr"]
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < length:
            parts.append(rng.choice(pool))
        posts.append(" ".join(parts)[:length])
    return posts


def _timed(function, count: int, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) / count * 1e6)
    return statistics.median(times)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-sample", type=int, default=1000)
    parser.add_argument("--speed-posts", type=int, default=300)
    arguments = parser.parse_args()
    for row in rows(arguments.baseline_sample, arguments.speed_posts):
        print(" | ".join(row))
