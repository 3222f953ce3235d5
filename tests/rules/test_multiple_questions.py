import pytest

from tests.conftest import evidence_texts, make_doc


def questions(run_check, body: str, **options) -> list[str]:
    hits = run_check("multiple_questions", body, **options)
    return evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("How do I reset my password? Also, where is the IVR menu editor?", "en",
         ["How do I reset my password?", "Also, where is the IVR menu editor?"]),
        ("Comment exporter les appels en CSV ? Et pourquoi le SIP renvoie 503 ?", "fr",
         ["Comment exporter les appels en CSV ?", "Et pourquoi le SIP renvoie 503 ?"]),
        ("Est-ce que la mise à jour est prévue\nPourquoi le SIP renvoie 503 ?", "fr",
         ["Est-ce que la mise à jour est prévue", "Pourquoi le SIP renvoie 503 ?"]),
        ("My questions:\n1. How do I add an agent\n2. Where is the queue report?", "en",
         ["How do I add an agent", "Where is the queue report?"]),
        # fmt: on
    ],
)
def test_when_post_asks_several_questions_then_every_question_is_evidence(run_check, body, language, expected):
    assert questions(run_check, body, language=language) == expected


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("How do I reset my password?", "en"),
        ("Comment faire pour exporter en CSV ? Merci d'avance. Des idées ?", "fr"),
        ("See https://support.example.com/search?q=sip how do I fix it?", "en"),
        ("How do I reset my password? I mean, how can I reset my password?", "en"),
        ("The dialog says \"Are you sure? Really?\" and then nothing happens. Why does it freeze?", "en"),
        ("Le message « Voulez-vous continuer ? » s'affiche en boucle. Comment l'éviter ?", "fr"),
    ],
)
def test_when_post_asks_one_question_then_nothing_is_flagged(run_check, body, language):
    assert run_check("multiple_questions", body, language=language) == []


def test_when_questions_sit_in_code_or_quotes_then_they_do_not_count(run_check):
    markdown = "> Did you restart it? Did you check the logs?\n\nYes. How do I export the call log?\n\n```\nif x? y : z\n```"
    assert run_check("multiple_questions", markdown, post_format="markdown") == []
    bbcode = "[quote]Pourquoi ? Comment ?[/quote]Comment exporter le journal d'appels ?"
    assert run_check("multiple_questions", bbcode, post_format="bbcode", language="fr") == []
    html = "<blockquote>Why? How?</blockquote><p>How do I export the call log?</p><pre>a ? b</pre>"
    assert run_check("multiple_questions", html, post_format="html") == []


def test_when_evidence_is_in_html_then_offsets_point_at_the_submitted_text(run_check):
    body = "<p>How do I <b>reset</b> it?</p><p>Where is the &quot;IVR&quot; editor?</p>"
    hits = run_check("multiple_questions", body, post_format="html")
    assert evidence_texts(make_doc(body, post_format="html"), hits) == [
        "How do I <b>reset</b> it?",
        "Where is the &quot;IVR&quot; editor?",
    ]


def test_when_second_question_has_no_question_mark_then_score_is_lower(run_check):
    [hit] = run_check("multiple_questions", "How do I reset it? How can we add a new agent to the queue.")
    assert hit.score == pytest.approx(0.7)
