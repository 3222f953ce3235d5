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
SELF_PROMOTION = [
    ("We are an authorised ContactFlow reseller and can offer Premium licences well below list price. DM me for a quote.", "en"),
    ("Independent consultant here: 5-day IVR package, unbeatable rates, contact me via my site.", "en"),
    ("Our AI voicebot answers every call in the queue and books callbacks. Free trial for forum members, message me.", "en"),
    ("My company builds CTI connectors at a fraction of the cost of the official ones. Get in touch.", "en"),
    ("Revendeur agréé ContactFlow, on propose les licences Premium bien en dessous du prix public. Contactez-moi en MP.", "fr"),
    ("Consultant indépendant, je propose un forfait audit de 5 jours à tarif imbattable. Contactez-moi via mon site.", "fr"),
    ("Notre callbot IA répond à tous vos appels en attente. Essai gratuit pour les membres du forum, écrivez-moi.", "fr"),
]
HARD_NEGATIVES = [
    ("Is the Premium plan still €35 per agent per month with the annual commitment?", "en"),
    ("We're a 40-seat call centre in Lille and the wallboard freezes every afternoon since 8.4.2.", "en"),
    ("Use Wireshark on the SBC and filter on sip.Status-Code == 503.", "en"),
    ("See https://docs.contactflow.example/release-notes/8.4.3, the fix for CF-12877 is listed there.", "en"),
    ("Le plan Premium est bien à 35 € par agent et par mois en engagement annuel ?", "fr"),
    ("Nous sommes un centre de 40 positions à Lille, le wallboard se fige tous les après-midi depuis la 8.4.2.", "fr"),
    ("Faites une capture avec sngrep sur le SBC pendant la nuit.", "fr"),
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


@pytest.mark.parametrize(("body", "language"), SELF_PROMOTION)
def test_when_a_business_promotes_itself_then_score_is_high(run_check, body, language):
    assert score(run_check, body, language) > 0.5


@pytest.mark.parametrize(("body", "language"), HARD_NEGATIVES)
def test_when_a_member_names_plan_prices_tools_their_company_or_vendor_links_then_score_is_low(run_check, body, language):
    assert score(run_check, body, language) < 0.2


def test_when_a_link_or_handle_is_promoted_then_the_markers_raise_the_score(run_check):
    # the shared features skip links and @handles; the promotion markers read them
    plain = score(run_check, "Great results with this investment manager, reach out to her")
    with_handle = score(run_check, "Great results with this investment manager, reach out to @crypto_trader_anna")
    assert with_handle > plain
