import pytest

from tests.conftest import evidence_texts, make_doc

pytestmark = pytest.mark.slow


def off_topic_score(run_check, body: str, **options) -> float:
    options.setdefault("reply_to", "p0")
    hits = run_check("off_topic", body, **options)
    assert len(hits) <= 1
    return hits[0].score if hits else 0.0


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # fmt: off
        # chit-chat sharing a word with the thread title ("ticket", "weekend") is still chit-chat
        ("Hold music volume too low", "Anyone going to the Coldplay concert at Wembley on Saturday? I have a spare ticket"),
        ("Zendesk pops the wrong ticket", "Got tickets for the Arsenal game this weekend, can't wait!"),
        ("Scheduled reports arrive empty on weekends", "Have a great weekend everyone, we're off to the seaside with the kids"),
        ("IVR menu not playing", "Happy birthday Tom! Hope the cake was good 🎂"),
        ("IVR menu not playing", "Did anyone see the new Bond film? Honestly the best one in years"),
        ("Export CSV truncated", "My cat just walked across my keyboard and sent half an email to my boss, here's the video lol"),
        ("Softphone audio drops", "What's everyone having for lunch? I'm thinking pizza"),
        ("Le menu SVI ne se joue pas", "Quelqu'un a vu le match de foot hier soir ? Incroyable la fin !"),
        ("Ticket Zendesk en double", "J'ai eu des places pour le concert de Stromae ce week-end, trop contente"),
        ("Export CSV tronqué", "Bon week-end à tous, je pars en vacances en Bretagne lundi !"),
        ("Export CSV tronqué", "Joyeux anniversaire Julien, passe une super journée 🎉"),
        ("Export CSV tronqué", "Vous avez une bonne recette de crêpes ? Ce soir c'est crêpes à la maison"),
        # fmt: on
    ],
)
def test_when_reply_is_chit_chat_then_it_is_off_topic(run_check, policy, title, body):
    review_at = policy.categories["off_topic"].review_at
    assert off_topic_score(run_check, body, topic_title=title, language=None) >= review_at


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # fmt: off
        ("IVR menu not playing", "Thanks, that fixed it!"),
        ("IVR menu not playing", "+1"),
        ("IVR menu not playing", "Thank you so much, works now :)"),
        ("Le menu SVI ne se joue pas", "Merci, ça marche !"),
        ("Le menu SVI ne se joue pas", "merci, ça marche ! bon week-end"),
        ("Transfert d'appel vers un portable", "Merci Claire, c'était bien ça, ça marche maintenant."),
        # on-topic answers in other words than the title's
        ("IVR menu not playing", "Check the prompt audio format, it must be 8 kHz mono WAV."),
        ("Export CSV truncated", "Open it with a text editor rather than Excel: Excel cuts long columns."),
        ("Le menu SVI ne se joue pas", "Vérifiez que l'annonce est bien publiée dans le flux."),
        ("SIP 503 on outbound calls", "Ask your carrier: 503 usually means their side rejected the trunk."),
        ("Wallboard stops refreshing", "Try turning it off and on again, then clear the browser cache."),
        ("Scheduled reports arrive empty on weekends",
         "The weekend schedule runs in UTC, so set the period to local time in the report options."),
        ("Transfert d'appel vers un portable",
         "Pour le transfert externe il faut autoriser les numéros mobiles dans les droits de l'agent."),
        # fmt: on
    ],
)
def test_when_reply_thanks_or_answers_then_it_is_not_off_topic(run_check, policy, title, body):
    review_at = policy.categories["off_topic"].review_at
    assert off_topic_score(run_check, body, topic_title=title, language=None) < review_at


def test_when_reply_is_only_acknowledgements_then_nothing_is_reported(run_check):
    for body in ("Thanks, that fixed it!", "+1", "Same here", "Merci beaucoup, ça marche !"):
        assert run_check("off_topic", body, topic_title="IVR menu not playing", reply_to="p0", language=None) == []


def test_when_thread_is_chit_chat_then_a_short_reply_in_it_is_off_topic(run_check, policy):
    review_at = policy.categories["off_topic"].review_at
    in_chat_thread = off_topic_score(run_check, "Yes! 2-1 to us, calling it now", topic_title="Anyone watching the match tonight?")
    in_product_thread = off_topic_score(run_check, "Yes! 2-1 to us, calling it now", topic_title="SIP 503 on outbound calls")
    assert in_chat_thread >= review_at
    assert in_chat_thread > in_product_thread


def test_when_moderator_redirects_a_chit_chat_thread_then_the_redirect_is_not_off_topic(run_check, policy):
    body = ("Friendly reminder that this forum is for ContactFlow questions, please use the break-room channel "
            "for this.")
    assert off_topic_score(run_check, body, topic_title="Anyone watching the match tonight?") < policy.categories["off_topic"].review_at


def test_when_opening_post_is_chit_chat_then_it_is_off_topic(run_check, policy):
    review_at = policy.categories["off_topic"].review_at
    chat = "Slow week here, so a quick poll: what's your favourite Christmas film? Mine is Elf."
    question = "Since Monday all our outbound calls fail with SIP 503 from the trunk. Inbound works. Any idea?"
    assert off_topic_score(run_check, chat, title="Favourite Christmas films?", reply_to=None) >= review_at
    assert off_topic_score(run_check, question, title="SIP 503 on outbound calls since Monday", reply_to=None) < review_at


def test_when_reply_is_flagged_then_evidence_is_its_chit_chat_sentence(run_check):
    body = "Thanks for the tip. Anyway, happy birthday Tom! Hope the cake was good."
    options = {"topic_title": "IVR menu not playing", "reply_to": "p0", "language": None}
    [hit] = run_check("off_topic", body, **options)
    assert hit.code == "off_topic.unrelated"
    texts = evidence_texts(make_doc(body, **options), [hit])
    assert "Anyway, happy birthday Tom!" in texts or "Hope the cake was good." in texts
    assert "Thanks for the tip." not in texts


def test_when_reply_is_only_a_link_then_nothing_is_reported(run_check):
    body = "https://www.youtube.com/watch?v=football-tonight-highlights"
    assert run_check("off_topic", body, topic_title="IVR menu not playing", reply_to="p0") == []


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "?" * 100_000, "thanks " * 14_000, "+1 " * 33_000, "é." * 50_000, "football " * 11_000, ""],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, body):
    hits = run_check("off_topic", body, topic_title="IVR menu not playing", reply_to="p0", language=None)
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
