import pytest

from tests.conftest import evidence_texts, make_doc

NAME = "censored_swearing"


def found(run_check, body: str, language: str = "en") -> list[str]:
    hits = run_check(NAME, body, language=language)
    assert all(hit.code == "offensive.censored_swearing" and hit.score == 0.9 for hit in hits)
    return evidence_texts(make_doc(body, language=language), hits)


@pytest.mark.parametrize(
    ("body", "language", "evidence"),
    [
        # fmt: off
        ("The f***ing recorder dropped every call after the update.", "en", ["f***ing"]),
        ("Sick of this s**t, the wallboard froze again.", "en", ["s**t"]),
        ("Our billing is a complete sh!tshow this quarter.", "en", ["sh!tshow"]),
        ("What a sh!tty release.", "en", ["sh!tty"]),
        ("'Degraded performance' my a**.", "en", ["a**"]),
        ("This softphone is fcking useless.", "en", ["fcking"]),
        ("B!tch of a bug, took me two days.", "en", ["B!tch"]),
        ("Quelle m€rde ce connecteur CRM.", "fr", ["m€rde"]),
        ("C'est quoi ce b0rdel dans les files ?", "fr", ["b0rdel"]),
        ("P*tain de mise à jour, plus de son.", "fr", ["P*tain"]),
        ("J'en ai ras le c*l de ce wallboard.", "fr", ["c*l"]),
        ("Fait ch**r, encore planté.", "fr", ["ch**r"]),
        # fmt: on
    ],
)
def test_when_swearing_is_disguised_then_it_is_reported(run_check, body, language, evidence):
    assert found(run_check, body, language) == evidence


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("My Galaxy A55 drops calls on Wi-Fi.", "en"),
        ("In a text post, **bold** shows the asterisks literally.", "en"),
        ("@assistance_team the price is $5 per seat, right?", "en"),
        ("Error C0N-42 on the SIP trunk, h3llo world test page.", "en"),
        ("Write ****** in the password field of the form.", "en"),
        ("The hell of a day is over, thanks for the fix.", "en"),  # plain words: the profanity check's job
        ("Le conseiller 4 a la compétence « Néerlandais » niveau 2.", "fr"),
        # fmt: on
    ],
)
def test_when_symbols_digits_or_plain_words_then_nothing_is_reported(run_check, body, language):
    assert found(run_check, body, language) == []
