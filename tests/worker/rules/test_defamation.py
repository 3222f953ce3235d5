import pytest

from tests.conftest import evidence_texts, make_doc

NAME = "defamation"


def found(run_check, body: str, language: str = "en") -> list[str]:
    hits = run_check(NAME, body, language=language)
    assert all(hit.code == "offensive.defamation" and hit.score == 0.85 for hit in hits)
    return evidence_texts(make_doc(body, language=language), hits)


@pytest.mark.parametrize(
    ("body", "language", "evidence"),
    [
        # fmt: off
        ("Marc from support is stealing from customers, everyone knows it.", "en", ["Marc from support", "is stealing"]),
        ("Our account manager, Laura Benson, lies to customers about renewal dates.", "en",
         ["Laura Benson", "lies to customers"]),
        ("The head of billing cooks the books every quarter.", "en", ["head of billing", "cooks the books"]),
        ("Kevin at ContactFlow pocketed our refund.", "en", ["Kevin at ContactFlow", "pocketed"]),
        ("Julien du support N2 est un escroc, il ferme les tickets sans les lire.", "fr",
         ["Julien du support", "est un escroc"]),
        ("Le directeur commercial, Bernard Lefèvre, truque les chiffres de disponibilité.", "fr",
         ["Bernard Lefèvre", "truque"]),
        ("Leur chef de produit ment aux clients depuis des mois.", "fr", ["chef de produit", "ment"]),
        # fmt: on
    ],
)
def test_when_a_named_person_is_accused_of_dishonesty_then_it_is_reported(run_check, body, language, evidence):
    assert found(run_check, body, language) == evidence


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("The problem lies in the codec negotiation, Paul Stevens confirmed it.", "en"),
        ("Marc from support fixed our trunk in ten minutes, great job.", "en"),
        ("The ACD is stealing calls from queue B when overflow is on.", "en"),
        ("In Task Manager the softphone steals focus from the CRM.", "en"),
        ("I'm not saying Paul Stevens lied, the dashboard is just wrong.", "en"),
        ("Sophie du support nous a envoyé la procédure, merci à elle.", "fr"),
        ("Le commercial ne ment pas, la remise est bien dans le contrat.", "fr"),
        ("Pierre Martin a volé la vedette à la démo, son wallboard était top.", "fr"),
        ('Un appelant a traité notre conseiller de « voleur ».', "fr"),
        # fmt: on
    ],
)
def test_when_no_accusation_or_no_person_then_nothing_is_reported(run_check, body, language):
    assert found(run_check, body, language) == []
