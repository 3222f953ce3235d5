"""Screen N posts in one process: posts/s, per-post latency, peak memory, time in each check.

    .venv/bin/python bench/throughput.py [--posts 10000] [--batch 256] [--latency-posts 1000]

Throughput is measured on the engine's batch path (how the worker screens); latency per post is
measured by screening posts one at a time (what a lone post waits) on a prefix of the corpus.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import build_posts  # noqa: E402
from config import DEFAULT_POLICY  # noqa: E402
from worker.assembly import build_engine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--latency-posts", type=int, default=1_000)
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


if __name__ == "__main__":
    main()
