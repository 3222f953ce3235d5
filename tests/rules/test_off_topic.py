import pytest

from tests.conftest import evidence_texts, make_doc


def unrelated(run_check, body: str, **options) -> list[str]:
    options.setdefault("reply_to", "p0")
    hits = run_check("off_topic", body, **options)
    return evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("title", "body", "language", "expected"),
    [
        # fmt: off
        ("IVR menu not playing", "Anyone watching the football tonight?", "en",
         ["Anyone watching the football tonight?"]),
        ("IVR menu not playing", "Thanks! Anyone watching the football tonight? Great match last week.", "en",
         ["Anyone watching the football tonight?", "Great match last week."]),
        ("Le menu SVI ne se joue pas", "Quelqu'un a vu le match de foot hier soir ? Incroyable la fin !", "fr",
         ["Quelqu'un a vu le match de foot hier soir ?", "Incroyable la fin !"]),
        ("Export CSV tronqué", "Je vends ma voiture, très bon état, kilométrage faible.", "fr",
         ["Je vends ma voiture, très bon état, kilométrage faible."]),
        # fmt: on
    ],
)
def test_when_reply_shares_nothing_with_topic_or_domain_then_it_is_evidence(run_check, title, body, language, expected):
    assert unrelated(run_check, body, topic_title=title, language=language) == expected
    [hit] = run_check("off_topic", body, topic_title=title, language=language, reply_to="p0")
    assert hit.code == "off_topic.unrelated"
    assert 0.7 <= hit.score <= 0.75


@pytest.mark.parametrize(
    ("title", "body", "language"),
    [
        # fmt: off
        ("IVR menu not playing", "Thanks, that fixed it!", "en"),
        ("IVR menu not playing", "+1", "en"),
        ("IVR menu not playing", "Same here", "en"),
        ("IVR menu not playing", "Thank you so much, works now :)", "en"),
        ("Le menu SVI ne se joue pas", "Merci, ça marche !", "fr"),
        ("Le menu SVI ne se joue pas", "Pareil pour moi. Merci beaucoup !", "fr"),
        ("IVR menu not playing", "Check the prompt audio format, it must be 8 kHz mono WAV.", "en"),
        ("IVR menu not playing", "Did you publish the menu after editing it? Unpublished menus stay silent.", "en"),
        ("Export CSV truncated", "Open it with a text editor rather than Excel: Excel cuts long columns.", "en"),
        ("Le menu SVI ne se joue pas", "Vérifiez que l'annonce est bien publiée dans le flux.", "fr"),
        ("SIP 503 on outbound calls", "Ask your carrier: 503 usually means their side rejected the trunk.", "en"),
        # fmt: on
    ],
)
def test_when_reply_acknowledges_or_is_on_topic_then_nothing_is_flagged(run_check, title, body, language):
    assert run_check("off_topic", body, topic_title=title, language=language, reply_to="p0") == []


def test_when_topic_title_is_unknown_then_score_is_lower(run_check):
    [hit] = run_check("off_topic", "Anyone watching the football tonight?", topic_title=None, reply_to="p0")
    assert hit.score < 0.7


def test_when_reply_is_only_a_link_then_its_words_do_not_count(run_check):
    body = "https://www.youtube.com/watch?v=football-tonight-highlights"
    assert run_check("off_topic", body, topic_title="IVR menu not playing", reply_to="p0") == []


def test_when_post_opens_a_topic_then_the_check_does_not_apply(run_check):
    assert run_check("off_topic", "Anyone watching the football tonight?", topic_title="IVR menu") == []


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "?" * 100_000, "thanks " * 14_000, "+1 " * 33_000, "é." * 50_000, "football " * 11_000],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, body):
    run_check("off_topic", body, topic_title="IVR menu not playing", reply_to="p0", language=None)
