import pytest

from tests.conftest import evidence_texts, make_doc


def new_questions(run_check, body: str, **options) -> list[str]:
    options.setdefault("reply_to", "p0")
    hits = run_check("question_in_existing_topic", body, **options)
    return evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("title", "body", "language", "expected"),
    [
        # fmt: off
        ("SIP 503 on outbound calls", "Hi, unrelated but how do I export the call recordings to CSV?", "en",
         ["Hi, unrelated but how do I export the call recordings to CSV?"]),
        ("IVR menu not playing", "Thanks. Where can I change the wallboard colours for my supervisors?", "en",
         ["Where can I change the wallboard colours for my supervisors?"]),
        ("Erreur SIP 503 sur les appels sortants",
         "Bonjour, comment changer le logo de la page d'accueil du portail agent ?", "fr",
         ["Bonjour, comment changer le logo de la page d'accueil du portail agent ?"]),
        ("Le menu SVI ne se joue pas", "Est-ce que quelqu'un sait renouveler la licence WFM sans perdre les plannings ?",
         "fr", ["Est-ce que quelqu'un sait renouveler la licence WFM sans perdre les plannings ?"]),
        ("Export CSV truncated", "Anyone watching the football tonight?", None,
         ["Anyone watching the football tonight?"]),
        # fmt: on
    ],
)
def test_when_reply_asks_an_unrelated_question_then_it_is_evidence(run_check, title, body, language, expected):
    assert new_questions(run_check, body, topic_title=title, language=language) == expected
    [hit] = run_check("question_in_existing_topic", body, topic_title=title, language=language, reply_to="p0")
    assert hit.score >= 0.6


@pytest.mark.parametrize(
    ("title", "body", "language"),
    [
        # fmt: off
        ("SIP 503 on outbound calls", "Did you find a fix for the 503 errors?", "en"),
        ("SIP 503 on outbound calls", "Is the 503 only on outbound calls or on inbound ones too?", "en"),
        ("SIP 503 on outbound calls", "Same problem here since the update. Which firmware are you on?", "en"),
        ("SIP 503 on outbound calls", "Any news?", "en"),
        ("SIP 503 on outbound calls", "Any update on this? We still see it every morning.", "en"),
        ("Erreur SIP 503 sur les appels sortants", "Même problème chez nous, vous avez trouvé une solution ?", "fr"),
        ("Erreur SIP 503 sur les appels sortants", "Toujours pas de correctif pour le 503 ?", "fr"),
        ("Erreur SIP 503 sur les appels sortants", "Moi aussi. Ça arrive sur quel opérateur chez vous ?", "fr"),
        ("Export des appels en CSV", "Vous exportez depuis le rapport d'appels ou depuis l'API ?", "fr"),
        ("IVR menu not playing", "Thanks, that fixed it!", "en"),
        # fmt: on
    ],
)
def test_when_reply_follows_up_on_the_topic_then_score_stays_low(run_check, title, body, language):
    hits = run_check("question_in_existing_topic", body, topic_title=title, language=language, reply_to="p0")
    assert all(hit.score < 0.6 for hit in hits)


def test_when_topic_title_is_unknown_then_nothing_is_reported(run_check):
    body = "How do I export the call recordings to CSV?"
    assert run_check("question_in_existing_topic", body, topic_title=None, reply_to="p0") == []


def test_when_post_opens_a_topic_then_the_check_does_not_apply(run_check):
    assert run_check("question_in_existing_topic", "How do I export to CSV?", topic_title="IVR menu") == []


def test_when_question_sits_in_a_quote_then_it_does_not_count(run_check):
    body = "> How do I export the call recordings to CSV?\n\nSame SIP 503 here on outbound calls."
    options = {"topic_title": "SIP 503 on outbound calls", "reply_to": "p0", "post_format": "markdown"}
    assert run_check("question_in_existing_topic", body, **options) == []


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "?" * 100_000, "how do I? " * 10_000, "How do I " + "really " * 14_000, "é?" * 50_000],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, body):
    run_check("question_in_existing_topic", body, topic_title="SIP 503 on outbound calls", reply_to="p0", language=None)


@pytest.mark.parametrize(
    ("title", "body", "language"),
    [
        # fmt: off
        ("Queue position announcement is wrong", "Unrelated, but can we announce the estimated wait time instead?", "en"),
        ("Skills-based routing: calls go to the wrong agents",
         "Btw, anyone know how to set up a priority boost for callers who called twice in the same day?", "en"),
        ("Reporting API returns empty intervals",
         "While I'm here: is there an endpoint for wallboard definitions, so we can version them in git?", "en"),
        ("Hold music volume too low", "Different question. I'd like to know whether licensed music from Spotify can be used", "en"),
        ("Trunk SIP : appels sortants rejetés avec 403", "Autre question : est-ce qu'on peut avoir deux trunks en secours ?", "fr"),
        ("Licences : un agent désactivé consomme toujours une licence",
         "Sinon quelqu'un sait comment changer la langue de l'interface pour un seul agent ?", "fr"),
        ("Planning WFM : import des absences", "Je profite du fil : comment on affiche le planning aux agents sur leur téléphone ?", "fr"),
        # fmt: on
    ],
)
def test_when_reply_announces_another_subject_then_its_question_is_new(run_check, title, body, language):
    [hit] = run_check("question_in_existing_topic", body, topic_title=title, language=language, reply_to="p0")
    assert hit.score >= 0.6


@pytest.mark.parametrize(
    ("title", "body", "language"),
    [
        # fmt: off
        ("Outbound caller ID shows Unknown", "Does this also apply to callbacks? I mean, do they use the queue's caller ID?", "en"),
        ("Webhook call.ended sent twice", "Is the delivery id the same on every retry? Can we rely on it as an idempotency key?", "en"),
        ("Scheduled reports arrive empty on Mondays", "Is there a way to force last week to use our local timezone with that setting?", "en"),
        ("Webhook de fin d'appel : signature HMAC invalide", "Et le secret, il est encodé en base64 ou utilisé tel quel ?", "fr"),
        ("Planning WFM : import des absences depuis Excel",
         "Pourriez-vous svp partager un exemple de fichier avec des données fictives ? Je n'arrive pas à reproduire.", "fr"),
        ("Supervision : écoute discrète ne fonctionne pas",
         "Ok, ça marche en écoute. Mais le bouton Chuchotement reste grisé, il faut un droit spécifique pour ça ?", "fr"),
        # fmt: on
    ],
)
def test_when_question_refers_back_to_the_thread_then_it_is_a_follow_up(run_check, title, body, language):
    hits = run_check("question_in_existing_topic", body, topic_title=title, language=language, reply_to="p0")
    assert all(hit.score < 0.6 for hit in hits)
