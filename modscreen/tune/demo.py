"""`modscreen demo seed`: screened EN/FR posts and simulated moderator decisions, to try the tools at once.

Deterministic (seeded). Posts come from ``modscreen/tune/corpus.py`` (the public datasets in the
datasets folder, ``MODSCREEN_DATASETS``; the shipped examples when it is missing), spread over the last
``days`` days, and are screened by the real engine under a demo live policy (the policy file
recorded as live policy version `<version>+demo`). A simulated moderator
decides ``decided_share`` of the posts sent to review or rejected and a random
quality-control sample (``qc_share``) of auto-approved posts: a post is truly bad for a
category with a probability that grows with its score (so the moderator mostly agrees with
high scores and sometimes overturns), and a few decisions are escalations.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.seed_store import SeededDecision, SeedStore
from models.store import Store
from worker.categories import reject_reason, severity_rank

REPO = Path(__file__).resolve().parents[2]
MODERATORS = ("alice", "bruno", "chloe")
DEMO_AUTHOR = "modscreen demo"


@dataclass(frozen=True)
class SeedReport:
    posts: int
    screened: dict[str, int]
    decisions: dict[str, int]
    policy_version: str


def demo_posts(count: int, seed: int) -> list:
    from modscreen.tune.corpus import build_posts
    from training.datasets import DatasetMissing
    from worker.types import Post

    try:
        posts = build_posts(count, seed=seed)
    except DatasetMissing:  # no datasets folder: variations of the shipped examples
        lines = (REPO / "examples" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
        examples = []
        for line in lines:
            try:
                record = json.loads(line)
                examples.append(Post.model_validate(record))
            except (ValueError, TypeError):
                continue
        posts = [examples[i % len(examples)].model_copy(update={"id": f"demo-{i}-{examples[i % len(examples)].id}"})
                 for i in range(count)]
    return [post.model_copy(update={"id": f"demo-{seed}-{post.id}"[:128]}) for post in posts]


def demo_policy_text(policy_path: Path) -> str:
    from modscreen.tune.policies import apply_edits
    from worker.assembly import load_policy_text

    text = policy_path.read_text(encoding="utf-8")
    version = load_policy_text(text).version
    return apply_edits(text, [], version=f"{version}+demo")


def seed_demo(engine, policy_path: Path, posts: int = 500, seed: int = 7, days: int = 14,
              decided_share: float = 0.9, qc_share: float = 0.2) -> SeedReport:
    from models.policy_store import PolicyStore
    from modscreen.policy_lifecycle import PolicyLifecycle
    from queues.handlers import screen_revisions
    from queues.publish import InMemoryPublisher
    from worker.assembly import build_engine_from_text, load_policy_text

    rng = random.Random(seed)
    text = demo_policy_text(policy_path)
    policy = load_policy_text(text)
    # the policy lifecycle every operator goes through: the file recorded as the baseline, the demo version live
    PolicyLifecycle(PolicyStore(engine), policy_path).apply(text, "demo policy", DEMO_AUTHOR, "demo seed")
    screening = build_engine_from_text(text, policy_path.parent / "checks")
    screening.load()
    store = Store(engine)
    batch = demo_posts(posts, seed)
    acceptances = store.accept(batch, client="demo")
    ids = [a.revision_id for a in acceptances if a.status == "accepted"]
    now = datetime.now(UTC)
    seeds = SeedStore(engine)
    # spread arrivals over the last `days` days
    seeds.backdate_arrivals({revision_id: now - timedelta(seconds=rng.uniform(0, days * 86400 - 3600))
                             for revision_id in ids})
    for start in range(0, len(ids), 100):  # published in memory only: the demo needs no Redis
        screen_revisions(ids[start:start + 100], engine=screening, store=store, publisher=InMemoryPublisher())
    screened: dict[str, int] = {}
    decided: dict[str, int] = {}
    decisions = []
    for row in seeds.live_screenings(ids):
        screened[row.decision] = screened.get(row.decision, 0) + 1
        share = qc_share if row.decision == "approve" else decided_share
        if rng.random() >= share:
            continue
        decision, reason = simulated_decision(row.scores, rng)
        decided[decision] = decided.get(decision, 0) + 1
        at = row.received_at + timedelta(minutes=rng.uniform(5, 600))
        decisions.append(SeededDecision(row.id, row.post_id, rng.choice(MODERATORS), decision, reason,
                                        "quality-control sample" if row.decision == "approve" else None, min(at, now)))
    seeds.record_decisions(decisions)
    return SeedReport(len(batch), screened, decided, policy.version)


def simulated_decision(scores: dict[str, float], rng: random.Random) -> tuple[str, str | None]:
    """A moderator who mostly agrees with high scores: each category is truly bad with probability
    score^2 (a score of 0.9 is right 81% of the time, 0.3 only 9%; below 0.2, 0.5%)."""
    if rng.random() < 0.03:
        return "escalate", None
    bad = [(score, category) for category, score in scores.items()
           if rng.random() < (float(score) ** 2 if score >= 0.2 else 0.005)]
    if not bad:
        return "approve", None
    # a moderator gives the gravest reason that applies
    category = min(bad, key=lambda pair: severity_rank(pair[1]))[1]
    return "reject", reject_reason(category)

