"""The analysts' pages over HTTP, on SQLite and PostgreSQL: report, sweep, slider, proposals, activation.

The store is the one of test_tune_figures (12 English posts over 2 days, known hate_speech scores
and moderator labels; the policy file: hate_speech review_at 0.5, reject_at 0.9), so every
figure a page shows is checked against the tune module and, where it matters, a hand count.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from config.settings import load_settings
from models.analytics_store import AnalyticsStore
from models.policy_store import PolicyStore
from models.tables import AuditEventRow
from modscreen.api import create_app
from modscreen.review.accounts import Accounts
from modscreen.tune.labels import build_dataset
from modscreen.tune.policies import apply_edits, parse_edit
from modscreen.tune.report import build_report
from modscreen.tune.sweep import SliderData, sweep
from tests.conftest import FILE_POLICY_VERSION, POLICY_PATH
from tests.modscreen.review.test_review_app import PASSWORD, csrf, signed_in
from tests.modscreen.tune.test_tune_figures import seed as seed_known_store
from worker.assembly import load_policy_text

USERS = {"alice": "moderator", "ann": "analyst", "ada": "admin"}
FILE_VERSION = FILE_POLICY_VERSION
# the page figures were worked out for hate_speech at 0.5 / 0.9: pin them, whatever the shipped policy says
FIGURES_POLICY = apply_edits(POLICY_PATH.read_text(), [parse_edit("hate_speech.review_at=0.5"),
                                                      parse_edit("hate_speech.reject_at=0.9")], version=FILE_VERSION)


@pytest.fixture
def policy_file(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(POLICY_PATH.parent / "checks", folder / "checks")
    shutil.copy(POLICY_PATH.parent / "community.toml", folder / "community.toml")
    (folder / "policy.toml").write_text(FIGURES_POLICY)
    return folder / "policy.toml"


@pytest.fixture
def env(store, policy_file):
    seed_known_store(store)
    accounts = Accounts(store.engine)
    for name, role in USERS.items():
        accounts.add(name, PASSWORD, role, "test")
    app = create_app(store, settings=load_settings(redis_url="redis://127.0.0.1:1/0", policy_path=policy_file),
                     broker=redis.Redis(port=1, socket_connect_timeout=0.1))
    with TestClient(app) as ann, TestClient(app) as ada, TestClient(app) as alice:
        yield {"store": store, "app": app, "ann": signed_in(ann, "ann"), "ada": signed_in(ada, "ada"),
               "alice": signed_in(alice, "alice")}


def tune_figures(store, policy=None):
    analytics = AnalyticsStore(store.engine)
    screenings = analytics.screenings()
    dataset = build_dataset(screenings, analytics.decisions([s.revision_id for s in screenings]))
    return dataset, policy or load_policy_text(FIGURES_POLICY)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&lt;", "<").replace("&gt;", ">")


def propose(client: TestClient, review_at="0.3", reject_at="0.9", category="hate_speech", token=None, **extra):
    page = client.get(f"/review/analytics/{category}")
    data = {"csrf_token": csrf(page.text) if token is None else token, "review_at": review_at,
            "reject_at": reject_at, "scope": "", "message": "catch more hate speech", **extra}
    return client.post(f"/review/analytics/{category}/propose", data=data, follow_redirects=False)


# ---- the report ---------------------------------------------------------------------------------

def test_the_report_shows_the_tune_figures_per_category_and_language_with_filters(env):
    page = env["ann"].get("/review/analytics")
    assert page.status_code == 200
    report = build_report(*tune_figures(env["store"]))
    hate = next(row for row in report.rows if row.category == "hate_speech")
    row_html = re.search(r'<tr class="small">\s*<td><a href="/review/analytics/hate_speech\?">.*?</tr>', page.text,
                         re.S).group(0)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)]
    assert cells == ["hate speech", "en", "0.5 / 0.9", "8 * (<30 labels) (4)", hate.acting.precision.short(),
                     hate.acting.recall.short(), "50.0%", hate.rejecting.precision.short(),
                     f"1/2 {hate.overturn_rate.short()}"]
    assert hate.acting.precision.short() == "50% [19–81]*"  # 3 of 6 flagged labels (the QC miss weighs 3)
    text = text_of(page.text)
    assert "12 screenings over 2 day(s), 8 labelled" in text
    assert "en 6 4 2 3 5 1 2 of 6 (33.3%)" in text                  # automatic and moderator volumes, QC rate
    assert "2026-11-20 1 1 2026-11-21 3 3 Mean per day 2.0 2.0" in text  # posts sent to review per day
    only = text_of(env["ann"].get("/review/analytics?category=offensive").text)
    assert "offensive" in only and "hate speech en" not in only
    later = text_of(env["ann"].get("/review/analytics?since=2026-11-21").text)
    assert "6 screenings over 1 day(s)" in later
    french = env["ann"].get("/review/analytics?language=fr")
    assert "No labelled screenings match these filters" in french.text
    bad = env["ann"].get("/review/analytics?since=yesterday")
    assert bad.status_code == 422 and "since: &#39;yesterday&#39; is not a date" in bad.text


# ---- the sweep page and its slider --------------------------------------------------------------

def test_the_slider_json_is_the_tune_modules_figures_plus_the_sentences_shown(env):
    dataset, policy = tune_figures(env["store"])
    data = SliderData(dataset, policy, "hate_speech")
    for threshold in ("0.6", "0.3", "0.55", "1", "0"):
        answer = env["ann"].get(f"/review/analytics/hate_speech/slider?review_at={threshold}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
        body = answer.json()
        display = body.pop("display")
        assert body == json.loads(json.dumps(data.slider(float(threshold))))
    body = env["ann"].get("/review/analytics/hate_speech/slider?review_at=0.3").json()
    assert body["at_threshold"]["review_per_day"] == 3.5 and body["at_current"]["review_per_day"] == 2.0
    assert body["display"]["queue_change"] == "+1.5 posts/day to review (2.0 → 3.5)"
    assert body["display"]["recall_change"] == "recall 0.50 → 1.00"
    assert body["display"]["precision_change"] == "precision 0.50 → 0.67"
    assert body["display"]["caught_change"] == "caught 1.50 → 3.00/day (+1.50, estimated)"  # as tune whatif says
    assert body["display"]["small"].startswith("fewer than 30 labels (8)")
    six = env["ann"].get("/review/analytics/hate_speech/slider?review_at=0.6").json()["display"]
    assert (six["precision"], six["queue"]) == ("60.0% [23.1–88.2] (<30 labels: 5)", "2.0 posts/day")
    assert display["above_reject"] == ""
    for bad, message in (("2", "review_at: 2 is outside [0, 1]"), ("x", "is not a number"), ("", "give a value"),
                         ("nan", "outside [0, 1]")):
        refused = env["ann"].get(f"/review/analytics/hate_speech/slider?review_at={bad}")
        assert refused.status_code == 422 and message in refused.json()["error"]


def test_the_sweep_page_shows_table_targets_recommendation_picture_and_works_without_script(env):
    client = env["ann"]
    page = client.get("/review/analytics/hate_speech?reject_precision=0.95&review_recall=0.9&review_at=0.3")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "review_at 0.5 , reject_at 0.9 · 12 screenings over 2 day(s), 8 labelled (<30 labels) , 4 positive" in text
    assert re.search(r'id="recommended-review-at">0.3<', page.text)
    assert re.search(r'id="recommended-reject-at">0.93<', page.text)
    # no script needed: the slider's form recomputes server-side and shows the same sentences
    assert '<input type="range" id="review-at" name="review_at" min="0" max="1" step="0.01" value="0.3">' in page.text
    assert "<noscript><button type=\"submit\">" in page.text
    assert "+1.5 posts/day to review (2.0 → 3.5)" in text and "recall 0.50 → 1.00" in text
    row = re.search(r'<tr class="marked"><td class="num"><a [^>]*>0.30</a>.*?</tr>', page.text, re.S).group(0)
    at = sweep(*tune_figures(env["store"]), "hate_speech").at(0.3)
    assert text_of(row).split() == ["0.30", *at.precision.short().split(), *at.recall.short().split(), "80.0%", "3.5",
                                    "4.5", "4.5", "recommended", "review_at,", "slider"]
    assert at.precision.short() == "67% [29–91]*" and at.review_per_day == 3.5  # 2 of 3 (weighted 6 of 9)
    assert 'data-url="/review/analytics/hate_speech/slider?"' in page.text
    assert '<script src="/review/static/analytics.js" defer></script>' in page.text
    assert "<script>" not in page.text and " style=" not in page.text and " on" + "input=" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    image = re.search(r'<img src="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    png = client.get(image)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n") and len(png.content) > 10_000
    assert client.get(image).content == png.content  # cached briefly: the same picture
    script = client.get("/review/static/analytics.js")
    assert script.status_code == 200 and "/slider" not in script.text  # the URL comes from the page
    assert client.get("/review/analytics/spam").status_code == 404
    assert client.get("/review/analytics/hate_speech?review_at=7").status_code == 422


def test_navigation_links_the_pages_for_analysts_and_admins_only(env):
    for name in ("ann", "ada"):
        page = env[name].get("/review/queue")
        assert 'href="/review/analytics"' in page.text and 'href="/review/policies"' in page.text
    assert 'href="/review/analytics"' not in env["alice"].get("/review/queue").text


# ---- refusals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/review/analytics", "/review/analytics/hate_speech", "/review/policies",
                                  "/review/analytics/hate_speech/slider?review_at=0.6",
                                  "/review/analytics/hate_speech/sweep.png", f"/review/policies/{FILE_VERSION}"])
def test_moderators_are_refused_and_signed_out_visitors_sent_to_sign_in(env, path):
    refused = env["alice"].get(path)
    assert refused.status_code == 403 and "needs: analyst or admin" in refused.text
    with TestClient(env["app"]) as anonymous:
        assert anonymous.get(path, follow_redirects=False).headers["location"].startswith("/review/signin")


def test_a_moderator_cannot_propose_and_no_form_works_without_its_csrf_token(env):
    token = csrf(env["alice"].get("/review/queue").text)
    refused = env["alice"].post("/review/analytics/hate_speech/propose",
                                data={"csrf_token": token, "review_at": "0.3"}, follow_redirects=False)
    assert refused.status_code == 403
    no_token = env["ann"].post("/review/analytics/hate_speech/propose", data={"review_at": "0.3"})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    wrong = propose(env["ann"], token="forged")
    assert wrong.status_code == 403
    assert PolicyStore(env["store"].engine).versions() == []


# ---- proposing and activating -------------------------------------------------------------------

def test_an_analyst_proposes_a_candidate_and_an_admin_makes_it_live(env):
    policies = PolicyStore(env["store"].engine)
    answer = propose(env["ann"], review_at="0.3")
    assert answer.status_code == 303
    [stored] = policies.versions()
    assert answer.headers["location"] == f"/review/policies/{stored.version.replace('+', '%2B')}?proposed=1"
    assert (stored.status, stored.author, stored.message) == ("candidate", "ann", "catch more hate speech")
    assert stored.version.startswith(FILE_VERSION + "+tune.")
    assert load_policy_text(stored.content).thresholds("hate_speech", None).review_at == 0.3
    shown = env["ann"].get(answer.headers["location"])
    text = text_of(shown.text)
    assert "Stored as a candidate policy" in text and "hate speech all review_at 0.5 0.3" in text
    assert "-review_at = 0.5" in shown.text and "+review_at = 0.3" in shown.text
    assert 'id="activate"' not in shown.text and "An admin makes this version live" in text
    listing = text_of(env["ann"].get("/review/policies").text)
    assert f"{stored.version} candidate ann" in listing and "hate_speech.review_at 0.5 → 0.3" in listing
    assert propose(env["ann"], review_at="0.3").headers["location"].endswith("?already-stored=1")
    assert len(policies.versions()) == 1

    # an analyst cannot activate; a forged form cannot either
    token = csrf(shown.text)
    refused = env["ann"].post("/review/policies/activate", data={"csrf_token": token, "version": stored.version})
    assert refused.status_code == 403 and "needs: admin" in refused.text
    admin_page = env["ada"].get(answer.headers["location"].split("?")[0])
    assert 'id="activate"' in admin_page.text
    forged = env["ada"].post("/review/policies/activate", data={"csrf_token": "x", "version": stored.version})
    assert forged.status_code == 403 and policies.live() is None

    live = env["ada"].post("/review/policies/activate", data={"csrf_token": csrf(admin_page.text),
                                                              "version": stored.version, "message": "agreed"},
                           follow_redirects=False)
    assert live.status_code == 303 and live.headers["location"].endswith("?activated=1")
    assert policies.live().version == stored.version
    assert policies.get(FILE_VERSION).status == "retired"  # the policy file became the baseline to roll back to
    with env["store"].engine.connect() as db:
        events = db.execute(select(AuditEventRow.actor, AuditEventRow.action, AuditEventRow.subject)
                            .where(AuditEventRow.action.like("policy.%")).order_by(AuditEventRow.id)).all()
    assert [tuple(e) for e in events] == [("ann", "policy.record", stored.version),
                                          ("ada", "policy.record", FILE_VERSION),
                                          ("ada", "policy.activate", FILE_VERSION),
                                          ("ada", "policy.activate", stored.version)]
    assert "This version is now live" in env["ada"].get(live.headers["location"]).text
    # the pages now measure against the new live policy
    after = env["ann"].get("/review/analytics/hate_speech/slider?review_at=0.5").json()
    assert after["current_review_at"] == 0.3 and after["display"]["queue_change"].startswith("-1.5 posts/day")
    again = env["ada"].post("/review/policies/activate", data={"csrf_token": csrf(admin_page.text),
                                                               "version": stored.version})
    assert again.status_code == 422 and "already live" in again.text


@pytest.mark.parametrize("form, message", [
    ({"review_at": "1.5"}, "review_at: 1.5 is outside [0, 1]"),
    ({"review_at": "abc"}, "review_at: &#39;abc&#39; is not a number"),
    ({"review_at": ""}, "review_at: give a value between 0 and 1"),
    ({"review_at": "0.95"}, "invalid policy, nothing stored: the proposed policy: categories.hate_speech: "
                            "Value error, review_at (0.95) is above reject_at (0.9)"),
    ({"review_at": "0.5"}, "nothing changes: the live policy already has hate_speech review_at 0.5 and reject_at 0.9"),
    ({"review_at": "0.4", "scope": "f/r"}, "language: &#39;f/r&#39; is not a language code"),
])
def test_invalid_proposals_are_refused_with_a_clear_message_and_nothing_is_stored(env, form, message):
    answer = propose(env["ann"], **form)
    assert answer.status_code == 422
    assert message in answer.text
    assert re.search(r'id="propose-error">', answer.text)
    assert f'value="{form["review_at"]}"' in answer.text  # what the analyst typed is kept
    assert PolicyStore(env["store"].engine).versions() == []


def test_a_language_override_and_a_removed_reject_at_are_proposed_as_such(env):
    client = env["ann"]

    def send(scope, review_at, reject_at):
        page = client.get(f"/review/analytics/hate_speech?language={scope}")
        return client.post(f"/review/analytics/hate_speech/propose?language={scope}",
                           data={"csrf_token": csrf(page.text), "review_at": review_at, "reject_at": reject_at,
                                 "scope": scope, "message": ""}, follow_redirects=False)

    inherited = send("en", "0.4", "")  # an override cannot remove what it inherits: refused, not silently kept
    assert inherited.status_code == 422
    assert "en.hate_speech would have review_at 0.4 and reject_at 0.9, not 0.4 and none" in inherited.text
    assert send("en", "0.4", "0.9").status_code == 303
    [stored] = PolicyStore(env["store"].engine).versions()
    policy = load_policy_text(stored.content)
    assert (policy.thresholds("hate_speech", "en").review_at, policy.thresholds("hate_speech", "fr").review_at) == (0.4, 0.5)
    assert stored.message == "proposed on the analytics page: en.hate_speech.review_at=0.4"
    assert send("", "0.5", "").status_code == 303  # for all languages, an empty reject_at removes it
    removed = [v for v in PolicyStore(env["store"].engine).versions() if v.version != stored.version][0]
    assert load_policy_text(removed.content).thresholds("hate_speech", None).reject_at is None
