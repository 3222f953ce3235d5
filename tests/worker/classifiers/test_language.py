import subprocess
import sys

import pytest

from tests.conftest import REPO, make_doc

ENGLISH = [
    "Hello, since yesterday's update our agents can no longer pick up calls from the sales queue.",
    "How do I export the call log as CSV from the admin console?",
    "Thanks, restarting the softphone fixed it. Marking this as solved.",
    "The IVR keeps playing the closed message even during business hours, any idea why?",
]
FRENCH = [
    "Bonjour, depuis la mise à jour d'hier nos agents ne reçoivent plus les appels de la file commerciale.",
    "Comment exporter le journal des appels en CSV depuis la console d'administration ?",
    "Merci, le redémarrage du softphone a réglé le problème. Je passe le sujet en résolu.",
    "Le SVI diffuse le message de fermeture même pendant les heures d'ouverture, une idée ?",
]
OTHER = [
    ("Hallo zusammen, seit dem letzten Update können unsere Agenten keine Anrufe mehr annehmen.", "de"),
    ("Hola a todos, desde la última actualización nuestros agentes no pueden recibir llamadas.", "es"),
    ("Ciao a tutti, dopo l'ultimo aggiornamento i nostri operatori non riescono più a ricevere chiamate.", "it"),
]


@pytest.fixture(scope="module")
def language(checks):
    check = checks["language"]
    check.load()
    return check


def detect(language, body: str, hint: str | None = None, title: str | None = None) -> str | None:
    return language.detect_languages([make_doc(body, language=hint, title=title)])[0]


@pytest.mark.parametrize("body", ENGLISH)
def test_when_post_is_english_then_en_is_detected_whatever_the_hint(language, body):
    assert detect(language, body) == "en"
    assert detect(language, body, hint="fr") == "en"


@pytest.mark.parametrize("body", FRENCH)
def test_when_post_is_french_then_fr_is_detected_whatever_the_hint(language, body):
    assert detect(language, body) == "fr"
    assert detect(language, body, hint="en") == "fr"


@pytest.mark.parametrize("body", ["ok merci", "lol", "SIP 503", "ça marche", "nice one", "ok"])
def test_when_text_is_short_and_ambiguous_then_the_hint_is_used(language, body):
    assert detect(language, body, hint="fr") == "fr"
    assert detect(language, body, hint="en-GB") == "en"


def test_when_text_is_too_short_and_there_is_no_hint_then_language_is_unknown(language):
    assert detect(language, "lol") is None


@pytest.mark.parametrize("body", ["", "   ", "!!! ??? ...", "😀😀👍", "1234 5678", "https://example.com/a?b=c"])
def test_when_text_has_no_letters_then_language_is_none_without_raising(language, body):
    assert detect(language, body, hint="en") is None
    assert detect(language, body) is None


def test_when_title_and_body_are_given_then_both_count(language):
    assert detect(language, "Merci d'avance pour votre aide.", title="Export des appels impossible") == "fr"


def test_when_called_twice_or_in_a_batch_then_answers_do_not_change(language):
    texts = ENGLISH + FRENCH + [text for text, _ in OTHER] + ["ok merci", "good luck", "moi aussi"]
    docs = [make_doc(text, language=None) for text in texts]
    first = language.detect_languages(docs)
    assert language.detect_languages(docs) == first
    assert [language.detect_languages([doc])[0] for doc in docs] == first


def test_when_run_in_a_fresh_process_then_answers_are_the_same(language):
    texts = ["me too", "moi aussi", "good luck", "c'est nul", "Can someone explain", ENGLISH[0], FRENCH[0]]
    here = [detect(language, text) for text in texts]
    script = (
        "import sys, json\n"
        "from tests.conftest import POLICY_PATH, make_doc\n"
        "from worker.assembly import build_checks, load_registered_policy\n"
        "from worker.community import load_community\n"
        "checks = {c.name: c for c in build_checks(load_registered_policy(POLICY_PATH), POLICY_PATH.parent / 'checks',\n"
        "                                          load_community(POLICY_PATH.parent / 'community.toml'))}\n"
        "check = checks['language']; check.load()\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([check.detect_languages([make_doc(t, language=None)])[0] for t in texts]))\n"
    )
    import json

    result = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True, cwd=REPO,
        env={"PYTHONHASHSEED": "123", "PATH": ""}, check=True,
    )
    assert json.loads(result.stdout) == here


@pytest.mark.parametrize(("body", "code"), OTHER)
def test_when_post_is_in_an_unsupported_language_then_it_is_flagged_with_the_confidence(language, body, code):
    doc = make_doc(body, language="en")
    detected = language.detect_languages([doc])[0]
    assert detected == code
    [hit] = language.check_batch([doc.with_language(detected)])[0]
    assert hit.code == "language.unsupported"
    assert 0.9 <= hit.score <= 1.0
    assert ("language", code) in hit.details


@pytest.mark.parametrize(("body", "hint"), [(ENGLISH[0], None), (FRENCH[0], "fr"), ("lol", None), ("", "de")])
def test_when_language_is_supported_or_unknown_then_nothing_is_reported(language, body, hint):
    doc = make_doc(body, language=hint)
    assert language.check_batch([doc.with_language(language.detect_languages([doc])[0])])[0] == []


def test_when_the_hint_names_an_unsupported_language_for_a_short_text_then_the_score_is_low(language):
    doc = make_doc("Prima Sache!", language="de")
    detected = language.detect_languages([doc])[0]
    assert detected == "de"
    hits = language.check_batch([doc.with_language(detected)])[0]
    assert all(hit.score < 0.8 for hit in hits)


@pytest.mark.parametrize(("body", "code"), [
    # fmt: off
    # short replies that are a listed thank-you of another language
    ("Danke!", "de"), ("Gracias!!", "es"), ("ok dzięki", "pl"), ("Tack så mycket", "sv"), ("Grazie mille.", "it"),
    # posts mixing English product terms into another language
    ("¿Alguien ha configurado Teams direct routing junto con ContactFlow usando un solo SBC? Nos interesa la experiencia.", "es"),
    ("El softphone muestra 'Registration failed (408)' desde esta mañana. ¿Qué puertos hay que abrir?", "es"),
    ("Dzień dobry, od wczoraj nagrania rozmów są puste (0 sekund). Softphone wersja 5.2.1. Czy ktoś miał podobny problem?", "pl"),
    ("Vi har konfigurerat SAML SSO med Entra ID men användarna hamnar i en inloggningsloop. Någon som vet varför?", "sv"),
    ("Merhaba, softphone uygulamasında Türkçe dil desteği var mı? Ajanlarımız İngilizce arayüzde zorlanıyor.", "tr"),
    ("Bei uns das gleiche Problem. Das Wallboard friert nach ca. 60 Minuten ein, Browser-Refresh hilft.", "de"),
    # fmt: on
])
def test_when_a_post_or_short_reply_is_in_another_language_then_it_is_reported_despite_product_terms(language, body, code):
    doc = make_doc(body, language=None)
    detected = language.detect_languages([doc])[0]
    assert detected == code
    [hit] = language.check_batch([doc.with_language(detected)])[0]
    assert hit.score >= 0.8


@pytest.mark.parametrize(("body", "code"), [
    # fmt: off
    ("Thanks, setting the kiosk token to 'long-lived' in Admin > Wallboards fixed it.", "en"),
    ("Le softphone affiche 'Registration failed (408)' depuis ce matin, quels ports faut-il ouvrir ?", "fr"),
    ("Tel quel, pas de base64.", "fr"),
    ("Merci, le refresh token marche avec le connecteur HubSpot.", "fr"),
    ("Danke is what our German agents say; the wallboard shows it on the agent desktop.", "en"),
    # fmt: on
])
def test_when_english_or_french_post_has_product_terms_or_quotes_then_it_is_not_reported(language, body, code):
    doc = make_doc(body, language=None)
    detected = language.detect_languages([doc])[0]
    assert detected in (code, None)
    assert language.check_batch([doc.with_language(detected)])[0] == []
