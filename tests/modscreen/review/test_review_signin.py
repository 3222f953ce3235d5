"""Signing in to the review app against a hostile visitor, on SQLite and PostgreSQL (issue 12).

Failed sign-ins slow a username and a source address down, never lock the owner out, and cannot
be raced; unknown names are answered like known ones; passwords follow NIST 800-63B wherever
they are set; the sign-in form's token is signed by the server; form bodies are capped before
they are read; error pages keep the security headers.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest
import redis
from fastapi.testclient import TestClient
from typer import Typer
from typer.testing import CliRunner

from config.settings import load_settings
from models.db import make_engine
from models.store import Store
from modscreen.api import create_app
from modscreen.review import accounts as accounts_module
from modscreen.review import cli as review_cli
from modscreen.review.accounts import Accounts

PASSWORD = "correct horse battery"
OWNER_ADDRESS = ("198.51.100.10", 50000)
ATTACKER_ADDRESS = ("203.0.113.66", 50000)


@pytest.fixture
def store(database_url):
    engine = make_engine(database_url)
    accounts = Accounts(engine)
    accounts.add("alice", PASSWORD, "moderator", "test")
    accounts.add("ada", PASSWORD, "admin", "test")
    yield Store(engine)
    engine.dispose()


def review_app(store: Store, **settings):
    """The API with the review app; Redis is never touched by sign-in pages (the client never connects)."""
    return create_app(store, settings=load_settings(session_secret="s" * 32, **settings),
                      broker=redis.Redis(host="127.0.0.1", port=1))


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signin(client: TestClient, username: str, password: str = PASSWORD, token: str | None = None):
    token = token or csrf(client.get("/review/signin").text)
    return client.post("/review/signin", data={"csrf_token": token, "username": username, "password": password,
                                               "next": "/review/queue"}, follow_redirects=False)


def sign_out(client: TestClient) -> None:
    page = client.get("/review/queue")
    assert client.post("/review/signout", data={"csrf_token": csrf(page.text)},
                       follow_redirects=False).status_code == 303


# ---- throttling: a slowdown nobody can turn into a lockout ----------------------------------------

def test_when_a_stranger_keeps_failing_for_a_username_then_its_owner_still_signs_in_from_a_known_browser(store):
    app = review_app(store, signin_first_delay_seconds=300)
    owner, attacker = TestClient(app, client=OWNER_ADDRESS), TestClient(app, client=ATTACKER_ADDRESS)
    assert signin(owner, "alice").status_code == 303  # this browser is now known to alice
    sign_out(owner)
    token = csrf(attacker.get("/review/signin").text)
    answers = Counter(signin(attacker, "alice", f"guess number {n}", token).status_code for n in range(30))
    assert answers == {401: 5, 429: 25}  # five guesses checked, then the username waits five minutes
    assert signin(owner, "alice").status_code == 303  # the owner is not held by what strangers did


def test_when_the_owner_uses_a_new_browser_during_an_attack_then_the_wait_is_bounded(store):
    app = review_app(store, signin_first_delay_seconds=0.05, signin_max_account_delay_seconds=0.3)
    attacker = TestClient(app, client=ATTACKER_ADDRESS)
    token = csrf(attacker.get("/review/signin").text)
    for n in range(20):
        signin(attacker, "alice", f"guess number {n}", token)
    new_browser = TestClient(app, client=OWNER_ADDRESS)
    first = signin(new_browser, "alice")
    waited = 0.0
    while first.status_code == 429 and waited < 1.0:  # "Try again in N s": never more than the cap
        assert int(first.headers["retry-after"]) <= 1 and "Try again in 1 s." in first.text
        time.sleep(0.1)
        waited += 0.1
        first = signin(new_browser, "alice")
    assert first.status_code == 303


def test_when_one_address_fails_for_many_usernames_then_that_address_is_slowed_down_and_no_one_else(store):
    app = review_app(store, signin_free_failures_per_address=8, signin_first_delay_seconds=300)
    attacker, owner = TestClient(app, client=ATTACKER_ADDRESS), TestClient(app, client=OWNER_ADDRESS)
    token = csrf(attacker.get("/review/signin").text)
    spray = [signin(attacker, name, "Summer2026!", token).status_code
             for name in ["alice", "ada", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan"]]
    assert spray == [401] * 8 + [429, 429]  # two guesses per name would not have tripped any username
    assert signin(attacker, "alice", PASSWORD, token).status_code == 429  # even the right password, from there
    assert signin(owner, "alice").status_code == 303


def test_when_a_known_browser_cookie_belongs_to_another_user_then_it_buys_no_extra_guesses(store):
    app = review_app(store, signin_first_delay_seconds=300)
    ada_browser = TestClient(app, client=ATTACKER_ADDRESS)
    assert signin(ada_browser, "ada").status_code == 303  # known to ada, not to alice
    sign_out(ada_browser)
    token = csrf(ada_browser.get("/review/signin").text)
    answers = Counter(signin(ada_browser, "alice", f"guess number {n}", token).status_code for n in range(8))
    assert answers == {401: 5, 429: 3}  # counted with every other stranger's guesses at alice
    forged = TestClient(app, client=ATTACKER_ADDRESS)
    forged.cookies.set("modscreen_device", "eyJ1c2VyIjoiYWxpY2UiLCJkZXZpY2UiOiJ4In0.forged", path="/review")
    assert signin(forged, "alice").status_code == 429  # a cookie the server did not sign is no known browser


def test_when_addresses_are_counted_then_an_ipv6_subscriber_is_one_address():
    from modscreen.review.throttle import address_key

    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:ffff::9") == "address:2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:203.0.113.66") == address_key("203.0.113.66") == "address:203.0.113.66"


def _burst(app, attempts: list[tuple[str, str]]) -> list[int]:
    """Every attempt at the same instant, each from its own browser (with its own sign-in form)."""
    clients = [TestClient(app, client=ATTACKER_ADDRESS) for _ in attempts]
    tokens = [csrf(client.get("/review/signin").text) for client in clients]
    start = threading.Barrier(len(attempts))
    statuses: list[int] = [0] * len(attempts)

    def attempt(index: int) -> None:
        username, password = attempts[index]
        start.wait()
        statuses[index] = signin(clients[index], username, password, tokens[index]).status_code

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_when_wrong_passwords_arrive_all_at_once_then_no_more_than_the_budget_are_checked(database_url):
    engine = make_engine(database_url)
    Accounts(engine).add("alice", PASSWORD, "moderator", "test")
    app = review_app(Store(engine), signin_first_delay_seconds=300, signin_free_failures_per_address=1000)
    first = Counter(_burst(app, [("alice", f"wrong guess {n}") for n in range(40)]))
    assert first == {401: 5, 429: 35}  # 40 at once: five checked, the others refused unchecked
    second = _burst(app, [("alice", PASSWORD if n == 35 else f"wrong guess {n}") for n in range(40)])
    assert set(second) == {429}  # the right password inside a burst gets no further than the wrong ones
    engine.dispose()


# ---- enumeration -----------------------------------------------------------------------------------

def waits(html: str) -> str:
    """The page with its "try again in N s" made equal: the second answer comes a moment later."""
    return re.sub(r"Try again in \d+ s", "Try again in N s", html)


def _without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_when_the_username_is_unknown_then_the_answer_and_the_work_are_those_of_a_known_one(store, monkeypatch):
    checks: list[str] = []
    real_verify = accounts_module._verify
    monkeypatch.setattr(accounts_module, "_verify", lambda h, p: checks.append(p) or real_verify(h, p))
    client = TestClient(review_app(store, signin_first_delay_seconds=300), client=ATTACKER_ADDRESS)
    token = csrf(client.get("/review/signin").text)
    known, unknown = signin(client, "alice", "not her password", token), signin(client, "alicia", "not hers", token)
    assert known.status_code == unknown.status_code == 401 and len(checks) == 2  # one argon2 check each
    assert _without_token(known.text) == _without_token(unknown.text)
    assert "Wrong username or password." in known.text
    for _ in range(4):
        signin(client, "alice", "not her password", token), signin(client, "alicia", "not hers", token)
    known, unknown = signin(client, "alice", "not her password", token), signin(client, "alicia", "not hers", token)
    assert known.status_code == unknown.status_code == 429 and len(checks) == 10  # slowed alike, none checked
    assert _without_token(waits(known.text)) == _without_token(waits(unknown.text))
    wait = re.search(r"Too many failed sign-ins\. Try again in (\d+) s\.", known.text)
    assert wait and 240 <= int(wait.group(1)) <= 300  # seconds have passed since the wait began on a busy machine
    assert "locked" not in known.text


# ---- passwords --------------------------------------------------------------------------------------

WEAK = [
    ("dispatcher", "aaaaaaaaaaaa", "one character repeated"),
    ("dispatcher", " " * 12, "only spaces"),
    ("dispatcher", "\t \u00a0 \u200b \t \u00a0 ", "only spaces"),
    ("dispatcher01", "dispatcher01", "contain the username"),
    ("dispatcher", "Dispatcher-2026!", "contain the username"),
    ("dispatcher", "Password2026!", "too common"),
    ("dispatcher", "qwertyuiop", "too common"),
    ("dispatcher", "1234567890", "too common"),
    ("dispatcher", "ContactFlow2026", "too common"),
    ("dispatcher", "letmein", "at least 10 characters"),
]


def test_when_a_password_breaks_a_nist_rule_then_it_is_refused_wherever_it_is_set(store, monkeypatch):
    accounts = Accounts(store.engine)
    app = review_app(store)
    admin = TestClient(app)
    assert signin(admin, "ada").status_code == 303
    token = csrf(admin.get("/review/users").text)
    monkeypatch.setattr(review_cli, "_accounts", lambda: accounts)
    cli = Typer()
    cli.add_typer(review_cli.users_app, name="users")
    runner = CliRunner()
    for username, password, reason in WEAK:  # a new user: the admin page and the CLI
        added = admin.post("/review/users", data={"csrf_token": token, "action": "add", "username": username,
                                                  "password": password, "role": "moderator"})
        assert added.status_code == 422 and reason in added.text, (password, added.text[-400:])
        by_cli = runner.invoke(cli, ["users", "add", username, "--password-stdin"], input=password + "\n")
        assert by_cli.exit_code == 1 and reason in by_cli.output, (password, by_cli.output)
    good = "Queue overflow goes to voicemail"
    for username in {username for username, _, _ in WEAK}:
        accounts.add(username, good, "moderator", "test")
    for username, password, reason in WEAK:  # a new password: the admin page, the CLI, the user's own page
        given = admin.post("/review/users", data={"csrf_token": token, "action": "password", "username": username,
                                                  "password": password})
        assert given.status_code == 422 and reason in given.text, password
        by_cli = runner.invoke(cli, ["users", "password", username, "--password-stdin"], input=password + "\n")
        assert by_cli.exit_code == 1 and reason in by_cli.output, password
        own = TestClient(app)
        assert signin(own, username, good).status_code == 303
        changed = own.post("/review/account", data={"csrf_token": csrf(own.get("/review/account").text),
                                                    "current": good, "new": password, "repeated": password})
        assert changed.status_code == 422 and reason in changed.text, password
    assert signin(TestClient(app), "dispatcher", good).status_code == 303  # nothing was changed


def test_when_a_password_is_long_and_uncommon_then_it_is_set_and_every_old_session_ends(store):
    app = review_app(store)
    alice, other_browser = TestClient(app), TestClient(app)
    assert signin(alice, "alice").status_code == 303 and signin(other_browser, "alice").status_code == 303
    form = {"csrf_token": csrf(alice.get("/review/account").text), "current": "not my password",
            "new": "Wallboard refresh at 9!", "repeated": "Wallboard refresh at 9!"}
    assert alice.post("/review/account", data=form).status_code == 422  # the current password is checked
    changed = alice.post("/review/account", data={**form, "current": PASSWORD}, follow_redirects=False)
    assert changed.status_code == 303 and changed.headers["location"] == "/review/signin"
    assert other_browser.get("/review/queue", follow_redirects=False).status_code == 303  # signed out there too
    assert signin(TestClient(app), "alice").status_code == 401
    assert signin(TestClient(app), "alice", "Wallboard refresh at 9!").status_code == 303


# ---- the sign-in form's token ------------------------------------------------------------------------

def test_when_the_sign_in_token_merely_equals_the_cookie_then_sign_in_is_refused(store):
    app = review_app(store)
    forged = TestClient(app)
    forged.cookies.set("modscreen_signin", "attacker-chosen-value", path="/review")
    refused = forged.post("/review/signin", data={"csrf_token": "attacker-chosen-value", "username": "alice",
                                                  "password": PASSWORD})
    assert refused.status_code == 403
    other = TestClient(app)
    token_of_other_browser = csrf(other.get("/review/signin").text)
    mine = TestClient(app)
    mine.get("/review/signin")
    assert signin(mine, "alice", token=token_of_other_browser).status_code == 403  # bound to its own cookie
    assert signin(mine, "alice").status_code == 303


# ---- the size of a form, and error pages ----------------------------------------------------------------

CAP = 64 * 1024
HUGE = 200 * 1024 * 1024
CHUNK = 64 * 1024


def _asgi_post(app, path: str, declared_length: int | None) -> tuple[int, dict[str, str], int]:
    """POST a 200 MiB body straight through ASGI; return status, headers and how many bytes the app pulled."""
    import anyio

    pulled = 0
    answer: dict = {}

    async def receive() -> dict:
        nonlocal pulled
        assert pulled <= 4 * CAP, "the app went on reading a body far over the cap"
        pulled += CHUNK
        return {"type": "http.request", "body": b"a" * CHUNK, "more_body": pulled < HUGE}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}

    headers = [(b"content-type", b"application/x-www-form-urlencoded"), (b"host", b"testserver")]
    if declared_length is not None:
        headers.append((b"content-length", str(declared_length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": ATTACKER_ADDRESS, "server": ("testserver", 80)}

    anyio.run(app, scope, receive, send)
    return answer["status"], answer["headers"], pulled


@pytest.mark.parametrize("path", ["/review/signin", "/review/users", "/review/items/1/decide", "/review/bulk/apply"])
def test_when_a_form_declares_a_body_over_the_cap_then_413_comes_before_any_of_it_is_read(store, path):
    status, headers, pulled = _asgi_post(review_app(store, max_form_bytes=CAP), path, declared_length=HUGE)
    assert status == 413 and pulled == 0 and headers["connection"] == "close"
    assert headers["content-security-policy"].startswith("default-src 'none'") and headers["cache-control"] == "no-store"


def test_when_a_form_streams_a_body_over_the_cap_then_413_comes_once_the_cap_is_passed(store):
    status, headers, pulled = _asgi_post(review_app(store, max_form_bytes=CAP), "/review/signin", declared_length=None)
    assert status == 413 and CAP < pulled <= CAP + CHUNK  # 128 KiB read of 200 MiB, then refused
    assert headers["content-security-policy"].startswith("default-src 'none'")


def test_when_a_200_mib_body_is_sent_to_a_real_server_then_413_comes_back_before_it_is_all_sent(store):
    import socket

    import uvicorn

    from tests.services import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(review_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"POST /review/signin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Content-Type: application/x-www-form-urlencoded\r\n"
                               + f"Content-Length: {HUGE}\r\n\r\n".encode() + b"a" * CHUNK)
            answer = connection.recv(65536)  # 64 KiB of 200 MiB sent: the answer does not wait for the rest
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert b"content-security-policy" in answer.lower()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_when_the_review_app_answers_with_an_error_then_the_page_keeps_the_security_headers(store):
    app = review_app(store, max_form_bytes=CAP)
    client = TestClient(app, raise_server_exceptions=False)
    token = csrf(client.get("/review/signin").text)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away mid-request")

    app.state.review.accounts.sign_in = broken
    answers = {
        404: client.get("/review/no-such-page"),
        405: client.get("/review/signout"),
        403: client.post("/review/signin", data={"csrf_token": "forged", "username": "a", "password": "b"}),
        413: client.post("/review/signin", content=b"a" * (CAP + 1),
                         headers={"content-type": "application/x-www-form-urlencoded"}),
        500: client.post("/review/signin", data={"csrf_token": token, "username": "alice", "password": PASSWORD}),
    }
    for status, answer in answers.items():
        assert answer.status_code == status
        assert answer.headers["content-security-policy"].startswith("default-src 'none'"), status
        assert answer.headers["cache-control"] == "no-store" and answer.headers["x-frame-options"] == "DENY", status
        assert answer.headers["x-content-type-options"] == "nosniff", status
    assert "the database went away" not in answers[500].text and "Something went wrong" in answers[500].text


def test_when_a_bucket_has_been_quiet_long_enough_then_it_is_forgotten(store):
    from datetime import timedelta

    from sqlalchemy import func, select, update

    from models.store import now
    from models.tables import SigninThrottleRow
    from modscreen.review.throttle import SigninThrottle, Throttled, ThrottlePolicy

    throttle = SigninThrottle(store.engine, ThrottlePolicy(free_per_account=2, first_delay=300))
    buckets = throttle.buckets("mallory-sprayed-name", "203.0.113.66", None)
    throttle.charge(buckets)
    throttle.charge(buckets)
    with pytest.raises(Throttled):
        throttle.charge(buckets)  # the name waits now
    with store.engine.begin() as db:  # two days pass
        db.execute(update(SigninThrottleRow).values(last_failure_at=now() - timedelta(days=2)))
        db.execute(update(SigninThrottleRow).where(SigninThrottleRow.blocked_until.is_not(None))
                   .values(blocked_until=now() - timedelta(days=2) + timedelta(seconds=300)))
    sprayed_again = throttle.buckets("mallory-sprayed-name", "203.0.113.66", None)
    throttle.charge(sprayed_again)  # two quiet days: the count starts again from one, no wait
    with store.engine.connect() as db:
        counts = dict(db.execute(select(SigninThrottleRow.key, SigninThrottleRow.failures)).all())
    assert sorted(counts.values()) == [1, 1]
    with store.engine.begin() as db:
        db.execute(update(SigninThrottleRow).values(last_failure_at=now() - timedelta(days=2)))
    assert throttle.forget_old() == 2  # and quiet buckets go, so sprayed names do not pile up
    with store.engine.connect() as db:
        assert db.execute(select(func.count()).select_from(SigninThrottleRow)).scalar_one() == 0
