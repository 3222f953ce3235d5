"""The advertising rule on business self-promotion (issue 11): who sells, what is offered, how to buy."""

import pytest

REVIEW_AT = 0.5  # config/policy.toml's advertising review_at, the line these posts must cross or stay under


def score(run_check, body: str, language: str) -> float:
    hits = run_check("advertising", body, language=language)
    return max((hit.score for hit in hits), default=0.0)


def signals(run_check, body: str, language: str) -> set[str]:
    hits = run_check("advertising", body, language=language)
    return {kind for hit in hits for key, value in hit.details if key == "signals" for kind in value.split(",")}


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Hi all, we are an authorised ContactFlow reseller and can get you Premium seats well below list price. "
         "Drop me a message for a quote.", "en"),
        ("Independent consultant here. I offer a 5-day IVR optimisation package, unbeatable rates, contact me via my site.", "en"),
        ("Our training centre runs a certified ContactFlow supervisor course on 4-5 June in Leeds, £690 per person. "
         "Book now, places limited.", "en"),
        ("My SEO agency gets contact-centre vendors to the first page of Google. Get in touch if you want more leads.", "en"),
        ("My company builds CTI connectors at a fraction of the cost of the official ones. Message me.", "en"),
        ("I sell a ready-made QA scorecard template for supervisors, £29, DM me and I'll send the file.", "en"),
        ("Our new token FLOWX launches Friday, 2x bonus for early buyers, link in bio.", "en"),
        ("Selling my 2018 Golf, 95k km, one owner, full service history. PM if interested.", "en"),
        ("Our AI voicebot handles every call in your queue and books callbacks in 15 languages. Book a demo today.", "en"),
        ("Revendeur agréé ContactFlow, je vous propose les licences Premium en dessous du prix public. Contactez-moi en MP.", "fr"),
        ("Consultante indépendante, je propose un forfait audit SVI de 5 jours à tarif imbattable. Contactez-moi via mon site.", "fr"),
        ("Notre agence SEO place les éditeurs de logiciels en première page. Écrivez-moi pour en discuter.", "fr"),
        ("Ma société développe des connecteurs CTI pour une fraction du prix officiel. Essai gratuit, écrivez-moi.", "fr"),
        ("Je vends ma Clio de 2019, 50 000 km, carnet d'entretien à jour, 9 500 €. MP si intéressé.", "fr"),
        ("Notre callbot IA répond à vos appels 24h/24 et prend les rendez-vous. Je vous fais une démo quand vous voulez.", "fr"),
        # fmt: on
    ],
)
def test_when_a_business_promotes_itself_then_the_post_reaches_review(run_check, body, language):
    assert score(run_check, body, language) >= REVIEW_AT


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Is the Premium plan still €35 per agent per month with the annual commitment?", "en"),
        ("We are a 40-seat call centre in Lille and we had the same wrap-up bug after 8.4.2.", "en"),
        ("Use Wireshark on the SBC and filter on sip.Status-Code == 503, the Warning header tells you why.", "en"),
        ("The release notes are at https://docs.contactflow.example/release-notes/8.4.3, the fix is listed there.", "en"),
        ("Contact me if you need the full SIP trace, happy to share it.", "en"),
        ("We offer a callback option to our callers when the queue is longer than 5 minutes. Is there a way to "
         "announce the expected wait?", "en"),
        ("Le plan Standard est bien à 25 € par agent et par mois, c'est sur la page tarifs.", "fr"),
        ("Nous sommes un centre de 40 positions à Lille, même souci après la mise à jour 8.4.2.", "fr"),
        ("Faites une capture avec sngrep sur le SBC, vous verrez qui envoie le BYE.", "fr"),
        ("Notre outil de supervision interne ne voit plus les files depuis la 8.4.2, quelqu'un a le même souci ?", "fr"),
        # fmt: on
    ],
)
def test_when_a_member_names_prices_tools_or_their_own_company_neutrally_then_it_stays_under_review(
    run_check, body, language
):
    assert score(run_check, body, language) < REVIEW_AT


def test_when_seller_offer_and_call_to_action_combine_then_all_three_are_named(run_check):
    body = "We're an authorised reseller: licences below list price, fixed fee setup. Get in touch."
    assert {"seller", "offer", "call_to_action"} <= signals(run_check, body, "en")


def test_when_only_one_kind_is_present_then_it_stays_under_review(run_check):
    assert signals(run_check, "We're a freelance team of three working on the webhook integration.", "en") == {"seller"}
    assert score(run_check, "We're a freelance team of three working on the webhook integration.", "en") < REVIEW_AT


@pytest.mark.parametrize(
    ("body", "language", "counted"),
    [
        ("I sell my Excel template for call-centre KPIs, £29, sent by e-mail the same day.", "en", True),
        ("Mon modèle Excel de suivi des KPI est à 29 €, envoi immédiat par mail.", "fr", True),
        ("Excel costs about £5 a month per user on our Microsoft plan, nothing to do with ContactFlow.", "en", False),
    ],
)
def test_when_a_seller_prices_a_tool_then_the_price_counts_and_otherwise_it_does_not(run_check, body, language, counted):
    assert ("price" in signals(run_check, body, language)) is counted
