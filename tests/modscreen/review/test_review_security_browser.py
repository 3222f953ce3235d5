"""Issue 12 in a real browser (headless Debian Chromium, as test_review_browser.py): masks that
hold with thousands of addresses, and a page on another origin that navigates a signed-in
moderator into the app claims and releases nothing."""

from __future__ import annotations

import json

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from models.tables import ScreeningRow
from tests.modscreen.review.test_review_app import example_posts, seed
from tests.modscreen.review.test_review_browser import (  # noqa: F401 (browser, served and screening_engine are fixtures)
    Server, browser, item_id, new_page, screening_engine, served, sign_in_with_keyboard,
)
from worker.types import Post


def claims(store) -> dict[int, str]:
    with store.engine.connect() as db:
        return dict(db.execute(select(ScreeningRow.id, ScreeningRow.claimed_by)
                               .where(ScreeningRow.claimed_by.is_not(None))).all())


def test_when_a_post_holds_4000_addresses_then_none_is_visible_in_the_browser(browser, served):
    body = "Export of the agents' directory, as requested:\n" + "\n".join(
        f"{n:04d};agent{n}@acme-callcentre.fr;Queue {n % 12}" for n in range(4000))
    ids = seed(served["store"], served["engine"], served["redis"],
               [Post(id="dump-4000", title="Agents directory", body=body, language="en")])
    page = new_page(browser, served["server"])
    sign_in_with_keyboard(page, "alice")
    page.goto(f"/review/items/{ids['dump-4000']}")
    shown = page.locator("body").inner_text()
    assert "@acme-callcentre.fr" not in shown and "agent3999" not in shown and "agent0@" not in shown
    assert page.locator("#post-body .mask").count() >= 1
    assert "@acme-callcentre.fr" not in page.locator("#post-body").inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


def attacker_app() -> Starlette:
    """Another origin (same host, another port): its page sends the visitor's browser to `to`."""

    async def attack(request: Request) -> HTMLResponse:
        target = json.dumps(request.query_params["to"])
        return HTMLResponse(f"<!doctype html><title>cute cats</title><script>location.href = {target};</script>")

    return Starlette(routes=[Route("/attack", attack)])


def test_when_another_origin_navigates_a_moderator_into_the_app_then_nothing_is_claimed_or_released(browser, served):
    store = served["store"]
    ids = seed(store, served["engine"], served["redis"], example_posts())
    held, target = ids["en-multi-1"], ids["fr-multi-1"]
    page = new_page(browser, served["server"])
    sign_in_with_keyboard(page, "alice")
    page.goto(f"/review/items/{held}")  # typed or bookmarked: shown, not claimed
    assert claims(store) == {}
    page.keyboard.press("c")  # the claim key: a form POST
    page.locator("#claim").wait_for()
    assert claims(store) == {held: "alice"}
    app = served["server"].url
    with Server(attacker_app()) as attacker:
        for path in (f"/review/items/{target}", f"/review/next?after={held}", f"/review/next?after={held}&step=-1"):
            page.goto(f"{attacker.url}/attack?to={app}{path}")
            page.wait_for_url(f"{app}/review/items/**")
            page.wait_for_timeout(800)  # time for any script on the page to act
            assert page.locator("#claim-button").count() in (0, 1) and page.locator("#approve").count() == 0, path
            assert claims(store) == {held: "alice"}, path
    page.goto(f"/review/items/{target}")
    page.keyboard.press("c")
    page.locator("#claim").wait_for()
    assert claims(store) == {held: "alice", target: "alice"} and item_id(page) == target
    assert page.errors == []  # type: ignore[attr-defined]
