from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from worker.assembly import build_check, load_registered_policy
from worker.checks import Check, registered_checks
from worker.community import CommunityProfile, load_community
from worker.document import Document
from worker.policy import Policy
from worker.types import Post

pytest_plugins = ["tests.services"]  # real PostgreSQL and Redis for models/, queues/ and modscreen/

REPO = Path(__file__).resolve().parents[1]
POLICY_PATH = REPO / "config" / "policy.toml"
COMMUNITY_PATH = REPO / "config" / "community.toml"
# The tests never read the public datasets (a user's clone has none): point their setting at an
# empty folder, so a test that reaches for them fails here as it would there (.ci/run does the same).
os.environ["MODSCREEN_DATASETS"] = tempfile.mkdtemp(prefix="modscreen-no-datasets-")
FILE_POLICY_VERSION = tomllib.loads(POLICY_PATH.read_text(encoding="utf-8"))["version"]
# the shipped policy's regex timeout (wall-clock): a stricter one makes tests fail on a busy machine
REGEX_TIMEOUT = tomllib.loads(POLICY_PATH.read_text(encoding="utf-8"))["limits"]["regex_timeout_seconds"]


# A filled-in community profile, as an operator of another product would write config/community.toml.
ACME_COMMUNITY = """
names = ["Acme Helpdesk", "AcmeVoice"]
brands = ["acme-help"]
domains = ["acme-help.com", "acmevoice.io"]
addresses = ["assistance@acme-help.com"]
phones = ["+44 20 7946 0123", "01 84 88 12 34"]
languages = ["en", "fr", "de"]
"""


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_registered_policy(POLICY_PATH)


@pytest.fixture(scope="session")
def community() -> CommunityProfile:
    """The shipped community profile (the ContactFlow placeholder), as the assembly reads it."""
    return load_community(COMMUNITY_PATH)


class _ChecksByName(dict):
    """Builds each check on first use, so one broken check's data fails only its own tests."""

    def __init__(self, policy: Policy, community: CommunityProfile) -> None:
        super().__init__()
        self.policy, self.community = policy, community

    def __missing__(self, name: str) -> Check:
        self[name] = build_check(registered_checks()[name], POLICY_PATH.parent / "checks",
                                 self.policy.limits.regex_timeout_seconds, self.community)
        return self[name]


@pytest.fixture(scope="session")
def checks(policy: Policy, community: CommunityProfile) -> dict[str, Check]:
    return _ChecksByName(policy, community)


def make_doc(body: str, *, title: str | None = None, post_format: str = "text", language: str | None = "en",
             reply_to: str | None = None, topic_title: str | None = None) -> Document:
    post = Post.model_validate(
        {"id": "p1", "body": body, "title": title, "format": post_format, "language": language,
         "reply_to": reply_to, "topic_title": topic_title, "topic_id": "t1" if reply_to else None}
    )
    return Document.from_post(post, max_body_chars=100_000, regex_timeout=REGEX_TIMEOUT).with_language(language)


@pytest.fixture(scope="session")
def run_check(checks: dict[str, Check]) -> Callable[..., list]:
    """run_check("name", body, **doc_options) -> the hits, after the check has loaded."""

    def run(name: str, body: str, **options: object) -> list:
        check = checks[name]
        check.load()
        doc = make_doc(body, **options)
        if not check.applies_to(doc):
            return []
        return check.check_batch([doc])[0]

    return run


def evidence_texts(doc: Document, hits: list) -> list[str]:
    """The submitted text under every span of every hit, in order."""
    texts = []
    for hit in hits:
        for span in hit.spans:
            field = doc.field(span.field)
            start, end = (span.start, span.end) if span.in_source else field.to_source(span.start, span.end)
            texts.append(field.source[start:end])
    return texts


def single_hit(run_check, name: str, body: str, **options) -> tuple[str, float, list[str]] | None:
    """(code, score, evidence texts) of the one hit a check reports on the body, or None when it reports none."""
    hits = run_check(name, body, **options)
    if not hits:
        return None
    [hit] = hits
    return hit.code, hit.score, evidence_texts(make_doc(body, **options), hits)


def all_registered() -> dict[str, type[Check]]:
    return registered_checks()
