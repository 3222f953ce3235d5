"""A mixed EN/FR corpus of forum-like posts built from the datasets folder (MODSCREEN_DATASETS) and examples/posts.jsonl.

What `modscreen demo seed` screens, and the benchmarks' corpus (``bench/corpus.py`` re-exports it).

Deterministic (seeded): the same N gives the same posts. Texts are the datasets' real messages,
joined into posts of forum length (median ~300 characters), in all four formats, with titles,
and a share of replies, so every check has work to do.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from training.datasets import dataset_file
from worker.types import Post

REPO = Path(__file__).resolve().parents[2]


def _texts() -> tuple[list[str], list[str]]:
    english, french = [], []
    with open(dataset_file("sms-spam-collection", "SMSSpamCollection"), encoding="utf-8") as handle:
        english += [line.split("\t", 1)[1].strip() for line in handle if "\t" in line]
    with open(dataset_file("kaggle-insults", "train.decoded.jsonl"), encoding="utf-8") as handle:
        english += [json.loads(line)["text"] for line in handle]
    with open(dataset_file("davidson-hate-offensive", "labeled_data.csv"), encoding="utf-8") as handle:
        english += [row["tweet"] for row in csv.DictReader(handle)]
    for name, bucket in (("en_dataset.csv", english), ("fr_dataset.csv", french)):
        with open(dataset_file("mlma-hate-fr-en", name), encoding="utf-8") as handle:
            bucket += [row["tweet"] for row in csv.DictReader(handle)]
    return [t for t in english if t.strip()], [t for t in french if t.strip()]


def _example_posts() -> list[dict]:
    lines = (REPO / "examples" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    posts = []
    for line in lines:
        try:
            posts.append(json.loads(line))
        except ValueError:
            continue
    return [post for post in posts if isinstance(post.get("id"), str) and post.get("format", "text") != "pdf"]


def _dress(text: str, post_format: str, rng: random.Random) -> str:
    words = text.split(" ")
    if len(words) > 4 and rng.random() < 0.5:
        at = rng.randrange(len(words) - 2)
        mark = {"html": ("<b>", "</b>"), "markdown": ("**", "**"), "bbcode": ("[b]", "[/b]")}.get(post_format)
        if mark:
            words[at] = mark[0] + words[at] + mark[1]
    body = " ".join(words)
    if post_format == "html":
        return "<p>" + body.replace("&", "&amp;").replace("<", "&lt;").replace("&lt;b>", "<b>").replace("&lt;/b>", "</b>") + "</p>"
    return body


def build_posts(count: int, seed: int = 7, texts: tuple[list[str], list[str]] | None = None) -> list[Post]:
    """`count` posts; `texts` (English, French) replaces the datasets' messages (the tests pass their sample)."""
    rng = random.Random(seed)
    english, french = texts or _texts()
    examples = _example_posts()
    posts: list[Post] = []
    for number in range(count):
        if number % 20 == 0:
            example = dict(examples[(number // 20) % len(examples)])
            example["id"] = f"ex-{number}-{example['id']}"
            posts.append(Post.model_validate(example))
            continue
        language = "fr" if rng.random() < 0.4 else "en"
        pool = french if language == "fr" else english
        target = min(2000, max(60, int(rng.lognormvariate(5.7, 0.6))))
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(rng.choice(pool).strip())
        body = " ".join(parts)[:2000]
        post_format = rng.choice(["text", "text", "html", "markdown", "bbcode"])
        reply = rng.random() < 0.3
        posts.append(
            Post(
                id=f"bench-{number}",
                body=_dress(body, post_format, rng),
                title=None if reply else " ".join(rng.choice(pool).split()[:8])[:120] or "Question",
                format=post_format,
                reply_to=f"bench-{number - 1}" if reply else None,
                topic_title=" ".join(rng.choice(pool).split()[:8])[:120] if reply else None,
                language=language if rng.random() < 0.8 else None,
            )
        )
    return posts
