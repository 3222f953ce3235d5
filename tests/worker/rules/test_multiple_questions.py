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


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("I'd like to know how long recordings are kept after we cancel, and also whether we can export them first.",
         "en", ["I'd like to know how long recordings are kept after we cancel", "and also whether we can export them first."]),
        ("I also need to know if the connector can create a ticket when no match is found, and whether it can fill in "
         "the caller's language", "en",
         ["I also need to know if the connector can create a ticket when no match is found",
          "and whether it can fill in the caller's language"]),
        ("Could you tell me whether the TTS voices support Canadian French and, separately, how we upload our own WAV prompts",
         "en", ["Could you tell me whether the TTS voices support Canadian French",
                "and, separately, how we upload our own WAV prompts"]),
        ("J'aimerais savoir combien de tentatives sont faites et également si on peut choisir l'intervalle.", "fr",
         ["J'aimerais savoir combien de tentatives sont faites", "et également si on peut choisir l'intervalle."]),
        ("Je me demandais quel est le format exact du header, et aussi si le secret est global au compte", "fr",
         ["Je me demandais quel est le format exact du header", "et aussi si le secret est global au compte"]),
        ("J'aimerais savoir combien de temps la pause peut durer. Et est-ce que la reprise est automatique ?", "fr",
         ["J'aimerais savoir combien de temps la pause peut durer.", "Et est-ce que la reprise est automatique ?"]),
        ("Couple of questions: 1) can the limit be raised on Enterprise 2) is there a bulk export endpoint", "en",
         ["can the limit be raised on Enterprise", "is there a bulk export endpoint"]),
        ("Few questions from IT. Can the softphone be installed per machine. Does it auto-update.", "en",
         ["Can the softphone be installed per machine.", "Does it auto-update."]),
        # fmt: on
    ],
)
def test_when_questions_are_indirect_or_listed_then_each_one_counts(run_check, body, language, expected):
    assert questions(run_check, body, language=language) == expected
    [hit] = run_check("multiple_questions", body, language=language)
    assert hit.score >= 0.7


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        # one indirect question, with "and" joining words or a condition, not a second question
        ("I'd like to know how to export the call log and the recordings in one go.", "en"),
        ("I'd like to know whether the survey fires after a transfer, and if possible in which queue.", "en"),
        ("J'aimerais savoir comment exporter les appels et les enregistrements en une fois.", "fr"),
        ("Je voudrais savoir si on peut forcer G.711, et si oui où se trouve l'option.", "fr"),
        # a question restated in other words
        ("Is the X-CF-Delivery-Id the same on every retry? I.e. can we rely on it as an idempotency key?", "en"),
        ("Does this also apply to callbacks? I mean, do callbacks use the queue's caller ID or the agent's?", "en"),
        ("Le secret est encodé en base64 ou utilisé tel quel ? Autrement dit, faut-il le décoder avant le HMAC ?", "fr"),
        ("Les messages sont-ils renvoyés ? En clair, est-ce qu'on doit les récupérer à la main ?", "fr"),
        # "?" and "." inside a URL, a path or a domain do not end a sentence
        ("Is there an RSS feed for status.contactflow.example? I'd like to pipe incidents into Teams.", "en"),
        ("Quand on appelle /v2/calls?from=2026-01-01 on prend des 429. Quelle est la limite exacte ?", "fr"),
        # tag questions
        ("How do I reset the softphone cache? Any ideas?", "en"),
        # fmt: on
    ],
)
def test_when_post_asks_one_question_in_any_form_then_nothing_is_flagged(run_check, body, language):
    assert run_check("multiple_questions", body, language=language) == []


@pytest.mark.parametrize(
    "body",
    ["and also whether " * 6_000, "1) is " * 15_000, "i.e. " * 20_000, "a.b?c " * 15_000, "?" * 100_000 + " and also if"],
)
def test_when_input_is_adversarial_then_the_finder_stays_fast(run_check, body):
    hits = run_check("multiple_questions", body, language=None)
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
