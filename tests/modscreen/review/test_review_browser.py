"""The review app in a real browser: Debian's Chromium, headless, driven by Playwright.

The app is served by uvicorn on a free port, on PostgreSQL and a private Redis. The tests sign
in, work the queue with the keyboard, check that hostile posts stay inert, and take the README's
screenshots (see ``screenshot``).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from models.db import make_engine
from models.store import Store
from modscreen.review.accounts import Accounts
from tests.services import free_port
from tests.modscreen.review.test_review_app import (  # noqa: F401 (screening_engine is a fixture)
    HOSTILE_BODY, PASSWORD, example_posts, make_app, mixed_posts, moderator_events, screening_engine, seed,
)
from worker.types import Post

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
# digits that change from run to run (ids, ages, clock times) are not what a screenshot is about
_VOLATILE = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b|\b\d+ ?(s|sec|min|minutes?|h|hours?|d|days?)\b( ago)?|#\d+|\bjust now\b|\b\d{4}-\d{2}-\d{2}\b")

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: the browser tests must run in CI (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


class Server:
    """uvicorn in a background thread, on a free port of 127.0.0.1."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def served(postgres_url, redis_server, screening_engine):
    engine = make_engine(postgres_url)
    store = Store(engine)
    accounts = Accounts(engine)
    for name in ("alice", "bob"):
        accounts.add(name, PASSWORD, "moderator", "test")
    with Server(make_app(store, redis_server)) as server:
        yield {"server": server, "store": store, "redis": redis_server, "engine": screening_engine}
    engine.dispose()


def new_page(browser, server: Server):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.dialogs, page.errors = dialogs, errors  # type: ignore[attr-defined]
    return page


def sign_in_with_keyboard(page, username: str) -> None:
    page.goto("/review/signin")
    # the username field has focus (autofocus); wait for it, or a busy machine types into nothing
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review/queue"))


def screenshot(page, name: str) -> None:
    """Take one of the README's screenshots, so the pictures cannot drift from the product.

    Each docs/screenshots/<name>.png has a <name>.txt beside it: the page's visible text when it
    was taken. Normally the test compares the page's text now with it and fails on a difference,
    naming the command that refreshes both (`make screenshots`, which sets MODSCREEN_SCREENSHOTS).
    """
    text = _VOLATILE.sub("…", "\n".join(line.strip() for line in page.inner_text("body").splitlines() if line.strip()))
    target = os.environ.get("MODSCREEN_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"))
        (Path(target) / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        return
    committed = SCREENSHOTS / f"{name}.txt"
    assert committed.exists() and committed.read_text(encoding="utf-8") == text + "\n", (
        f"docs/screenshots/{name}.png no longer shows what the product shows: run `make screenshots` and commit")


def item_id(page) -> int:
    return int(re.search(r"/review/items/(\d+)", page.url).group(1))


def test_a_moderator_rejects_a_claimed_item_by_keyboard_and_a_colleague_is_served_another(browser, served):
    ids = seed(served["store"], served["engine"], served["redis"], example_posts())
    alice = new_page(browser, served["server"])
    sign_in_with_keyboard(alice, "alice")
    assert alice.locator("tr.queue-row").count() >= 10
    assert alice.locator("tr.queue-row .badge.cat-personal_data").count() >= 2
    screenshot(alice, "queue")

    alice.click(f'a.open[href^="/review/items/{ids["en-ad-1"]}?"]')
    alice.wait_for_url(re.compile(rf"/review/items/{ids['en-ad-1']}\b"))
    assert "claimed by you" in alice.locator("#claim").inner_text()
    marks = alice.locator("#post-body mark.cat-advertising")
    assert marks.count() >= 4 and marks.first.is_visible()
    assert alice.locator("#post-body mark.cat-links").count() == 1
    assert "advertising 0.87 — sends to review at 0.50 or above" in alice.locator(".reasons").inner_text()
    screenshot(alice, "item")

    alice.keyboard.press("r")
    assert alice.evaluate("document.activeElement.id") == "reason"
    assert alice.locator("#reason").input_value() == "advertising"
    alice.keyboard.press("Enter")
    alice.wait_for_url(lambda url: f"/review/items/{ids['en-ad-1']}" not in url)
    [event] = moderator_events(served["redis"])
    assert (event["post_id"], event["decision"], event["reason_code"], event["moderator"]) == (
        "en-ad-1", "reject", "advertising", "alice")

    held_by_alice = item_id(alice)
    bob = new_page(browser, served["server"])
    sign_in_with_keyboard(bob, "bob")
    bob.keyboard.press("n")
    bob.wait_for_url(re.compile(r"/review/items/\d+"))
    assert item_id(bob) != held_by_alice
    bob.goto(f"/review/items/{held_by_alice}")
    assert "alice is reviewing this item" in bob.locator("#taken").inner_text()
    assert bob.locator("#approve").count() == 0
    assert alice.dialogs == bob.dialogs == [] and alice.errors == bob.errors == []  # type: ignore[attr-defined]


def test_a_queue_is_cleared_with_the_keyboard_alone(browser, served):
    seed(served["store"], served["engine"], served["redis"], mixed_posts(24))
    page = new_page(browser, served["server"])
    sign_in_with_keyboard(page, "alice")
    waiting = page.locator("tr.queue-row").count()
    assert waiting >= 18
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/review/items/\d+"))
    decided = []
    while len(decided) <= waiting:
        if "/review/queue" in page.url:
            break
        current = item_id(page)
        decided.append(current)
        if len(decided) % 2:
            page.keyboard.press("a")
        else:
            other = page.locator("#reason").input_value() == "other"
            page.keyboard.press("r")
            page.keyboard.press("Enter")
            if other:  # "other" needs a note: Enter moved the focus there; type it, Ctrl+Enter rejects
                page.keyboard.type("not in a supported language")
                page.keyboard.press("Control+Enter")
        page.wait_for_url(lambda url, current=current: f"/review/items/{current}?" not in url)
    assert "Queue cleared" in page.locator(".notice").inner_text()
    assert len(decided) == len(set(decided)) == waiting
    assert len(moderator_events(served["redis"])) == waiting
    assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]


def test_hostile_posts_render_inert(browser, served):
    hostile = [
        Post(id="hostile-html", title="<b onmouseover=\"window.pwned='title'\">Help</b>", body=HOSTILE_BODY,
             format="html", language="en"),
        Post(id="hostile-md", body="[click me](javascript:window.pwned='md') <style>body{display:none}</style> "
                                   "<svg onload=\"window.pwned='svg'\"></svg> \u2066abc\u2069 ok",
             format="markdown", title="Export fails", language="en"),
    ]
    ids = seed(served["store"], served["engine"], served["redis"], hostile)
    page = new_page(browser, served["server"])
    sign_in_with_keyboard(page, "alice")
    for post_id in ("hostile-html", "hostile-md"):
        page.goto(f"/review/items/{ids[post_id]}")
        body = page.locator("#post-body")
        title = page.locator(".post-title").first
        title.hover()
        if body.locator("text=click").count():
            body.locator("text=click").first.click()
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert body.locator("script, img, a, svg, style, iframe").count() == 0
        shown = body.inner_text()
        if post_id == "hostile-html":
            assert "<script>window.pwned=1;alert(1)</script>" in shown
            assert '<img src=x onerror="window.pwned=2">' in shown
            assert '<span style="display:none">hidden text</span>' in shown and body.locator("text=hidden text").is_visible()
            assert "[RLO]" in shown and "\u202e" not in shown
            assert "<b onmouseover" in title.inner_text()
        else:
            assert "javascript:window.pwned='md'" in shown and "<style>body{display:none}</style>" in shown
            assert "[LRI]abc[PDI]" in shown
        assert page.locator("body").is_visible()
    assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]
