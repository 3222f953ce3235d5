"""The analysts' pages in a real browser (Debian's Chromium, headless, via Playwright), on PostgreSQL.

An analyst who has never seen the pages answers "if I lower the hate-speech review threshold to
0.6, how many more posts will moderators see per day and how much more will we catch?" from one
page, proposes the answer as a candidate policy, and an admin makes it live. The test refreshes
docs/screenshots/analytics.png (see `screenshot`).
"""

from __future__ import annotations

import random
import re

import pytest

from models.db import make_engine
from models.policy_store import PolicyStore
from models.store import Store
from modscreen.review.accounts import Accounts
from modscreen.tune.policies import apply_edits, parse_edit
from tests.conftest import POLICY_PATH
from tests.modscreen.review.test_review_browser import (
    CHROMIUM, CHROMIUM_ARGS, PASSWORD, Server, new_page, screenshot, sign_in_with_keyboard, sync_api,
)
from tests.modscreen.review.test_review_app import make_app
from tests.modscreen.tune.test_tune_figures import seed as seed_rows

LIVE = "2026.11.27-2"
"""The live policy of this story: the policy file with hate_speech review_at 0.7."""


def story_rows(count: int, rng: random.Random) -> list[tuple]:
    """A week of posts under the live policy (hate_speech review 0.7, reject 0.9): moderators decide what is
    flagged and a 15% quality-control sample of the rest; a post is truly hateful more often the higher it scores."""
    rows = []
    for i in range(count):
        hate = round(min(0.99, rng.betavariate(0.7, 2.2)), 3)
        decision = "reject" if hate >= 0.9 else "review" if hate >= 0.7 else "approve"
        hateful = rng.random() < hate ** 1.5
        decided = decision != "approve" or rng.random() < 0.15
        moderator = ("reject" if hateful else "approve") if decided else None
        rows.append((hate, 0.0, decision, moderator, "hate_speech" if moderator == "reject" else None, i % 7))
    return rows


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def served(postgres_url):
    engine = make_engine(postgres_url)
    store = Store(engine)
    rng = random.Random(7)
    seed_rows(store, story_rows(420, rng), "en", "en-")
    seed_rows(store, story_rows(280, rng), "fr", "fr-")
    text = apply_edits(POLICY_PATH.read_text(), [parse_edit("hate_speech.review_at=0.7")], version=LIVE)
    policies = PolicyStore(engine)
    policies.record(LIVE, text, "ada", "fewer reviews during the holidays")
    policies.set_status(LIVE, "live", "ada", "fewer reviews during the holidays")
    accounts = Accounts(engine)
    accounts.add("ann", PASSWORD, "analyst", "test")
    accounts.add("ada", PASSWORD, "admin", "test")

    with Server(make_app(store, _Unused())) as server:
        yield {"server": server, "store": store, "policies": policies}
    engine.dispose()


class _Unused:
    url = "redis://127.0.0.1:1/0"

    def client(self):
        import redis

        return redis.Redis(port=1, socket_connect_timeout=0.1)


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"{message.text} {message.location.get('url')}")
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico") else None)
    return problems


def test_an_analyst_answers_the_headline_question_proposes_it_and_an_admin_makes_it_live(chromium, served):
    ann = new_page(chromium, served["server"])
    console = watch_console(ann)
    sign_in_with_keyboard(ann, "ann")
    ann.get_by_role("link", name="Analytics").click()
    ann.wait_for_url(re.compile(r"/review/analytics$"))
    assert "700 screenings over 7 day(s)" in ann.locator("main").inner_text()
    ann.locator("table.report a", has_text="hate speech").first.click()
    ann.wait_for_url(re.compile(r"/review/analytics/hate_speech"))
    headline = ann.locator(".headline")
    assert "+0.0 posts/day to review" in headline.inner_text()  # the slider starts at the live review_at, 0.7
    assert ann.locator("#review-at-value").inner_text() == "0.70"

    slider = ann.locator("#review-at")
    slider.focus()
    for _ in range(10):  # ten steps of 0.01 down, with the keyboard, as anyone moves a slider
        ann.keyboard.press("ArrowLeft")
    assert ann.locator("#review-at-value").inner_text() == "0.60"
    expected = ann.request.get("/review/analytics/hate_speech/slider?review_at=0.6").json()
    display = expected["display"]
    ann.wait_for_function("([el, text]) => el.textContent === text",
                          arg=[ann.locator("[data-field=queue_change]").element_handle(), display["queue_change"]])
    more = expected["at_threshold"]["review_per_day"] - expected["at_current"]["review_per_day"]
    assert more > 0 and display["queue_change"].startswith(f"+{more:.1f} posts/day to review")
    assert expected["at_threshold"]["recall"]["value"] > expected["at_current"]["recall"]["value"]
    for field in ("recall_change", "caught_change", "precision", "recall", "queue"):
        assert ann.locator(f"[data-field={field}]").first.inner_text() == display[field]
    assert ann.locator("#propose-review-at").input_value() == "0.6"
    screenshot(ann, "analytics")
    assert ann.locator(".sweep img").evaluate("img => img.complete && img.naturalWidth > 600")

    ann.get_by_label("Why").fill("catch more hate speech: +%.1f posts/day is affordable" % more)
    ann.get_by_role("button", name="Propose as candidate policy").click()
    ann.wait_for_url(re.compile(r"/review/policies/.+\?proposed=1"))
    assert "Stored as a candidate policy" in ann.locator(".notice").inner_text()
    assert "+review_at = 0.6" in ann.locator("pre.diff").inner_text()
    [candidate] = [v for v in served["policies"].versions() if v.status == "candidate"]
    assert candidate.author == "ann" and candidate.version.startswith(LIVE + "+tune.")
    assert ann.locator("#activate").count() == 0  # analysts propose; admins activate

    ada = new_page(chromium, served["server"])
    sign_in_with_keyboard(ada, "ada")
    ada.get_by_role("link", name="Policies").click()
    ada.get_by_role("link", name=candidate.version).click()
    ada.get_by_role("button", name="Make this version live").click()
    ada.wait_for_url(re.compile(r"\?activated=1"))
    assert ada.locator("#policy-status").inner_text() == "live"
    assert served["policies"].live().version == candidate.version
    assert served["policies"].get(LIVE).status == "retired"
    assert ann.errors == ada.errors == [] and console == []  # type: ignore[attr-defined]  # no CSP violation

    # without JavaScript the same page answers too: the slider's form recomputes on the server
    context = chromium.new_context(java_script_enabled=False, base_url=served["server"].url)
    plain = context.new_page()
    plain.goto("/review/signin")
    plain.get_by_label("Username").fill("ann")
    plain.get_by_label("Password").fill(PASSWORD)
    plain.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    plain.goto("/review/analytics/hate_speech?review_at=0.5")
    plain.get_by_role("button", name="Show the figures for this value").click()
    assert "review_at=0.5" in plain.url and "versus the current review_at 0.6" in plain.locator(".headline").inner_text()
    context.close()
