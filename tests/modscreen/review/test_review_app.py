"""The moderator review app over HTTP, on SQLite and PostgreSQL, with real screenings and a private Redis.

Every action is exercised, and every refusal: signed out, wrong role, missing CSRF token, bad
input, an item claimed by someone else, an expired claim, a stale version, a re-screened post.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer import Typer
from typer.testing import CliRunner

from config import DEFAULT_POLICY
from config.settings import load_settings
from models.review_store import Filters, ReviewStore
from models.store import Store, now
from models.tables import AuditEventRow, ModeratorDecisionRow, ScreeningRow, UserRow
from modscreen.api import create_app
from modscreen.review import cli as review_cli
from modscreen.review.accounts import Accounts
from queues.handlers import screen_revisions
from queues.publish import OutcomePublisher
from queues.reconcile import publish_moderator_decisions as publish_pending_decisions
from worker.assembly import build_engine
from worker.serialize import RecordError, parse_post
from worker.types import Post

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "posts.jsonl"
PASSWORD = "correct horse battery"
USERS = {"alice": "moderator", "bob": "moderator", "ann": "analyst", "ada": "admin"}
STREAM = "modscreen:outcomes"


def example_posts() -> list[Post]:
    posts = []
    for line in EXAMPLES.read_bytes().splitlines():
        try:
            posts.append(parse_post(line))
        except RecordError:
            continue
    return [p.model_copy(update={"author_id": "author-1"}) if p.id.startswith(("en-pii", "en-ad", "en-clean"))
            else p for p in posts]


@pytest.fixture(scope="module")
def screening_engine():
    engine = build_engine(DEFAULT_POLICY)
    engine.load()
    return engine


def publisher_for(redis_server) -> OutcomePublisher:
    return OutcomePublisher(redis_server.client(), STREAM, 10_000)


def seed(store: Store, engine, redis_server, posts: list[Post]) -> dict[str, int]:
    """Record and screen posts as the worker would; return post id -> current screening id."""
    acceptances = store.accept(posts)
    screen_revisions([a.revision_id for a in acceptances if a.status == "accepted"], engine=engine, store=store,
                     publisher=publisher_for(redis_server))
    with store.engine.connect() as db:
        rows = db.execute(select(ScreeningRow.post_id, ScreeningRow.id).where(ScreeningRow.is_current.is_(True))).all()
    return dict(rows)


def make_app(store: Store, redis_server, **settings):
    return create_app(store, settings=load_settings(redis_url=redis_server.url, **settings),
                      broker=redis_server.client())


@pytest.fixture
def review_env(store, redis_server, screening_engine):
    accounts = Accounts(store.engine)
    for name, role in USERS.items():
        accounts.add(name, PASSWORD, role, "test")
    ids = seed(store, screening_engine, redis_server, example_posts())
    app = make_app(store, redis_server)
    with TestClient(app) as first, TestClient(app) as second:
        yield {"app": app, "ids": ids, "store": store, "redis": redis_server, "alice": first, "bob": second,
               "engine": screening_engine}


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def version_of(html: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def signin(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/review/signin")
    return client.post("/review/signin", data={"csrf_token": csrf(page.text), "username": username,
                                               "password": password, "next": "/review/queue"}, follow_redirects=False)


def signed_in(client: TestClient, username: str) -> TestClient:
    assert signin(client, username).status_code == 303
    return client


def open_item(client: TestClient, screening_id: int):
    """What a moderator does to open an item: the page (a GET changes nothing), then its claim button (a POST)."""
    page = client.get(f"/review/items/{screening_id}")
    if 'id="claim-form"' not in page.text:
        return page  # a reader, or someone else holds it, or it is closed
    return client.post(f"/review/items/{screening_id}/claim", data={"csrf_token": csrf(page.text)})


def move(client: TestClient, after: int | None = None, step: int = 1):
    """The keys n (start), j (next) and k (previous): a form POST that releases `after` and claims the next item."""
    token = csrf(client.get("/review/queue").text)
    data = {"csrf_token": token, "step": str(step)} | ({"after": str(after)} if after is not None else {})
    return client.post("/review/next", data=data, follow_redirects=False)


def decide(client: TestClient, screening_id: int, decision: str, reason: str | None = None, note: str = "",
           version: int | None = None, token: str | None = None):
    page = open_item(client, screening_id).text if version is None or token is None else ""
    data = {"csrf_token": token if token is not None else csrf(page),
            "version": str(version if version is not None else version_of(page)), "decision": decision, "note": note}
    if reason:
        data["reason_code"] = reason
    return client.post(f"/review/items/{screening_id}/decide", data=data, follow_redirects=False)


def moderator_events(redis_server) -> list[dict]:
    entries = redis_server.client().xrange(STREAM)
    return [json.loads(fields[b"outcome"]) | {"event_id": fields[b"event_id"].decode()}
            for _, fields in entries if fields[b"kind"] == b"moderator"]


def audit_actions(store: Store, action_prefix: str) -> list:
    with store.engine.connect() as db:
        return db.execute(select(AuditEventRow.__table__).where(AuditEventRow.action.like(f"{action_prefix}%"))
                          .order_by(AuditEventRow.id)).all()


# ---- signing in -----------------------------------------------------------------------------

def test_sign_in_sets_a_signed_httponly_samesite_cookie_and_sign_out_revokes_it(review_env):
    client = review_env["alice"]
    assert client.get("/review/queue", follow_redirects=False).headers["location"].startswith("/review/signin")
    response = signin(client, "alice")
    assert response.status_code == 303 and response.headers["location"] == "/review/queue"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/review" in cookie
    value = client.cookies.get("modscreen_session")
    assert "." in value  # token.signature (itsdangerous)
    assert client.get("/review/queue").status_code == 200
    client.cookies.set("modscreen_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/review")
    assert client.get("/review/queue", follow_redirects=False).status_code == 303  # a forged signature: signed out
    client.cookies.set("modscreen_session", value, path="/review")
    page = client.get("/review/queue")
    assert client.post("/review/signout", data={}, follow_redirects=False).status_code == 403  # no CSRF token
    assert client.post("/review/signout", data={"csrf_token": csrf(page.text)}, follow_redirects=False).status_code == 303
    other = TestClient(review_env["app"])
    other.cookies.set("modscreen_session", value, path="/review")  # the old cookie, replayed
    assert other.get("/review/queue", follow_redirects=False).status_code == 303


def test_wrong_passwords_slow_the_username_down_and_an_admin_lifts_the_slowdown(review_env):
    app = make_app(review_env["store"], review_env["redis"], signin_first_delay_seconds=60)
    client, admin = TestClient(app), TestClient(app)
    refused = signin(client, "alice", "wrong password")
    assert refused.status_code == 401 and "Wrong username or password." in refused.text
    assert "Wrong username or password." in signin(client, "nobody", "whatever").text  # the same answer
    for _ in range(4):
        signin(client, "alice", "wrong password")
    slowed = signin(client, "alice")  # the right password, but the username must wait now
    wait = slowed.headers["retry-after"]  # 60 s after the fifth failure, less the moments since
    assert slowed.status_code == 429 and 50 <= int(wait) <= 60 and f"Try again in {wait} s." in slowed.text
    signed_in(admin, "ada")
    users = admin.get("/review/users")
    assert "sign-ins slowed down until" in users.text
    assert admin.post("/review/users", data={"csrf_token": csrf(users.text), "action": "unlock", "username": "alice"},
                      follow_redirects=False).status_code == 303
    assert signin(client, "alice").status_code == 303
    assert [e.subject for e in audit_actions(review_env["store"], "signin.slowed")] == ["user:alice"]


def test_sign_in_needs_its_csrf_token_and_never_redirects_off_site(review_env):
    client = review_env["alice"]
    assert client.post("/review/signin", data={"username": "alice", "password": PASSWORD}).status_code == 403
    page = client.get("/review/signin")
    response = client.post("/review/signin", data={"csrf_token": csrf(page.text), "username": "alice",
                                                   "password": PASSWORD, "next": "https://evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/review/queue"


# ---- the queue --------------------------------------------------------------------------------

def test_queue_lists_review_items_harshest_first_with_badges_and_filters(review_env):
    client = signed_in(review_env["alice"], "alice")
    ids = review_env["ids"]
    page = client.get("/review/queue")
    assert page.status_code == 200
    order = re.findall(r'class="open" href="/review/items/(\d+)', page.text)
    posts = {sid: post for post, sid in ids.items()}
    listed = [posts[int(sid)] for sid in order]
    assert "en-links-1" not in listed and "en-clean-1" not in listed  # rejected and approved are elsewhere
    assert listed.index("en-hate-1") < listed.index("en-pii-1") < listed.index("en-ad-1") < listed.index("en-bold-1")
    assert 'class="badge cat-personal_data"' in page.text and "waiting" in page.text.lower()
    assert "john.carter@carter-plumbing.co.uk" not in page.text
    french = client.get("/review/queue?language=fr").text
    assert "fr-multi-1" in french and "en-multi-1" not in french
    pii = client.get("/review/queue?category=personal_data").text
    assert "en-pii-1" in pii and "fr-pii-1" in pii and "en-bold-1" not in pii
    assert "en-reply-newq" in client.get("/review/queue?topic=t-100").text
    assert "Nothing here." in client.get("/review/queue?age=24").text  # everything arrived just now
    spot = client.get("/review/queue?tab=spot").text
    assert "en-links-1" in spot and "fr-offensive-1" in spot and "en-multi-1" not in spot


def test_analyst_reads_everything_and_changes_nothing(review_env):
    client = signed_in(review_env["alice"], "ann")
    sid = review_env["ids"]["en-multi-1"]
    page = open_item(client, sid)
    assert page.status_code == 200 and 'id="approve"' not in page.text and "Analysts read" in page.text
    with review_env["store"].engine.connect() as db:
        assert db.execute(select(ScreeningRow.claimed_by).where(ScreeningRow.id == sid)).scalar_one() is None
    token = csrf(page.text)
    refused = decide(client, sid, "approve", version=1, token=token)
    assert refused.status_code == 403 and "does not allow" in refused.text
    bulk = client.post("/review/bulk/preview", data={"csrf_token": token, "items": f"{sid}:1", "decision": "approve"})
    assert bulk.status_code == 403
    assert client.get("/review/users").status_code == 403
    assert client.get("/review/audit").status_code == 200
    moderator = signed_in(review_env["bob"], "bob")
    assert moderator.get("/review/audit").status_code == 403


# ---- claims -----------------------------------------------------------------------------------

def test_an_opened_item_is_claimed_and_a_colleague_is_served_another(review_env):
    alice = signed_in(review_env["alice"], "alice")
    bob = signed_in(review_env["bob"], "bob")
    first = move(alice).headers["location"]
    sid = int(re.search(r"/review/items/(\d+)", first).group(1))
    assert "claimed by you" in alice.get(first).text
    seen_by_bob = open_item(bob, sid)
    assert "alice is reviewing this item" in seen_by_bob.text and 'id="approve"' not in seen_by_bob.text
    served = bob.get("/review/next", follow_redirects=False).headers["location"]
    assert int(re.search(r"/review/items/(\d+)", served).group(1)) != sid
    assert "taken by alice" in bob.get("/review/queue").text
    refused = decide(bob, sid, "approve", version=1, token=csrf(seen_by_bob.text))
    assert refused.status_code == 409 and "alice is reviewing this item" in refused.text
    renewed = alice.post(f"/review/items/{sid}/claim", headers={"X-CSRF-Token": csrf(alice.get(first).text)})
    assert renewed.status_code == 200 and "claimed_until" in renewed.json()
    assert bob.post(f"/review/items/{sid}/claim", headers={"X-CSRF-Token": csrf(seen_by_bob.text)}).status_code == 409
    assert [e.actor for e in audit_actions(review_env["store"], "claim") if e.subject.startswith(f"screening:{sid} ")] \
        == ["alice"]  # a renewal is not a new claim


def test_a_decision_after_the_claim_expired_is_refused(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-multi-1"]
    page = open_item(alice, sid).text
    with review_env["store"].engine.begin() as db:
        db.execute(update(ScreeningRow).where(ScreeningRow.id == sid).values(claimed_until=now() - timedelta(seconds=1)))
    refused = decide(alice, sid, "approve", version=version_of(page), token=csrf(page))
    assert refused.status_code == 409 and "Your claim on this item expired" in refused.text
    assert moderator_events(review_env["redis"]) == []


# ---- deciding ---------------------------------------------------------------------------------

def test_a_rejection_is_stored_audited_published_and_serves_the_next_item(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-ad-1"]
    page = open_item(alice, sid).text
    assert 'option value="advertising" selected' in page  # the harshest finding's reason, ready for one key
    response = decide(alice, sid, "reject", "advertising", note="promo", version=version_of(page), token=csrf(page))
    assert response.status_code == 303 and re.match(r"/review/items/\d+", response.headers["location"])
    with review_env["store"].engine.connect() as db:
        screening = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == sid)).one()
        decision = db.execute(select(ModeratorDecisionRow.__table__)).one()
    assert (screening.review_state, screening.version, screening.claimed_by) == ("decided", 2, None)
    assert (decision.moderator, decision.decision, decision.reason_code, decision.note) == (
        "alice", "reject", "advertising", "promo")
    assert decision.published_at is not None
    [event] = moderator_events(review_env["redis"])
    assert event["event_id"] == f"moderator-{decision.id}"
    assert {k: event[k] for k in ("post_id", "revision", "decision", "reason_code", "moderator", "screening_id")} == {
        "post_id": "en-ad-1", "revision": 1, "decision": "reject", "reason_code": "advertising", "moderator": "alice",
        "screening_id": sid}
    [audit] = audit_actions(review_env["store"], "decide")
    assert audit.actor == "alice" and audit.before["review_state"] == "open" and audit.after["review_state"] == "decided"
    again = decide(alice, sid, "approve", version=2, token=csrf(page))
    assert again.status_code == 409 and "already decided by alice (reject" in again.text
    labels = signed_in(review_env["bob"], "ann").get("/review/labels.csv").text
    assert "en-ad-1" in labels and "advertising" in labels


def test_a_stale_version_or_a_rescreened_post_is_refused_never_overwritten(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-multi-1"]
    page = open_item(alice, sid).text
    stale = decide(alice, sid, "approve", version=version_of(page) + 5, token=csrf(page))
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    edited = example_posts()[[p.id for p in example_posts()].index("en-multi-1")].model_copy(
        update={"revision": 2, "body": "How do I add a new option to the IVR menu?"})
    seed(review_env["store"], review_env["engine"], review_env["redis"], [edited])
    refused = decide(alice, sid, "reject", "multiple_questions", version=version_of(page), token=csrf(page))
    assert refused.status_code == 409 and "edited and screened again" in refused.text
    with review_env["store"].engine.connect() as db:
        assert db.execute(select(ModeratorDecisionRow.id)).all() == []


@pytest.mark.parametrize(("form", "status", "message"), [
    ({"decision": "reject"}, 422, "a rejection needs a reason"),
    ({"decision": "reject", "reason_code": "because"}, 422, "a rejection needs a reason"),
    ({"decision": "reject", "reason_code": "other"}, 422, "say why when the reason is"),
    ({"decision": "delete"}, 422, "decision: must be one of"),
    ({"decision": "approve", "version": "x"}, 422, "version: "),
    ({"decision": "approve", "note": "n" * 2001}, 422, "at most 2000"),
    ({"decision": "approve", "csrf_token": ""}, 403, "CSRF"),
    ({"decision": "approve", "csrf_token": "forged"}, 403, "CSRF"),
])
def test_bad_decisions_are_refused_with_a_message(review_env, form, status, message):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-sms-1"]
    page = open_item(alice, sid).text
    data = {"csrf_token": csrf(page), "version": str(version_of(page))} | form
    response = alice.post(f"/review/items/{sid}/decide", data=data)
    assert response.status_code == status and message in response.text
    assert moderator_events(review_env["redis"]) == []


def test_escalated_items_go_to_admins_only(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["fr-ad-1"]
    assert decide(alice, sid, "escalate", note="not sure").status_code == 303
    assert moderator_events(review_env["redis"]) == []  # not a final word: the backend is not told yet
    escalated = alice.get("/review/queue?tab=escalated").text
    assert "fr-ad-1" in escalated
    page = open_item(alice, sid).text
    assert 'id="approve"' not in page
    refused = decide(alice, sid, "approve", version=2, token=csrf(page))
    assert refused.status_code == 409 and "escalated to an admin" in refused.text
    admin = signed_in(review_env["bob"], "ada")
    assert decide(admin, sid, "reject", "advertising").status_code == 303
    [event] = moderator_events(review_env["redis"])
    assert (event["post_id"], event["decision"], event["moderator"]) == ("fr-ad-1", "reject", "ada")


# ---- personal data ------------------------------------------------------------------------------

def test_personal_data_is_masked_until_revealed_and_each_reveal_is_audited(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-pii-1"]
    page = open_item(alice, sid).text
    assert "john.carter@carter-plumbing.co.uk" not in page and "+44 20 7946 0958" not in page
    assert "email address" in page and 'name="span" value="body:81:114"' in page
    assert alice.post(f"/review/items/{sid}/reveal", data={"span": "body:81:114"}).status_code == 403
    bad = alice.post(f"/review/items/{sid}/reveal", data={"span": "body:0:5", "csrf_token": csrf(page)})
    assert bad.status_code == 422
    shown = alice.post(f"/review/items/{sid}/reveal", data={"span": "body:81:114", "csrf_token": csrf(page)})
    assert shown.status_code == 200 and "john.carter@carter-plumbing.co.uk" in shown.text
    assert "+44 20 7946 0958" not in shown.text  # only what was asked for
    [event] = audit_actions(review_env["store"], "reveal")
    assert event.actor == "alice" and event.after == {"span": "body:81:114", "entity": "email address"}
    assert "john.carter" not in json.dumps(event.after)  # the audit log never holds the value
    assert "john.carter@carter-plumbing.co.uk" not in open_item(signed_in(review_env["bob"], "bob"), sid).text


# ---- bulk ---------------------------------------------------------------------------------------

def test_bulk_decisions_preview_first_then_apply_refusing_items_held_by_others(review_env):
    alice = signed_in(review_env["alice"], "alice")
    bob = signed_in(review_env["bob"], "bob")
    ids = review_env["ids"]
    chosen = [ids["en-sms-1"], ids["fr-sms-1"], ids["en-bold-1"]]
    open_item(bob, ids["en-bold-1"])  # bob holds this one
    token = csrf(alice.get("/review/queue").text)
    items = [f"{sid}:1" for sid in chosen]
    preview = alice.post("/review/bulk/preview", data={"csrf_token": token, "items": items, "decision": "reject",
                                                        "reason_code": "sms_language"})
    assert preview.status_code == 200 and "Nothing has changed yet" in preview.text and "Reject 3 items" in preview.text
    assert moderator_events(review_env["redis"]) == []
    applied = alice.post("/review/bulk/apply", data={"csrf_token": token, "items": items, "decision": "reject",
                                                      "reason_code": "sms_language"})
    assert applied.status_code == 200 and applied.text.count("done —") == 2 and "bob is reviewing" in applied.text
    assert sorted(e["post_id"] for e in moderator_events(review_env["redis"])) == ["en-sms-1", "fr-sms-1"]
    no_reason = alice.post("/review/bulk/preview", data={"csrf_token": token, "items": items, "decision": "reject"})
    assert no_reason.status_code == 422
    assert alice.post("/review/bulk/apply", data={"items": items, "decision": "approve"}).status_code == 403


# ---- audit log ----------------------------------------------------------------------------------

def test_audit_log_filters_and_exports_csv_without_formulas(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["fr-multi-1"]
    decide(alice, sid, "reject", "other", note="=HYPERLINK(\"http://evil\")")
    analyst = signed_in(review_env["bob"], "ann")
    page = analyst.get("/review/audit?actor=alice&action=decide")
    assert page.status_code == 200 and "decide.reject" in page.text and "claim" not in page.text.split("<tbody>")[1]
    exported = analyst.get("/review/audit.csv?subject=fr-multi-1")
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0] == "id,at,actor,action,subject,before,after"
    assert any(",decide.reject," in line for line in lines) and any(",claim," in line for line in lines)
    assert analyst.get("/review/audit?since=yesterday").status_code == 422
    labels = analyst.get("/review/labels.csv").text
    assert "'=HYPERLINK" in labels  # a spreadsheet will not run what a moderator typed


# ---- hostile content ------------------------------------------------------------------------------

HOSTILE_BODY = ('<script>window.pwned=1;alert(1)</script> <img src=x onerror="window.pwned=2"> '
                '<a href="javascript:window.pwned=3">click</a> <span style="display:none">hidden text</span> '
                'file\u202egnp.exe done')


def test_hostile_markup_is_shown_as_text_under_a_strict_policy(review_env):
    ids = seed(review_env["store"], review_env["engine"], review_env["redis"],
               [Post(id="hostile-1", title="<b onmouseover=alert(1)>Help</b>", body=HOSTILE_BODY, format="html",
                     language="en")])
    alice = signed_in(review_env["alice"], "alice")
    page = open_item(alice, ids["hostile-1"])
    assert "<script>window.pwned" not in page.text and "&lt;script&gt;window.pwned=1;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text and "onerror=&#34;window.pwned=2&#34;" in page.text
    assert '<a href="javascript:' not in page.text and "\u202e" not in page.text and "[RLO]" in page.text
    assert "&lt;b onmouseover=alert(1)&gt;" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "style-src 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text.replace('<script src="/review/static/review.js" defer></script>', "")


# ---- users ----------------------------------------------------------------------------------------

def test_admin_manages_users_in_the_page_and_the_cli(review_env, monkeypatch):
    admin = signed_in(review_env["alice"], "ada")
    token = csrf(admin.get("/review/users").text)
    added = admin.post("/review/users", data={"csrf_token": token, "action": "add", "username": "carol",
                                              "password": "long enough pw", "role": "analyst"}, follow_redirects=False)
    assert added.status_code == 303
    short = admin.post("/review/users", data={"csrf_token": token, "action": "add", "username": "dan",
                                              "password": "short", "role": "moderator"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    assert admin.post("/review/users", data={"csrf_token": token, "action": "disable", "username": "carol"},
                      follow_redirects=False).status_code == 303
    assert signin(review_env["bob"], "carol", "long enough pw").status_code == 401
    monkeypatch.setattr(review_cli, "_accounts", lambda: Accounts(review_env["store"].engine))
    cli = Typer()
    cli.add_typer(review_cli.users_app, name="users")
    runner = CliRunner()
    result = runner.invoke(cli, ["users", "add", "erin", "--role", "moderator", "--password-stdin"],
                           input="a good long password\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["users", "add", "erin", "--password-stdin"], input="a good long password\n").exit_code == 1
    assert runner.invoke(cli, ["users", "add", "x", "--role", "boss", "--password-stdin"], input="pw\n").exit_code == 1
    listing = runner.invoke(cli, ["users", "list"]).output
    assert "erin\tmoderator\tactive" in listing and "carol\tanalyst\tdisabled" in listing
    assert runner.invoke(cli, ["users", "role", "erin", "--role", "admin"]).exit_code == 0
    assert runner.invoke(cli, ["users", "disable", "erin"]).exit_code == 0
    with review_env["store"].engine.connect() as db:
        erin = db.execute(select(UserRow.__table__).where(UserRow.username == "erin")).one()
    assert erin.role == "admin" and erin.disabled_at is not None and erin.password_hash.startswith("$argon2id$")
    assert {e.action for e in audit_actions(review_env["store"], "user.")} >= {"user.add", "user.disable", "user.role"}


# ---- a whole queue ----------------------------------------------------------------------------------

def mixed_posts(count: int) -> list[Post]:
    """`count` EN and FR posts cycling through every kind of finding in the examples."""
    held = [p for p in example_posts() if not p.id.startswith(("en-clean", "fr-clean", "en-reply-ok", "fr-reply-thanks",
                                                                "en-links-ok", "fr-pii-ok", "en-code"))]
    return [held[n % len(held)].model_copy(update={"id": f"bulk-{n:03d}-{held[n % len(held)].id}", "reply_to": None,
                                                   "topic_id": None})
            for n in range(count)]


def clear_by_keyboard(client: TestClient, limit: int) -> Counter:
    """What the keys do, as form posts: n (serve next), then a or r+Enter (reject with the preselected reason)."""
    decided: Counter = Counter()
    location = move(client).headers["location"]
    while location.startswith("/review/items/") and sum(decided.values()) < limit:
        page = client.get(location).text
        sid = int(re.search(r"/review/items/(\d+)", location).group(1))
        if 'id="approve"' not in page:  # taken by a colleague meanwhile: j serves the next one
            location = move(client, sid).headers["location"]
            continue
        reason = re.search(r'option value="(\w+)" selected', page).group(1)
        choice = "approve" if sid % 3 == 0 else "reject"
        response = client.post(f"/review/items/{sid}/decide", data={
            "csrf_token": csrf(page), "version": str(version_of(page)), "decision": choice,
            "reason_code": reason, "note": "keyboard" if reason == "other" else ""}, follow_redirects=False)
        if response.status_code == 409:  # lost a race for this item: fine, the colleague decides it
            location = move(client, sid).headers["location"]
            continue
        assert response.status_code == 303, response.text
        decided[sid] += 1
        location = response.headers["location"]
    return decided


def test_a_moderator_clears_200_mixed_posts_with_the_keyboard_actions_alone(store, redis_server, screening_engine):
    Accounts(store.engine).add("alice", PASSWORD, "moderator", "test")
    ids = seed(store, screening_engine, redis_server, mixed_posts(200))
    waiting = ReviewStore(store.engine).queue(Filters(), limit=1)[1]
    assert waiting >= 150 and len(ids) == 200
    with TestClient(make_app(store, redis_server)) as client:
        decided = clear_by_keyboard(signed_in(client, "alice"), 1000)
        assert "Nothing here." in client.get("/review/queue").text
    assert len(decided) == waiting and set(decided.values()) == {1}
    events = moderator_events(redis_server)
    assert len(events) == waiting and len({e["event_id"] for e in events}) == waiting
    assert len(audit_actions(store, "decide")) == waiting


def test_two_moderators_working_at_once_never_decide_the_same_item(store, redis_server, screening_engine):
    accounts = Accounts(store.engine)
    for name in ("alice", "bob"):
        accounts.add(name, PASSWORD, "moderator", "test")
    seed(store, screening_engine, redis_server, mixed_posts(60))
    app = make_app(store, redis_server)
    results: dict[str, Counter] = {}
    with TestClient(app) as first, TestClient(app) as second:
        workers = [threading.Thread(target=lambda c=client, n=name: results.__setitem__(n, clear_by_keyboard(
            signed_in(c, n), 1000))) for client, name in ((first, "alice"), (second, "bob"))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
    assert set(results["alice"]).isdisjoint(results["bob"])
    assert results["alice"] and results["bob"]
    with store.engine.connect() as db:
        per_item = Counter(db.execute(select(ModeratorDecisionRow.screening_id)).scalars())
        open_left = db.execute(select(ScreeningRow.id).where(ScreeningRow.decision == "review",
                                                             ScreeningRow.review_state == "open")).all()
    assert set(per_item.values()) == {1} and open_left == []
    assert len(moderator_events(redis_server)) == sum(per_item.values())


def test_decisions_taken_while_redis_is_down_are_published_with_the_next_one(review_env):
    alice = signed_in(review_env["alice"], "alice")
    ids = review_env["ids"]
    review_env["redis"].stop()
    assert decide(alice, ids["en-title-1"], "approve").status_code == 303  # stored: the database is the truth
    review_env["redis"].start()
    review_env["app"].state.review.publisher = None  # a fresh connection to the restarted server
    assert decide(alice, ids["fr-title-1"], "approve").status_code == 303
    assert sorted(e["post_id"] for e in moderator_events(review_env["redis"])) == ["en-title-1", "fr-title-1"]


def test_the_reconciler_hook_publishes_decisions_left_unpublished(review_env):
    alice = signed_in(review_env["alice"], "alice")
    review_env["redis"].stop()
    assert decide(alice, review_env["ids"]["en-multi-1"], "approve").status_code == 303
    review_env["redis"].start()
    publisher = publisher_for(review_env["redis"])
    assert publish_pending_decisions(review_env["store"], publisher) == 1
    assert publish_pending_decisions(review_env["store"], publisher) == 0
    [event] = moderator_events(review_env["redis"])
    assert (event["post_id"], event["decision"]) == ("en-multi-1", "approve")


def test_when_categories_are_shown_then_colours_come_from_the_catalogue_and_threats_lead_the_queue(review_env):
    from worker.categories import NAMES

    alice = review_env["alice"]
    sheet = alice.get("/review/static/categories.css")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/css")
    assert all(f".cat-{name} " in sheet.text for name in NAMES)
    page = signed_in(alice, "alice").get("/review/queue")
    assert '<link rel="stylesheet" href="/review/static/categories.css">' in page.text
    first_badge = re.search(r'class="badge cat-([a-z_]+)"', page.text).group(1)
    assert first_badge == "threats"
