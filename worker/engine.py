"""The engine: posts in, verdicts out. Runs every check on a batch, isolates failures, asks the policy.

Each check first gets the whole batch (classifiers vectorise it). If that call fails or
overruns, the check is run again post by post, so only the posts that break it are marked
as failed: a failure sends its post to review, never to approval, and never sinks the batch.
"""

from __future__ import annotations

import logging
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from worker.checks import Check
from worker.decision import decide
from worker.document import Document, content_hash
from worker.errors import CheckContractError, CheckTimeout
from worker.policy import Policy
from worker.types import CheckFailure, Evidence, Finding, Hit, Post, PostFormat, Verdict

logger = logging.getLogger(__name__)

LanguageDetector = Callable[[Sequence[Document]], list[str | None]]


@dataclass
class CheckTimings:
    """Seconds spent in each check, for benchmarks."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


class Engine:
    def __init__(
        self, checks: Sequence[Check], policy: Policy, detect_language: LanguageDetector | None = None
    ) -> None:
        self.checks = tuple(checks)
        self.policy = policy
        self.detect_language = detect_language
        self.timings = CheckTimings()
        self._loaded = False

    def with_policy(self, policy: Policy) -> Engine:
        """The same loaded checks under another policy (thresholds changed, checks did not)."""
        engine = Engine(self.checks, policy, self.detect_language)
        engine._loaded = self._loaded
        return engine

    def load(self) -> None:
        """Load every check's assets now (a missing model is a start-up error, not a per-post failure)."""
        for check in self.checks:
            check.load()
        self._loaded = True

    def screen(self, post: Post) -> Verdict:
        return self.screen_many([post])[0]

    def screen_many(self, posts: Sequence[Post]) -> list[Verdict]:
        if not self._loaded:
            self.load()
        failures: list[list[CheckFailure]] = [[] for _ in posts]
        docs = self._with_languages([self._document(post, failures[i]) for i, post in enumerate(posts)], failures)
        findings: list[list[Finding]] = [[] for _ in docs]
        ran: list[dict[str, Check]] = [{} for _ in docs]
        for check in self.checks:
            positions = [i for i, doc in enumerate(docs) if check.applies_to(doc)]
            started = time.perf_counter()
            for i, outcome in zip(positions, self._run(check, [docs[i] for i in positions]), strict=True):
                if isinstance(outcome, CheckFailure):
                    failures[i].append(outcome)
                else:
                    findings[i].extend(outcome)
                    ran[i][check.name] = check
            self.timings.add(check.name, time.perf_counter() - started)
        return [self._verdict(doc, findings[i], failures[i], ran[i]) for i, doc in enumerate(docs)]

    def _document(self, post: Post, failures: list[CheckFailure]) -> Document:
        limits = self.policy.limits
        try:
            return Document.from_post(post, max_body_chars=limits.max_body_chars, regex_timeout=limits.regex_timeout_seconds)
        except Exception:  # unreadable markup: screen the raw text instead, and make sure a human looks
            logger.exception("markup of post %s revision %s could not be read", post.id, post.revision)
            failures.append(self._failure_named("markup"))
            as_text = post.model_copy(update={"format": PostFormat.TEXT})
            return Document.from_post(as_text, max_body_chars=limits.max_body_chars, regex_timeout=limits.regex_timeout_seconds)

    def _with_languages(self, docs: list[Document], failures: list[list[CheckFailure]]) -> list[Document]:
        if self.detect_language is None:
            return [doc.with_language(doc.language_hint) for doc in docs]
        started = time.perf_counter()
        try:
            with _time_budget(self.policy.limits.check_seconds_per_post * len(docs)):
                languages = self.detect_language(docs)
        except Exception:  # fall back on the hints, and make sure a human looks
            logger.exception("language detection failed on a batch of %d posts", len(docs))
            languages = [doc.language_hint for doc in docs]
            for post_failures in failures:
                post_failures.append(self._failure_named("language_detection"))
        self.timings.add("language_detection", time.perf_counter() - started)
        return [doc.with_language(language) for doc, language in zip(docs, languages, strict=True)]

    def _run(self, check: Check, docs: list[Document]) -> list[list[Finding] | CheckFailure]:
        if not docs:
            return []
        budget = self.policy.limits.check_seconds_per_post
        try:
            with _time_budget(budget * len(docs)):
                batch = check.check_batch(docs)
            return [_findings(check, doc, hits) for doc, hits in zip(docs, batch, strict=True)]
        except Exception:  # one post may be at fault: retry one by one to isolate it
            if len(docs) > 1:
                return [self._run(check, [doc])[0] for doc in docs]
            logger.exception("check %s failed on post %s revision %s", check.name, docs[0].post.id, docs[0].post.revision)
            return [self._failure_named(check.name)]

    @staticmethod
    def _failure_named(name: str) -> CheckFailure:
        error = sys.exc_info()[1]
        return CheckFailure(name, f"{type(error).__name__}: {error}"[:500])

    def _verdict(self, doc: Document, findings: list[Finding], failures: list[CheckFailure], ran: dict[str, Check]) -> Verdict:
        decided = decide(self.policy, findings, failures, doc.language, {check.category for check in ran.values()})
        return Verdict(
            post_id=doc.post.id,
            revision=doc.post.revision,
            decision=decided.decision,
            language=doc.language,
            scores=decided.scores,
            reasons=decided.reasons,
            failures=tuple(failures),
            policy_version=self.policy.version,
            content_hash=content_hash(doc.post),
            checks={name: check.running_version for name, check in sorted(ran.items())},
            findings=tuple(findings),
            truncated=doc.truncated,
        )


def _findings(check: Check, doc: Document, hits: Sequence[Hit]) -> list[Finding] | CheckFailure:
    try:
        return [_finding(check, doc, hit) for hit in hits]
    except CheckContractError as error:
        logger.error("check %s broke its contract on post %s: %s", check.name, doc.post.id, error)
        return CheckFailure(check.name, f"CheckContractError: {error}")


def _finding(check: Check, doc: Document, hit: Hit) -> Finding:
    if hit.code not in check.codes:
        raise CheckContractError(f"undeclared code {hit.code!r}")
    if not (isinstance(hit.score, float | int) and math.isfinite(hit.score) and 0.0 <= hit.score <= 1.0):
        raise CheckContractError(f"score {hit.score!r} outside [0, 1]")
    evidence = []
    for span in hit.spans:
        field_text = doc.field(span.field)
        if field_text is None:
            raise CheckContractError(f"span {span} outside the {span.field}")
        # a span into set-aside text (code, quotes) is given in source offsets already
        limit = len(field_text.source) if span.in_source else len(field_text.text)
        if not 0 <= span.start <= span.end <= limit:
            raise CheckContractError(f"span {span} outside the {span.field}")
        start, end = (span.start, span.end) if span.in_source else field_text.to_source(span.start, span.end)
        evidence.append(Evidence(span.field, start, end, field_text.source[start:end]))
    return Finding(check.name, check.category, hit.code, float(hit.score), hit.message, tuple(evidence), hit.details)


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` where a signal can (the main thread); measure it elsewhere."""
    started = time.perf_counter()
    can_interrupt = threading.current_thread() is threading.main_thread() and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    if can_interrupt:
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if can_interrupt:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if time.perf_counter() - started > seconds:
        raise CheckTimeout(f"took longer than its budget of {seconds:.2f} s")


def _raise_timeout(signum: int, frame: object) -> None:
    raise CheckTimeout("exceeded its time budget")
