"""sms_language on W-NUT 2015 LexNorm: token-level precision and recall of textese detection.

    .venv/bin/python -m bench.quality_parts.sms_language            # test split (the figures)
    .venv/bin/python -m bench.quality_parts.sms_language --split train --per-token   # tuning aid

Data: wnut2015-lexnorm/test_truth.json in the datasets folder (read-only; see its SOURCE.md). Each
tweet is a list of ``input`` tokens aligned with lower-case ``output`` normalisations.

Positives (our derivation of "tokens annotated as non-standard abbreviations or phonetic
spellings"): a token is positive when its normalisation differs from it and the difference is
not one of the changes that are not textese:
  - casing only (``output`` is lower case by construction, so we compare ``input.lower()``);
  - punctuation or spacing only: the same letters and digits once apostrophes, hyphens and spaces
    are removed ("im" -> "i'm", "dont" -> "don't", "followback" -> "follow back");
  - British to American spelling of a standard word ("favourite" -> "favorite", "realise" ->
    "realize", "theatre" -> "theater", "learnt" -> "learned"), found by a few suffix rewrites.
Tokens of a many-to-one normalisation ("l o v e" -> "love", the followers annotated "") are left
out of the evaluation entirely (neither positive nor negative): they are spaced-out letters, not
abbreviations, and the detector sees single letters there. Everything else is a negative,
including @mentions, #hashtags and URLs, which the task leaves unnormalised.

The detector runs as in production: each tweet's tokens joined by spaces, a text post with
language "en"; a token is predicted positive when one of the hit's evidence spans covers it.
Precision = TP / predicted, recall = TP / positives. Tune lexicons on the train split only.

Published baselines are for the normalisation task (P/R of the corrected output), not for
detection: they are given for scale only.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections import Counter
from pathlib import Path

import regex

from worker.document import Document
from worker.rules.sms_language import SmsLanguage
from worker.types import Post
from training.datasets import dataset_file

REPO = Path(__file__).resolve().parents[2]

DATASET = "wnut2015-lexnorm test"
_NOT_ALNUM = regex.compile(r"[^a-z0-9]+")
# British -> American rewrites of a standard word's ending (applied to the lower-case token).
_SPELLING = [
    (r"our(s?)$", r"or\1"), (r"ise([sd]?)$", r"ize\1"), (r"ising$", "izing"), (r"isation(s?)$", r"ization\1"),
    (r"yse([sd]?)$", r"yze\1"), (r"tre(s?)$", r"ter\1"), (r"ogue(s?)$", r"og\1"), (r"ence$", "ense"),
    (r"lled$", "led"), (r"lling$", "ling"), (r"nt$", "ned"), (r"mme$", "m"),
]


NEEDS = ("wnut2015-lexnorm",)  # datasets read (training.datasets)

def is_positive(token: str, normalised: str) -> bool:
    lower = token.lower()
    if lower == normalised or _NOT_ALNUM.sub("", lower) == _NOT_ALNUM.sub("", normalised):
        return False
    return not any(regex.sub(pattern, replacement, lower) == normalised for pattern, replacement in _SPELLING)


def load_check() -> SmsLanguage:
    data = tomllib.loads((REPO / "config" / "checks" / "sms_language.toml").read_text(encoding="utf-8"))
    check = SmsLanguage.from_data(data)
    assert isinstance(check, SmsLanguage)
    return check


def evaluate(split: str = "test") -> tuple[int, int, int, Counter, Counter]:
    """(true positives, false positives, false negatives, flagged tokens, wrongly flagged tokens)."""
    name = "test_truth.json" if split == "test" else "train_data.json"
    tweets = json.loads(dataset_file("wnut2015-lexnorm", name).read_text(encoding="utf-8"))
    check = load_check()
    tp = fp = fn = 0
    flagged: Counter = Counter()
    wrong: Counter = Counter()
    for number, tweet in enumerate(tweets):
        tokens, outputs = tweet["input"], tweet["output"]
        starts, position = {}, 0
        for i, token in enumerate(tokens):
            starts[position] = i
            position += len(token) + 1
        body = " ".join(tokens)
        if not body.strip():
            continue
        post = Post.model_validate({"id": f"wnut-{number}", "body": body, "language": "en"})
        doc = Document.from_post(post, max_body_chars=100_000, regex_timeout=0.25).with_language("en")
        predicted = {starts[span.start] for hit in check.check(doc) for span in hit.spans if span.start in starts}
        for i, (token, normalised) in enumerate(zip(tokens, outputs, strict=True)):
            if normalised == "" or (i + 1 < len(outputs) and outputs[i + 1] == ""):
                continue  # many-to-one spelling: out of the evaluation
            positive = is_positive(token, normalised)
            if i in predicted:
                flagged[token.lower()] += 1
                tp += positive
                fp += not positive
                if not positive:
                    wrong[f"{token.lower()} -> {normalised}"] += 1
            elif positive:
                fn += 1
    return tp, fp, fn, flagged, wrong


def rows() -> list[tuple[str, str, str, str]]:
    """(dataset, metric, modscreen value, published baseline) for the quality report."""
    tp, fp, fn, _, _ = evaluate("test")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return [
        (DATASET, "sms_language token precision", f"{precision:.3f}",
         "n/a for detection (normalisation P 0.906, NCSU_SAS_NING 2015)"),
        (DATASET, "sms_language token recall", f"{recall:.3f}",
         "n/a for detection (normalisation R 0.787, NCSU_SAS_NING 2015)"),
        (DATASET, "sms_language tokens TP/FP/FN", f"{tp}/{fp}/{fn}", "n/a"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("train", "test"), default="test")
    parser.add_argument("--per-token", action="store_true", help="list flagged and wrongly flagged tokens")
    args = parser.parse_args()
    if args.split == "test" and not args.per_token:
        for row in rows():
            print(" | ".join(row))
        return
    tp, fp, fn, flagged, wrong = evaluate(args.split)
    print(f"{args.split}: precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f} (TP {tp} FP {fp} FN {fn})")
    if args.per_token:
        print("most flagged:", flagged.most_common(60))
        print("wrongly flagged:", wrong.most_common(60))


if __name__ == "__main__":
    main()
