import pytest

from tests.conftest import single_hit

NAME = "discrimination"


def found(run_check, body: str, **options) -> tuple[str, float, list[str]] | None:
    return single_hit(run_check, NAME, body, **options)


@pytest.mark.parametrize(
    ("body", "language", "code", "evidence"),
    [
        # fmt: off
        ("Can we route callers with foreign-sounding names to the back of the queue?", "en",
         "hate_speech.discrimination", ["Can we route callers with foreign-sounding names to the back of the queue"]),
        ("Women supervisors can't handle angry customers, send escalations to men only.", "en",
         "hate_speech.discrimination", ["Women supervisors can't handle angry customers", "send escalations to men only"]),
        ("Honestly the agents from Romania are dishonest by nature.", "en", "hate_speech.derogatory_generalisation",
         ["Honestly the agents from Romania are dishonest by nature"]),
        ("Put the Dutch speakers at the end of the queue, those people are never happy.", "en",
         "hate_speech.discrimination", ["Put the Dutch speakers at the end of the queue, those people are never happy"]),
        ("Foreigners who can't speak French should be hung up on.", "en", "hate_speech.discrimination",
         ["Foreigners who can't speak French should be hung up on"]),
        ("As long as we let all these immigrants in... send them home", "en", "hate_speech.discrimination",
         ["As long as we let all these immigrants in... send them home"]),
        ("Les agents marocains sont des fainéants, c'est culturel chez eux.", "fr",
         "hate_speech.derogatory_generalisation", ["Les agents marocains sont des fainéants, c'est culturel chez eux"]),
        ("Mettez les néerlandophones en fin de file, ces gens-là ne sont jamais contents.", "fr",
         "hate_speech.discrimination", ["Mettez les néerlandophones en fin de file, ces gens-là ne sont jamais contents"]),
        ("Les étrangers qui ne parlent pas français, il faut leur raccrocher au nez.", "fr",
         "hate_speech.discrimination", ["Les étrangers qui ne parlent pas français, il faut leur raccrocher au nez"]),
        ("Les femmes superviseurs ne savent pas gérer les clients énervés, envoyez les escalades uniquement aux hommes.",
         "fr", "hate_speech.discrimination",
         ["Les femmes superviseurs ne savent pas gérer les clients énervés", "envoyez les escalades uniquement aux hommes"]),
        # fmt: on
    ],
)
def test_when_a_post_derogates_or_discriminates_a_group_then_the_clause_is_reported(
        run_check, body, language, code, evidence):
    got = found(run_check, body, language=language)
    assert got is not None and (got[0], got[2]) == (code, evidence)
    assert got[1] >= 0.75


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("We must never route callers by accent.", "en"),
        ("How do I route Dutch speakers to the Antwerp team?", "en"),
        ("Our Dutch speakers queue is slow since the update.", "en"),
        ("The Indian agents are not lazy, they are overloaded.", "en"),
        ("Saying women can't handle angry customers is a stereotype.", "en"),
        ("The French version of the agent desktop is useless, half the labels are in English.", "en"),
        ("Comment router les appelants néerlandophones vers l'équipe d'Anvers ?", "fr"),
        ("Les Belges ne sont pas malhonnêtes.", "fr"),
        ("Il ne faut jamais trier les appels selon l'accent.", "fr"),
        ("Nos agents au Maroc répondent en français et en arabe.", "fr"),
        ("Women in support: the 2026 meetup is in Lyon.", "en"),
        # fmt: on
    ],
)
def test_when_a_group_is_named_neutrally_negated_or_defended_then_nothing_is_reported(run_check, body, language):
    assert run_check(NAME, body, language=language) == []


def test_when_discriminatory_words_are_reported_then_they_are_marked_reported(run_check):
    got = found(run_check, "A caller said foreigners should be hung up on; how do we respond?")
    assert got is not None and got[:2] == ("hate_speech.reported", 0.15)


def test_when_routing_by_a_protected_attribute_is_asked_then_it_is_discrimination(run_check):
    got = found(run_check, "Il faudrait trier les appels selon l'accent.", language="fr")
    assert got is not None and got[0] == "hate_speech.discrimination"


@pytest.mark.parametrize(
    "unit", ["les agents marocains ", "women supervisors ", "The Indian agents queue is slow. ", "immigrants ", "'x' "])
def test_when_input_is_adversarial_then_check_finishes(run_check, unit):
    body = (unit * (100_000 // len(unit) + 1))[:100_000]
    run_check(NAME, body, language=None)


@pytest.mark.parametrize(
    ("body", "language", "code"),
    [
        ("We hired two Romanian agents last month. They're lazy, it's in their nature.", "en",
         "hate_speech.derogatory_generalisation"),
        ("On a recruté des conseillers sénégalais. Ils sont malhonnêtes, c'est culturel.", "fr",
         "hate_speech.derogatory_generalisation"),
        ("Our Muslim agents asked for prayer breaks. We stopped hiring them.", "en", "hate_speech.discrimination"),
        ("Les conseillères voilées posaient problème, on ne les embauche plus.", "fr", "hate_speech.discrimination"),
    ],
)
def test_when_a_group_is_named_and_the_next_sentence_judges_them_then_the_combination_is_reported(
        run_check, body, language, code):
    got = found(run_check, body, language=language)
    assert got is not None and got[0] == code and got[1] >= 0.6


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Our Romanian agents cover the night shift. They're great with the new softphone.", "en"),
        ("Les conseillers sénégalais sont en pause. Ils doivent se reconnecter au bandeau.", "fr"),
        ("We're lazy about closing tickets, and our Dutch speakers queue has 4 agents.", "en"),
    ],
)
def test_when_a_group_is_named_beside_nothing_derogatory_then_the_mention_alone_reports_nothing(
        run_check, body, language):
    assert run_check(NAME, body, language=language) == []
