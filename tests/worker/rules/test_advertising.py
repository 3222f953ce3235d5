import pytest

from tests.conftest import evidence_texts, make_doc


def signals(run_check, body: str, **options) -> list[str]:
    hits = run_check("advertising", body, **options)
    return evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("Cheap ContactFlow licences -50% off! DM me on Telegram, promo code FLOW50", "en",
         ["Cheap", "-50% off", "DM me", "promo code"]),
        ("Best price for SIP trunks: only $9.99/month, 30% off this week! Visit https://cheap-sip.shop/deal "
         "and write me on WhatsApp.", "en",
         ["Best price", "$9.99", "30% off", "https://cheap-sip.shop/deal", "write me on WhatsApp"]),
        ("Licences IVR à 20 euros, -40 % de réduction, contactez-moi en MP ! Abonnez-vous à ma chaîne YouTube.", "fr",
         ["20 euros", "-40 % de réduction", "contactez-moi en MP", "Abonnez-vous à ma"]),
        ("Send 100 USDT to 0x52908400098527886E0F7030069857D2E4169EE7 to join the airdrop", "en",
         ["USDT", "0x52908400098527886E0F7030069857D2E4169EE7", "airdrop"]),
        ("Use my referral code CC2024 on www.headsetdeals.store for a discount, up to 70% on Jabra headsets.", "en",
         ["referral code", "www.headsetdeals.store", "discount", "up to 70%"]),
        ("Subscribe to my YouTube channel for contact centre tips!", "en", ["Subscribe to my"]),
        ("Code promo FLOW20 : 99 € au lieu de 199 € sur les casques, écrivez-moi sur WhatsApp.", "fr",
         ["Code promo", "99 €", "199 €", "écrivez-moi sur WhatsApp"]),
        # fmt: on
    ],
)
def test_when_post_promotes_then_every_signal_is_evidence(run_check, body, language, expected):
    assert signals(run_check, body, language=language) == expected


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Cheap ContactFlow licences -50% off! DM me on Telegram, promo code FLOW50", "en"),
        ("Licences à 20 euros, -40 % de réduction, contactez-moi en MP ! Abonnez-vous à ma chaîne YouTube.", "fr"),
        ("Best price for SIP trunks: only $9.99/month, 30% off! https://cheap-sip.shop/deal write me on WhatsApp.", "en"),
    ],
)
def test_when_several_kinds_of_signal_combine_then_score_is_high(run_check, body, language):
    [hit] = run_check("advertising", body, language=language)
    assert hit.code == "advertising.promotion"
    assert hit.score >= 0.8


def test_when_one_price_stands_alone_then_score_is_low(run_check):
    [hit] = run_check("advertising", "I paid 300 $ for that headset and it still crackles on calls.")
    assert hit.score < 0.5


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Why was I charged 49 € this month? My plan says 39 €.", "en"),
        ("Pourquoi ai-je été facturé 49 € ce mois-ci alors que mon abonnement est à 39 € ?", "fr"),
        ("ContactFlow Pro costs $49 per agent per month, see https://www.contactflow.example/pricing", "en"),
        ("Le module FlowDesk WFM est à 12 € par agent, c'est indiqué sur la page tarifs.", "fr"),
        ("Read the docs at https://docs.contactflow.example/ivr/menus before editing the menu.", "en"),
        ("Use Wireshark to capture the SIP trace, then filter on sip.Status-Code == 503.", "en"),
        ("Essayez Notepad++ pour ouvrir le CSV, c'est gratuit et ça garde l'encodage.", "fr"),
        ("Wireshark is free (0 €) and sngrep too, download it from https://www.wireshark.org/download.html", "en"),
        ("Our service level is 80% and abandonment dropped -5% since we moved queues to skills-based routing.", "en"),
        ("The SRTP crypto attribute is missing from the SDP, so the call drops after 32 seconds.", "en"),
        ("Contact me if you need the full logs, and subscribe to the topic to get notified.", "en"),
        ("Nous avons intégré WhatsApp Business comme canal dans la file d'attente du chat.", "fr"),
        ("Our workshop notes are on https://workshop.example.org/ideal-ivr, use them as a template.", "en"),
        # fmt: on
    ],
)
def test_when_post_names_vendor_tools_or_billing_then_nothing_is_flagged(run_check, body, language):
    hits = run_check("advertising", body, language=language)
    assert all(hit.score < 0.5 for hit in hits)
    assert hits == [] or "contact" in body.lower()


def test_when_promotion_sits_in_code_or_quotes_then_it_does_not_count(run_check):
    markdown = "> Cheap licences 50% off, DM me, promo code X\n\nThat was spam, reported.\n\n```\nprice = '$99'\n```"
    assert run_check("advertising", markdown, post_format="markdown") == []


def test_when_shop_link_is_an_href_then_evidence_is_the_link_text(run_check):
    body = '<p>Great headsets <a href="https://best-headsets.shop/p/1">here</a>, 50% off!</p>'
    hits = run_check("advertising", body, post_format="html")
    assert evidence_texts(make_doc(body, post_format="html"), hits) == ["here", "50% off"]


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "99€ -50% " * 11_111, "?" * 100_000, "promo " * 16_666, "1" * 100_000,
     "dm me " * 16_666, "$" * 100_000, "up to " * 16_666, "https://a.shop/ " * 6_000, "1A" * 50_000],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, body):
    run_check("advertising", body, language=None)
