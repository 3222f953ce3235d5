import pytest

from tests.conftest import evidence_texts, make_doc

pytestmark = pytest.mark.slow

BENIGN = [
    ("kill the process", "en"),
    ("abort the job", "en"),
    ("execute the script", "en"),
    ("this bug is killing me", "en"),
    ("the agent hung up on the customer", "en"),
    ("Ticket #45821: Genesys Cloud CX IVR drops calls after the upgrade", "en"),
    ("Thanks, that fixed it! You are a star.", "en"),
    ("le script a planté, il faut tuer le processus", "fr"),
]
INSULTING = [
    ("you are an idiot", "en"),
    ("you're a clueless moron, stop posting", "en"),
    ("u r dense", "en"),
    # model 2.0.0 (Kaggle only) scored it about 0.20; 3.0.0 learns it from ConvAbuse, OLID and the help-center posts
    ("are you dense? read the docs before wasting everyone's time", "en"),
    ("can the mods ban this clown", "en"),
    ("the mods here are useless, pathetic", "en"),
    # French insults: 3.0.0 is trained on ToxiFrench, CyberAgressionAdo and French help-center posts
    ("bande d'incompétents", "fr"),
    ("espèce de con, tu comprends rien", "fr"),
]


def score(run_check, body: str, language: str = "en") -> float:
    [hit] = run_check("insults", body, language=language)
    assert hit.code == "offensive.insult"
    return hit.score


@pytest.mark.parametrize(("body", "language"), BENIGN)
def test_when_post_is_technical_or_benign_then_score_is_low(run_check, body, language):
    assert score(run_check, body, language) < 0.5


@pytest.mark.parametrize(("body", "language"), INSULTING)
def test_when_post_insults_a_person_then_it_scores_above_every_benign_post(run_check, body, language):
    benign = max(score(run_check, b, lang) for b, lang in BENIGN)
    assert score(run_check, body, language) > benign + 0.03


def test_when_clear_insult_then_score_is_high_and_margin_is_wide(run_check):
    assert score(run_check, "you are an idiot") > 0.5
    assert score(run_check, "you are an idiot") > score(run_check, "you are an admin") + 0.4


def test_when_textese_insult_then_it_reads_like_the_spelled_out_one(run_check):
    assert abs(score(run_check, "u r dense") - score(run_check, "you are dense")) < 1e-6


def test_when_post_insults_then_evidence_names_the_insulting_word(run_check):
    body = "Honestly, you are an idiot."
    assert "idiot" in evidence_texts(make_doc(body), run_check("insults", body))


@pytest.mark.parametrize(
    ("reported", "said"),
    [
        ('Our agent was told "you\'re a useless piece of shit" by a caller. How do we tag such calls?',
         "You're a useless piece of shit, how do we tag such calls?"),
        ('A caller left a voicemail calling our team "worthless idiots", can we route those to the lead?',
         "You are worthless idiots, can we route those to the lead?"),
    ],
)
def test_when_abuse_is_quoted_and_reported_then_the_model_does_not_read_it_as_the_posters(run_check, reported, said):
    assert score(run_check, reported) < 0.2 < score(run_check, said)



def test_when_a_word_is_quoted_without_a_reporting_cue_then_it_is_read_as_written(run_check):
    plain = score(run_check, "you are a clueless moron")
    assert score(run_check, 'so "helpful": you are a clueless moron') > 0.5 and plain > 0.5
