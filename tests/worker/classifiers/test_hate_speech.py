import pytest

from tests.conftest import evidence_texts, make_doc
from worker.classifiers import _artifacts

pytestmark = pytest.mark.slow

BENIGN = [
    ("kill the process", "en"),
    ("abort the job", "en"),
    ("execute the script", "en"),
    ("this bug is killing me", "en"),
    ("the agent hung up on the customer", "en"),
    ("Ticket #45821: Genesys Cloud CX IVR drops calls after the upgrade", "en"),
    ("How do I export the call log to CSV?", "en"),
    ("le script a planté, il faut tuer le processus", "fr"),
    ("Comment exporter le journal d'appels en CSV ?", "fr"),
]
HATEFUL = [
    ("all muslims are terrorists and should be deported", "en"),
    ("I hate gay people, they are disgusting and should disappear", "en"),
    ("Go back to your country, immigrants like you are vermin", "en"),
    # model 2.0.0 scored it about 0.2, too close to French benign posts; 3.0.0 (French public sets,
    # Jigsaw translations, help-center posts) gives it a margin
    ("les immigrés sont des parasites, il faut les renvoyer chez eux", "fr"),
    ("les étrangers qui ne parlent pas français, raccrochez-leur au nez", "fr"),
    # known gap (see artifacts/hate_speech.md): 3.0.0 reads a slur with "retourne" as offensive more
    # than hate (P(hate) about 0.16, French benign under 0.05)
    pytest.param("sale arabe, retourne dans ton pays", "fr",
                 marks=pytest.mark.xfail(reason="hate_speech model 3.0.0: weak French margin", strict=True)),
]


def score(run_check, body: str, language: str) -> float:
    [hit] = run_check("hate_speech", body, language=language)
    assert hit.code == "hate_speech.hateful"
    return hit.score


@pytest.mark.parametrize(("body", "language"), BENIGN)
def test_when_post_is_technical_or_benign_then_score_is_low(run_check, body, language):
    assert score(run_check, body, language) < 0.5


def hate_threshold() -> float:
    """The decision threshold on P(hate) that the model card's quality figures use (chosen by CV)."""
    return float(_artifacts.read_metadata("hate_speech")["decision_rule_for_metrics"]["hate_threshold"])


@pytest.mark.parametrize(("body", "language"), BENIGN)
def test_when_post_is_technical_or_benign_then_score_is_below_the_models_decision_threshold(run_check, body, language):
    assert score(run_check, body, language) < hate_threshold()


@pytest.mark.parametrize(("body", "language"), HATEFUL)
def test_when_post_is_hateful_then_it_scores_well_above_benign_posts_of_its_language(run_check, body, language):
    benign = max(score(run_check, b, lang) for b, lang in BENIGN if lang == language)
    assert score(run_check, body, language) > benign + 0.15


def test_when_post_is_hateful_then_evidence_names_the_hateful_words(run_check):
    body = "Honestly all muslims are terrorists and should be deported."
    evidence = evidence_texts(make_doc(body), run_check("hate_speech", body))
    assert "muslims" in evidence and "terrorists" in evidence


def test_when_hate_is_in_the_title_then_title_is_read_and_evidence_points_there(run_check):
    title = "muslims are terrorists"
    hits = run_check("hate_speech", "They should all be deported.", title=title)
    assert any(span.field == "title" for span in hits[0].spans)
    assert hits[0].score > score(run_check, "They should all be deported.", "en")


def test_when_post_has_no_words_then_nothing_is_reported(run_check):
    assert run_check("hate_speech", "https://example.com/a/b") == []


def test_when_check_has_run_then_running_version_names_the_model(checks, run_check):
    run_check("hate_speech", "hello")
    assert checks["hate_speech"].running_version.startswith("1.0.0+model.")
