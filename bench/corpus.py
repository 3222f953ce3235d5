"""The benchmarks' corpus: forum-like EN/FR posts (built in modscreen/tune/corpus.py, which the demo uses too)."""

from modscreen.tune.corpus import build_posts

__all__ = ["build_posts"]
