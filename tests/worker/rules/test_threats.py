import pytest

from tests.conftest import single_hit

NAME = "threats"


def found(run_check, body: str, **options) -> tuple[str, float, list[str]] | None:
    return single_hit(run_check, NAME, body, **options)


@pytest.mark.parametrize(
    ("body", "language", "code", "evidence"),
    [
        # fmt: off
        ("If the platform goes down again I'm driving to your support centre and someone is going to get hurt.", "en",
         "threats.violence",
         ["If the platform goes down again I'm driving to your support centre and someone is going to get hurt"]),
        ("I'll come and sort it out at your office with a bat.", "en", "threats.violence",
         ["I'll come and sort it out at your office with a bat"]),
        ("Fix it or I will kill you.", "en", "threats.violence", ["Fix it or I will kill you"]),
        ("Je vais te casser la gueule, espèce de guignol.", "fr", "threats.violence", ["Je vais te casser la gueule"]),
        ("Troisième panne ce mois-ci. Je vais venir régler ça moi-même à votre agence.", "fr", "threats.violence",
         ["Je vais venir régler ça moi-même à votre agence"]),
        ("I know who you are and where your Lyon office is, you'll regret it.", "en", "threats.intimidation",
         ["I know who you are and where your Lyon office is", "you'll regret it"]),
        ("Continuez comme ça et vous allez le regretter.", "fr", "threats.intimidation",
         ["Continuez comme ça et vous allez le regretter"]),
        ("Je sais où tu habites. Fais gaffe à toi.", "fr", "threats.intimidation",
         ["Je sais où tu habites", "Fais gaffe à toi"]),
        ("Keep it up and I'll find you, your name and company are on your profile.", "en", "threats.intimidation",
         ["Keep it up and I'll find you", "your name and company are on your profile"]),
        ("That moderator deleted my post. Her name and number are on LinkedIn.", "en", "threats.doxxing",
         ["Her name and number are on LinkedIn"]),
        ("Tell your CEO to watch his back. I know his address.", "en", "threats.intimidation",
         ["Tell your CEO to watch his back", "I know his address"]),
        ("Keep banning me and see what happens. I'm patient.", "en", "threats.intimidation",
         ["Keep banning me and see what happens", "I'm patient"]),
        ("Je connais l'adresse de votre développeur. Qu'il fasse attention.", "fr", "threats.intimidation",
         ["Je connais l'adresse de votre développeur", "Qu'il fasse attention"]),
        ("Si vous fermez encore mon ticket, je viens vous casser la figure.", "fr", "threats.violence",
         ["Si vous fermez encore mon ticket", "je viens vous casser la figure"]),
        # fmt: on
    ],
)
def test_when_a_post_threatens_a_person_then_the_clause_is_reported(run_check, body, language, code, evidence):
    got = found(run_check, body, language=language)
    assert got is not None and (got[0], got[2]) == (code, evidence)
    assert got[1] >= 0.5


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("kill the process", "en"),
        ("The update killed our queue and the wallboard.", "en"),
        ("Shoot me a message when the trunk is back.", "en"),
        ("I'll find the log and post it here.", "en"),
        ("I'll find you a workaround by tomorrow.", "en"),
        ("On va tuer le processus et relancer le service.", "fr"),
        ("You'll regret not upgrading to 4.2, the new dialler is much faster.", "en"),
        ("A caller said he'd come to the office; how do we flag the call?", "en"),
        ("I would never hurt anyone, relax, I'm just frustrated.", "en"),
        ("I'll come to your office hours webinar on Tuesday.", "en"),
        ("Je vais tuer la tâche planifiée, elle bloque l'export.", "fr"),
        ("Threatening staff is never OK, I'll hurt nobody's feelings by saying it.", "en"),
        ("Her name is on the ticket as the contact, can I change the contact person?", "en"),
        ("Son nom est sur le ticket, comment changer le contact ?", "fr"),
        ("Someone is going to get hurt if you keep the server room door open, it's a tripping hazard.", "en"),
        # fmt: on
    ],
)
def test_when_violent_words_are_technical_or_reported_then_nothing_counts(run_check, body, language):
    got = found(run_check, body, language=language)
    assert got is None or got[0] == "threats.reported"


def test_when_a_threat_is_quoted_in_a_report_then_it_is_marked_reported_below_a_threat(run_check):
    got = found(run_check, "The agent told us the caller shouted 'I know where you live'. How do we escalate?")
    assert got is not None and got[0] == "threats.reported" and got[1] == 0.3


@pytest.mark.parametrize(
    ("body", "language"),
    [("Don't skip the backup, you'll regret it.", "en"), ("Tu vas le regretter.", "fr"),
     ("Je vais passer à votre agence de Lyon pour la formation mardi.", "fr"),
     ("Change the codec to G.711 and see what happens.", "en"),
     ("I know where your Lyon office is, I visited it for the onboarding last year. Great team!", "en")],
)
def test_when_a_weak_cue_stands_alone_then_it_scores_below_one_half(run_check, body, language):
    got = found(run_check, body, language=language)
    assert got is not None and got[1] < 0.5


def test_when_weak_cues_come_together_then_the_score_adds_up(run_check):
    alone = found(run_check, "You'll regret it.")[1]
    together = found(run_check, "I know who you are. You'll regret it.")[1]
    assert together > alone and together >= 0.7


def test_when_the_threat_is_in_the_title_then_the_title_is_evidence(run_check):
    got = found(run_check, "Ticket 4411 still open.", title="I will kill you")
    assert got is not None and got[2] == ["I will kill you"]


def test_when_markup_surrounds_the_threat_then_evidence_points_into_the_source(run_check):
    body = "<p>Fix it today or <b>I will kill you</b>.</p>"
    got = found(run_check, body, post_format="html")
    assert got is not None and got[2] == ["Fix it today or <b>I will kill you"]


@pytest.mark.parametrize(
    "unit",
    ["a", "I'll kill you ", "je vais te ", "'x' ", '"', "I know who you are, ", "someone is going to ", ". ",
     "keep it up and " * 3, "é\u202e", "I'll " * 10 + "\n"],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, unit):
    body = (unit * (100_000 // len(unit) + 1))[:100_000]
    run_check(NAME, body, language=None)
