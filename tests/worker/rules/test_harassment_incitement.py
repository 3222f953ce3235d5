import pytest

from tests.conftest import single_hit

NAME = "harassment_incitement"


def found(run_check, body: str, **options) -> tuple[str, float, list[str]] | None:
    return single_hit(run_check, NAME, body, **options)


@pytest.mark.parametrize(
    ("body", "language", "evidence"),
    [
        # fmt: off
        ("That mod closed my thread. Her name is on LinkedIn, everybody flood her inbox until she quits.", "en",
         ["everybody flood her inbox until she quits"]),
        ("Everyone should spam this guy until he deletes his post.", "en",
         ["Everyone should spam this guy until he deletes his post"]),
        ("Let's all make his life hell.", "en", ["Let's all make his life hell"]),
        ("Son nom est sur LinkedIn, tout le monde lui écrit jusqu'à ce qu'elle démissionne.", "fr",
         ["tout le monde lui écrit jusqu'à ce qu'elle démissionne"]),
        ("Allez-y, harcelez-la, elle l'a bien cherché.", "fr", ["Allez-y, harcelez-la"]),
        ("Pourrissez-lui la vie à ce modérateur.", "fr", ["Pourrissez-lui la vie à ce modérateur"]),
        # fmt: on
    ],
)
def test_when_a_post_calls_on_others_to_harass_a_person_then_it_is_incitement(run_check, body, language, evidence):
    got = found(run_check, body, language=language)
    assert got is not None and got[0] == "threats.incitement" and got[1] >= 0.75
    assert got[2] == evidence


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Everyone spam the refresh button and see if the wallboard updates.", "en"),
        ("Let's flood the queue with test calls before go-live.", "en"),
        ("Call him back tomorrow, he is on the night shift.", "en"),
        ("Please don't spam her, she is just doing her job.", "en"),
        ("Tout le monde peut appeler le support entre 8h et 18h.", "fr"),
        ("Inondez la file de test avec des appels fictifs pour la recette.", "fr"),
        ("Everyone call the support line until they fix it", "en"),
        # fmt: on
    ],
)
def test_when_crowd_words_meet_no_person_or_a_negation_then_nothing_is_reported(run_check, body, language):
    assert run_check(NAME, body, language=language) == []


def test_when_an_incitement_is_reported_then_it_is_marked_reported(run_check):
    got = found(run_check, "Someone posted asking everyone to flood her inbox; how do we handle it?")
    assert got is not None and got[:2] == ("threats.reported", 0.3)


@pytest.mark.parametrize("unit", ["everybody flood her inbox ", "harcelez-la ", "until she quits ", "'x' ", "a"])
def test_when_input_is_adversarial_then_check_finishes(run_check, unit):
    body = (unit * (100_000 // len(unit) + 1))[:100_000]
    run_check(NAME, body, language=None)
