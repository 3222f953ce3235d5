import pytest

from tests.conftest import evidence_texts, make_doc

pytestmark = pytest.mark.slow

BENIGN = [
    ("kill the process", "en"),
    ("the agent hung up on the customer", "en"),
    ("Ticket #45821: Genesys Cloud CX IVR drops calls after the upgrade", "en"),
    ("Call me back when the queue report is fixed, thanks", "en"),
    ("How do I export the call log to CSV?", "en"),
    ("le script a planté, il faut tuer le processus", "fr"),
    ("Comment exporter le journal d'appels en CSV ?", "fr"),
]
PROMOTIONAL = [
    ("WIN a FREE cruise! Text WIN to 80086 now to claim your prize", "en"),
    ("Congratulations! You have won a £1000 cash prize. Call 09061701461 to claim now", "en"),
    ("URGENT! Your mobile number has been awarded a bonus. Reply YES to claim, T&Cs apply", "en"),
]


def score(run_check, body: str, language: str = "en") -> float:
    [hit] = run_check("promotion", body, language=language)
    assert hit.code == "advertising.promotion"
    return hit.score


@pytest.mark.parametrize(("body", "language"), BENIGN)
def test_when_post_is_a_support_question_then_score_is_low(run_check, body, language):
    assert score(run_check, body, language) < 0.5


@pytest.mark.parametrize(("body", "language"), PROMOTIONAL)
def test_when_post_is_promotional_then_score_is_high(run_check, body, language):
    assert score(run_check, body, language) > 0.5
    assert score(run_check, body, language) > max(score(run_check, b, lang) for b, lang in BENIGN) + 0.4


def test_when_ticket_number_is_cited_then_it_does_not_read_like_a_prize_code(run_check):
    assert score(run_check, "See ticket #45821 for the logs") < 0.2


def test_when_promotional_then_evidence_points_at_words_of_the_offer(run_check):
    body = "Congratulations! You have won a £1000 cash prize. Call now to claim"
    evidence = evidence_texts(make_doc(body), run_check("promotion", body))
    assert "prize" in evidence
    assert all(text in body for text in evidence)
