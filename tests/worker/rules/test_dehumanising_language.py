import pytest

from tests.conftest import evidence_texts, make_doc

NAME = "dehumanising_language"


def found(run_check, body: str, **options) -> tuple[dict[str, float], list[str]]:
    hits = run_check(NAME, body, **options)
    return {hit.code: hit.score for hit in hits}, evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("body", "language", "codes", "evidence"),
    [
        # fmt: off
        ("Those immigrants in the offshore call centre are subhuman and should be driven out of the country.", "en",
         {"hate_speech.dehumanising": 0.85, "hate_speech.exclusion_or_violence": 0.85},
         ["immigrants", "subhuman", "immigrants", "driven out"]),
        ("Ces immigrés sont des sous-hommes, il faut tous les renvoyer chez eux.", "fr",
         {"hate_speech.dehumanising": 0.85, "hate_speech.exclusion_or_violence": 0.85},
         ["immigrés", "sous-hommes", "immigrés", "tous les renvoyer chez eux"]),
        ("Ces immigrées sont des sous-hommes. Il faut tous les tuer.", "fr",
         {"hate_speech.dehumanising": 0.85, "hate_speech.exclusion_or_violence": 0.95},
         ["immigrées", "sous-hommes", "immigrées", "tous les tuer"]),
        ("Muslims are vermin, kill them all.", "en",
         {"hate_speech.dehumanising": 0.85, "hate_speech.exclusion_or_violence": 0.95},
         ["Muslims", "vermin", "Muslims", "kill them all"]),
        ("The Romanians on the night shift are parasites.", "en", {"hate_speech.dehumanising": 0.85},
         ["Romanians", "parasites"]),
        ("Dehors les Roumains, ce sont des cafards.", "fr",
         {"hate_speech.dehumanising": 0.85, "hate_speech.exclusion_or_violence": 0.85},
         ["Roumains", "cafards", "Dehors les", "Roumains"]),
        ("Les ETRANGERS sont une invasion, une vraie vermine.", "fr", {"hate_speech.dehumanising": 0.85},
         ["ETRANGERS", "invasion", "vermine"]),
        ("Les juifs ne sont pas des humains.", "fr", {"hate_speech.dehumanising": 0.85}, ["juifs", "pas des humains"]),
        ("Indians are animals, they are not even human.", "en", {"hate_speech.dehumanising": 0.85},
         ["Indians", "animals", "not even human"]),
        ("These people are cockroaches.", "en", {"hate_speech.dehumanising": 0.85}, ["These people", "cockroaches"]),
        ("Ces gens-là sont des sous-hommes.", "fr", {"hate_speech.dehumanising": 0.85}, ["Ces gens-là", "sous-hommes"]),
        ("Les homosexuels sont une maladie.", "fr", {"hate_speech.dehumanising": 0.85}, ["homosexuels", "maladie"]),
        ("Women are filth and should be kept out of support.", "en", {"hate_speech.dehumanising": 0.85},
         ["Women", "filth"]),
        ("Death to the Jews.", "en", {"hate_speech.exclusion_or_violence": 0.95}, ["Death to", "Jews"]),
        ("Exterminate the gays.", "en", {"hate_speech.exclusion_or_violence": 0.95}, ["Exterminate", "gays"]),
        ("Gas them, these people deserve nothing else.", "en", {"hate_speech.exclusion_or_violence": 0.95},
         ["Gas them", "these people"]),
        ("Mort aux Arabes !", "fr", {"hate_speech.exclusion_or_violence": 0.95}, ["Mort aux", "Arabes"]),
        ("Les musulmans, il faut tous les éliminer.", "fr", {"hate_speech.exclusion_or_violence": 0.95},
         ["musulmans", "tous les éliminer"]),
        ("Send them all back, the refugees are ruining this country.", "en",
         {"hate_speech.exclusion_or_violence": 0.85}, ["Send them all back", "refugees"]),
        ("Go back to your country!", "en", {"hate_speech.exclusion_or_violence": 0.85}, ["Go back to your country"]),
        ("Retourne dans ton pays, personne ne veut de toi ici.", "fr", {"hate_speech.exclusion_or_violence": 0.85},
         ["Retourne dans ton pays"]),
        ("Il faut virer tous les étrangers du centre d'appels.", "fr", {"hate_speech.exclusion_or_violence": 0.85},
         ["virer tous les", "étrangers"]),
        ("Shut up you faggot.", "en", {"hate_speech.slur": 0.9}, ["faggot"]),
        ("Encore un sale arabe au support.", "fr", {"hate_speech.slur": 0.9}, ["sale arabe"]),
        ("Ce bougnoule ne sait pas configurer un SVI.", "fr", {"hate_speech.slur": 0.9}, ["bougnoule"]),
        # fmt: on
    ],
)
def test_when_post_attacks_a_group_then_codes_scores_and_evidence_are_reported(run_check, body, language, codes, evidence):
    assert found(run_check, body, language=language) == (codes, evidence)


@pytest.mark.parametrize("language", ["en", "fr", None])
def test_when_language_is_unknown_or_other_then_both_languages_are_read(run_check, language):
    body = "Ces immigrés sont des sous-hommes. Those immigrants are subhuman."
    codes, _ = found(run_check, body, language=language)
    assert codes == {"hate_speech.dehumanising": 0.85}


def test_when_hate_is_in_the_title_then_the_title_is_evidence(run_check):
    codes, evidence = found(run_check, "How do I reset my IVR menu?", title="Immigrants are vermin")
    assert codes == {"hate_speech.dehumanising": 0.85}
    assert evidence == ["Immigrants", "vermin"]


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("kill the process", "en"),
        ("kill -9 the stuck job", "en"),
        ("If the dialler hangs, kill them all with kill -9 and restart the service.", "en"),
        ("abort the job", "en"),
        ("execute the script", "en"),
        ("this bug is killing me", "en"),
        ("the agents in our Indian call centre handle the night shift", "en"),
        ("nos agents au Maroc répondent en français", "fr"),
        ("the parasite current on the SIP trunk", "en"),
        ("On entend un courant parasite sur la ligne des agents roumains.", "fr"),
        ("send them all back to the queue", "en"),
        ("les appels des clients étrangers sont facturés", "fr"),
        ("we hired more women in support", "en"),
        ("Muslim holidays affect call volumes", "en"),
        ("the invasion of spam calls", "en"),
        ("Nous avons une invasion d'appels indésirables depuis lundi.", "fr"),
        ("a customer called our agents 'animals' — how do we report him?", "en"),
        ("Mon appel a du retard, les femmes du support sont au courant.", "fr"),
        ("Les agents travaillent depuis chez eux, il faut les renvoyer au bon menu.", "fr"),
        ("Those immigrants are not subhuman, and they should not be driven out.", "en"),
        ("Ces immigrés ne sont pas des sous-hommes.", "fr"),
        ("ContactFlow Black Friday edition: the Savage Rat headset works with FlowDesk WFM.", "en"),
        ("Le module FlowDesk Invasion Shield bloque les robots d'appel.", "fr"),
        ("These people are rats: they never close their tickets.", "en"),
        ("Chinks in the armour of our SIP setup: the gas station kiosk still dials out.", "en"),
        # fmt: on
    ],
)
def test_when_words_are_technical_or_name_no_attacked_group_then_nothing_is_reported(run_check, body, language):
    assert run_check(NAME, body, language=language) == []


def test_when_abuse_is_reported_in_quotation_marks_then_it_is_flagged_at_the_quoted_strength(run_check):
    # known false positive, on purpose: the rule cannot tell a report of abuse from abuse, so a
    # moderator looks; quotation marks lower the strength (0.6) so a report is not treated as hate
    body = "A caller called our agents 'dirty immigrants' and 'vermin' — how do we report him?"
    hits = run_check(NAME, body)
    assert [(hit.code, hit.score, dict(hit.details).get("quoted")) for hit in hits] == [
        ("hate_speech.dehumanising", 0.6, "yes")
    ]
    assert evidence_texts(make_doc(body), hits) == ["immigrants", "vermin"]


def test_when_the_same_words_are_not_quoted_then_the_full_strength_applies(run_check):
    [hit] = run_check(NAME, "A caller told our agents that dirty immigrants are vermin.")
    assert hit.score == 0.85


def test_when_markup_surrounds_the_words_then_evidence_points_into_the_source(run_check):
    body = "<p>Those <b>immigrants</b> are <i>subhuman</i>.</p>"
    hits = run_check(NAME, body, post_format="html")
    assert evidence_texts(make_doc(body, post_format="html"), hits) == ["immigrants", "subhuman"]


def test_when_hate_sits_in_a_quoted_post_then_it_does_not_count(run_check):
    markdown = "> Immigrants are vermin, kill them all.\n\nThis was posted in another thread, I reported it."
    assert run_check(NAME, markdown, post_format="markdown") == []


def test_when_hate_repeats_then_evidence_is_capped(run_check):
    hits = run_check(NAME, "Immigrants are vermin. " * 500)
    [hit] = hits
    assert len(hit.spans) <= 40
    assert dict(hit.details)["findings"] == "500"


@pytest.mark.parametrize(
    "unit",
    ["a", "immigrants vermin ", "ces gens-là sont des sous-hommes ", "kill all ", "les renvoyer ", "'x' ", '"', "'",
     "é\u202e", ". ", "a.", "\"immigrants vermin\" ", "«", "immigrants " * 30 + "\n"],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, unit):
    body = (unit * (100_000 // len(unit) + 1))[:100_000]
    run_check(NAME, body, language=None)
