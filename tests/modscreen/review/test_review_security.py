"""Issue 12 in the review app, over HTTP on SQLite and PostgreSQL: who may reveal, masks that cannot
leak, numbers read strictly, no state change on GET, and markers for invisible characters everywhere."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from models.tables import ScreeningRow
from tests.modscreen.review.test_review_app import (  # noqa: F401 (review_env and screening_engine are fixtures)
    audit_actions, csrf, open_item, review_env, screening_engine, seed, signed_in,
)
from worker.types import Post, PostFormat


def holder(store, screening_id: int) -> str | None:
    with store.engine.connect() as db:
        return db.execute(select(ScreeningRow.claimed_by).where(ScreeningRow.id == screening_id)).scalar_one()


# ---- reveals --------------------------------------------------------------------------------------

def test_when_a_moderator_without_the_claim_or_an_analyst_reveals_then_it_is_refused_and_audited(review_env):
    alice = signed_in(review_env["alice"], "alice")
    sid = review_env["ids"]["en-pii-1"]
    assert "claimed by you" in open_item(alice, sid).text  # alice holds the claim
    bob = signed_in(review_env["bob"], "bob")
    page = bob.get(f"/review/items/{sid}").text
    refused = bob.post(f"/review/items/{sid}/reveal", data={"span": "body:81:114", "csrf_token": csrf(page)})
    assert refused.status_code == 403 and "only the moderator holding its claim" in refused.text
    assert "john.carter@carter-plumbing.co.uk" not in refused.text
    analyst = signed_in(TestClient(review_env["app"]), "ann")
    page = analyst.get(f"/review/items/{sid}").text
    refused = analyst.post(f"/review/items/{sid}/reveal", data={"span": "body:81:114", "csrf_token": csrf(page)})
    assert refused.status_code == 403 and "does not reveal personal data" in refused.text
    assert "john.carter@carter-plumbing.co.uk" not in analyst.get(f"/review/items/{sid}").text
    events = audit_actions(review_env["store"], "reveal")
    assert [(e.actor, e.action, e.after["span"]) for e in events] == [
        ("bob", "reveal.refused", "body:81:114"), ("ann", "reveal.refused", "body:81:114")]
    admin = signed_in(TestClient(review_env["app"]), "ada")  # an admin may decide any open item: may reveal
    page = admin.get(f"/review/items/{sid}").text
    shown = admin.post(f"/review/items/{sid}/reveal", data={"span": "body:81:114", "csrf_token": csrf(page)})
    assert shown.status_code == 200 and "john.carter@carter-plumbing.co.uk" in shown.text


# ---- masks ----------------------------------------------------------------------------------------

def addresses(count: int) -> str:
    return "Voici la liste des agents à recontacter :\n" + "\n".join(
        f"- agent {n}: prenom.nom{n}@example.fr" for n in range(count))


def test_when_hundreds_of_addresses_are_in_a_post_then_every_one_is_masked(review_env):
    ids = seed(review_env["store"], review_env["engine"], review_env["redis"],
               [Post(id="dump-600", title="Export des agents", body=addresses(600), language="fr")])
    alice = signed_in(review_env["alice"], "alice")
    page = open_item(alice, ids["dump-600"]).text
    assert "@example.fr" not in page  # the first 200 only were masked once; the other 400 showed in clear
    assert page.count('class="mask"') == 600


def test_when_the_personal_data_check_stops_at_its_cap_then_the_whole_body_stays_masked_until_revealed(review_env):
    ids = seed(review_env["store"], review_env["engine"], review_env["redis"],
               [Post(id="dump-1500", title="Export des agents", body=addresses(1500), language="fr")])
    sid = ids["dump-1500"]
    with review_env["store"].engine.connect() as db:
        screening = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == sid)).one()
    assert screening.decision != "approve" and [f["check"] for f in screening.failures] == ["personal_data"]
    alice = signed_in(review_env["alice"], "alice")
    page = open_item(alice, sid).text
    assert "@example.fr" not in page and "Voici la liste" not in page and "Export des agents" not in page
    assert "the personal-data check did not finish" in page
    key = f"body:0:{len(addresses(1500))}"
    shown = alice.post(f"/review/items/{sid}/reveal", data={"span": key, "csrf_token": csrf(page)})
    assert shown.status_code == 200 and "prenom.nom1499@example.fr" in shown.text


def test_when_a_body_is_over_the_cap_then_the_unscreened_rest_is_masked_with_a_notice(review_env):
    body = ("Bonjour, le bandeau du wallboard ne se rafraîchit plus. " * 1800)[:100_000] + \
        "\nEcrivez-moi a jeanne.dupont@example.fr ou au 06 12 34 56 78."
    ids = seed(review_env["store"], review_env["engine"], review_env["redis"],
               [Post(id="long-fr", title="Wallboard figé", body=body, language="fr")])
    alice = signed_in(review_env["alice"], "alice")
    page = open_item(alice, ids["long-fr"]).text
    assert "jeanne.dupont" not in page and "06 12 34 56 78" not in page
    assert "truncated at 100,000 characters" in page and "text past 100,000 characters: not screened" in page
    assert "le bandeau du wallboard" in page  # the screened part is shown as usual


# ---- numbers --------------------------------------------------------------------------------------

BAD_NUMBERS = ["\u00b2", "9999999999999999999999999", "-1", "1.5", " 7", "\u0967\u0968", "1_0"]


def routes(sid: int, token: str, bad: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/review/queue?age={bad}", None), ("GET", f"/review/queue?page={bad}", None),
        ("GET", f"/review/next?after={bad}", None), ("GET", f"/review/next?age={bad}", None),
        ("POST", "/review/next", {"csrf_token": token, "after": bad}),
        ("GET", f"/review/items/{bad}", None),
        ("POST", f"/review/items/{bad}/claim", {"csrf_token": token}),
        ("POST", f"/review/items/{bad}/release", {"csrf_token": token}),
        ("POST", f"/review/items/{bad}/decide", {"csrf_token": token, "version": "1", "decision": "approve"}),
        ("POST", f"/review/items/{bad}/reveal", {"csrf_token": token, "span": "body:0:1"}),
        ("POST", f"/review/items/{sid}/decide", {"csrf_token": token, "version": bad, "decision": "approve"}),
        ("POST", "/review/bulk/preview", {"csrf_token": token, "items": f"{sid}:{bad}", "decision": "approve"}),
        ("POST", "/review/bulk/preview", {"csrf_token": token, "items": f"{bad}:1", "decision": "approve"}),
        ("POST", "/review/bulk/apply", {"csrf_token": token, "items": f"{bad}:1", "decision": "approve"}),
    ]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_when_a_number_is_not_ascii_digits_or_too_large_then_the_answer_is_4xx_never_500(review_env, bad):
    client = signed_in(TestClient(review_env["app"], raise_server_exceptions=False), "alice")
    sid = review_env["ids"]["en-sms-1"]
    token = csrf(open_item(client, sid).text)
    for method, url, data in routes(sid, token, bad):
        response = client.request(method, url, data=data, follow_redirects=False)
        assert 400 <= response.status_code < 500, (method, url, data, response.status_code)
        assert "default-src 'none'" in response.headers.get("content-security-policy", ""), url
    assert holder(review_env["store"], sid) == "alice"  # nothing was released or decided on the way


# ---- no state change on GET -----------------------------------------------------------------------

def test_when_an_item_or_next_is_opened_with_get_then_nothing_is_claimed_or_released(review_env):
    alice = signed_in(review_env["alice"], "alice")
    store, ids = review_env["store"], review_env["ids"]
    first, second = ids["en-multi-1"], ids["fr-multi-1"]
    page = alice.get(f"/review/items/{first}")
    assert page.status_code == 200 and holder(store, first) is None
    assert 'id="claim-form"' in page.text and 'id="approve"' not in page.text and "data-autoclaim" not in page.text
    for site in ("cross-site", "same-site", "none"):  # another origin (even another port of this host) or typed
        assert "data-autoclaim" not in alice.get(f"/review/items/{first}", headers={"Sec-Fetch-Site": site}).text
    assert "data-autoclaim" in alice.get(f"/review/items/{first}", headers={"Sec-Fetch-Site": "same-origin"}).text
    assert holder(store, first) is None
    claimed = alice.post(f"/review/items/{first}/claim", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert claimed.status_code == 303 and holder(store, first) == "alice"
    assert 'id="approve"' in alice.get(claimed.headers["location"]).text
    served = alice.get(f"/review/next?after={first}", follow_redirects=False)
    assert served.status_code == 303 and "/review/items/" in served.headers["location"]
    assert holder(store, first) == "alice"  # not released by a GET
    with store.engine.connect() as db:
        held = db.execute(select(ScreeningRow.id).where(ScreeningRow.claimed_by.is_not(None))).scalars().all()
    assert held == [first]  # and nothing else claimed
    assert alice.post(f"/review/items/{second}/claim", data={}).status_code == 403  # the claim POST needs its token
    assert [e.subject.split()[0] for e in audit_actions(store, "claim")] == [f"screening:{first}"]


# ---- invisible characters -------------------------------------------------------------------------

RLO, ZWSP = "\u202e", "\u200b"


def test_when_ids_topics_authors_and_replies_hold_invisible_characters_then_every_page_shows_markers(review_env):
    # ids like these are refused since issue 12; posts stored before that still exist, so they are built unchecked
    weird = [
        Post.model_construct(id=f"parent{RLO}1", body="Le SVI ne répond plus.", title="SVI muet", format=PostFormat.TEXT,
                             revision=1, topic_id="t-9", topic_title="SVI muet", author_id="other"),
        Post.model_construct(id=f"child{ZWSP}-2", body="Même souci ici depuis la 12.4.", title=None, format=PostFormat.TEXT,
                             revision=1, topic_id=f"t{ZWSP}9", topic_title=f"Wallboard{RLO} gpj.exe",
                             reply_to=f"parent{RLO}1", author_id=f"auth{RLO}or"),
        Post.model_construct(id=f"hist{RLO}-3", body="Comment exporter les appels ?", title="Export", format=PostFormat.TEXT,
                             revision=1, topic_id="t-8", topic_title="Export", author_id=f"auth{RLO}or"),
    ]
    ids = seed(review_env["store"], review_env["engine"], review_env["redis"], weird)
    alice = signed_in(review_env["alice"], "alice")
    pages = {"item": open_item(alice, ids[f"child{ZWSP}-2"]).text, "queue": alice.get("/review/queue").text,
             "bulk": alice.post("/review/bulk/preview", data={
                 "csrf_token": csrf(alice.get("/review/queue").text), "decision": "approve",
                 "items": [f"{sid}:1" for sid in ids.values()]}).text}
    pages["audit"] = signed_in(review_env["bob"], "ann").get("/review/audit").text
    for name, html in pages.items():
        shown = shown_text(html)
        assert RLO not in shown and ZWSP not in shown, (name, shown[max(0, shown.find(RLO) - 80):][:160])
    item = pages["item"]
    assert "child[ZWSP]-2" in shown_text(re.search(r"<h1>(.*?)</h1>", item, re.S).group(1))  # the id
    assert "Wallboard[RLO] gpj.exe" in shown_text(item) and "t[ZWSP]9" in shown_text(item)  # topic title and id
    assert "parent[RLO]1" in shown_text(re.search(r'class="reply-to">(.*?)</strong>', item, re.S).group(1))
    assert "auth[RLO]or" in shown_text(re.search(r'class="author">(.*?)</span> ·', item, re.S).group(1))
    assert "hist[RLO]-3" in shown_text(item.split("Author's recent posts")[1])  # the author's history
    assert "child[ZWSP]-2" in shown_text(pages["queue"]) and "Wallboard[RLO] gpj.exe" in shown_text(pages["queue"])
    assert "child[ZWSP]-2" in shown_text(pages["bulk"]) and "post:child[ZWSP]-2" in shown_text(pages["audit"])


def shown_text(html: str) -> str:
    """What a reader sees: the text between tags (attribute values may keep a raw id, to link or filter by it)."""
    return re.sub(r"<[^>]*>", "", html)


def test_when_a_truncated_body_is_not_longer_than_the_known_cap_then_all_of_it_is_masked():
    # screened under a stored policy with a smaller cap than we know of: we cannot tell where screening stopped
    from modscreen.review.render import Evidence, pieces

    body = "Appelez-moi au 06 12 34 56 78. " * 10
    evidence = Evidence.of([], [], True, {"body": body}, body_cap=100_000)
    [mask] = pieces(body, "body", evidence)
    assert mask.kind == "mask" and mask.key == f"body:0:{len(body)}"
    assert [p.kind for p in pieces(body, "body", evidence, {mask.key})] == ["text"]  # until revealed
