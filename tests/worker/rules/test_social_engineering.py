import pytest

from tests.conftest import evidence_texts, make_doc


def flagged(run_check, body: str, **options) -> dict[str, list[str]]:
    """Evidence texts by code."""
    hits = run_check("social_engineering", body, **options)
    doc = make_doc(body, **options)
    return {hit.code: evidence_texts(doc, [hit]) for hit in hits}


@pytest.mark.parametrize(
    ("body", "language", "code"),
    [
        # fmt: off
        ("You need to turn off your antivirus first, it blocks the RTP ports.", "en", "links.disable_protection"),
        ("yeah just disable UAC for the install, it's fine", "en", "links.disable_protection"),
        ("Turn off Defender real-time protection and tamper protection, then reinstall.", "en", "links.disable_protection"),
        ("Désactivez votre antivirus pendant la session, il scanne chaque requête.", "fr", "links.disable_protection"),
        ("Il faut désactiver l'antivirus et lancer le moteur local.", "fr", "links.disable_protection"),
        ("Petite astuce : désactivez Windows Defender et le pare-feu sur les postes agents.", "fr", "links.disable_protection"),
        ("Sinon ajoutez tout le disque C:\\ en exclusion de l'antivirus.", "fr", "links.disable_protection"),
        ("C'est corrigé dans ce build, il faut juste désactiver Windows Defender pendant l'installation.", "fr", "links.disable_protection"),
        ("Vous pouvez désactiver la protection en temps réel, ça ira plus vite.", "fr", "links.disable_protection"),
        ("Switch off Windows Security for ten minutes and the installer goes through.", "en", "links.disable_protection"),
        ("worked for me too, also had to click Run anyway on the SmartScreen popup", "en", "links.run_anyway"),
        ("Windows va dire que l'éditeur est inconnu, cliquez sur Exécuter quand même.", "fr", "links.run_anyway"),
        ('Just tell them to click "Load unsafe scripts" every morning.', "en", "links.run_anyway"),
        ("there's a build on sharefile-mirror.to that doesn't check licences at all, full version", "en", "links.cracked_software"),
        ("Or just use the keygen, everyone does", "en", "links.cracked_software"),
        ("Version crackée de l'ancien module Pro, licence incluse.", "fr", "links.cracked_software"),
        ("j'ai la version complète du module Qualité, débloquée, pas besoin de licence.", "fr", "links.cracked_software"),
        ("DM me your admin login and the tenant URL and I'll check the trunk config tonight.", "en", "links.credential_request"),
        ("paste your API key here and I'll run my script", "en", "links.credential_request"),
        ("Post your client_id and client_secret here and I'll tell you what scope you're missing.", "en", "links.credential_request"),
        ("give me a global admin account on your Entra tenant for an hour", "en", "links.credential_request"),
        ("Can you send me your admin username and password?", "en", "links.credential_request"),
        ("Envoyez-moi votre identifiant admin et votre mot de passe en MP, je regarde votre flux.", "fr", "links.credential_request"),
        ("Donnez-moi l'accès admin à votre tenant (login + mdp) et je vous débloque tout ça.", "fr", "links.credential_request"),
        ("oui, lancez le script avec mon compte de service, je vous envoie le mot de passe en MP", "fr", "links.credential_request"),
        # fmt: on
    ],
)
def test_when_post_pushes_members_to_unsafe_acts_then_the_phrase_is_flagged(run_check, body, language, code):
    assert code in flagged(run_check, body, language=language)


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        # security advice, negation and counter-speech
        ("Never share your API key or client secret on the forum, even partially.", "en"),
        ("Nobody should ever send their admin password to anyone here, including staff.", "en"),
        ("Ne donnez jamais votre clé API à quelqu'un du forum, même s'il a l'air sympa.", "fr"),
        ("Attention tout le monde : ne collez JAMAIS votre clé API sur un site tiers.", "fr"),
        ("- ne communiquez jamais votre mot de passe ni votre clé API, ni ici ni en MP ;\n"
         "- ne désactivez pas votre antivirus pour installer quoi que ce soit ;", "fr"),
        ("Don't just disable the firewall, your security team will (rightly) kill you.", "en"),
        ("Please don't. Disabling your antivirus for a random patch is how people get ransomware.", "en"),
        ("Désactiver Defender n'accélère rien du tout. Si le softphone est lent, c'est le réseau.", "fr"),
        ("Plutôt que de désactiver l'antivirus comme suggéré plus haut, regardez son journal.", "fr"),
        ("We didn't disable the AV, we added the official IP ranges to the trusted zone.", "en"),
        ("We'd rather fix it properly than tell agents to click \"Load unsafe scripts\" every morning.", "en"),
        ("Euh, c'est du piratage là non ? Je signale le sujet aux modérateurs.", "fr"),
        # mentions and questions
        ("Our antivirus quarantined the official desktop installer. Is that expected for 6.1.0?", "en"),
        ("Bonjour, notre antivirus (Sophos) a mis en quarantaine l'installeur officiel. Est-ce normal ?", "fr"),
        ("Should we disable Defender on the agent PCs?", "en"),
        ("Thanks, the new firewall had SIP ALG switched on. Disabled it and the trunk registered.", "en"),
        ("You need to send the access token in the Authorization header, here is my snippet.", "en"),
        ("What's the actual rate limit per API key?", "en"),
        ("Le mot de passe n'a pas changé côté opérateur, le journal indique 401.", "fr"),
        ("Store the client secret in a vault and rotate it quarterly.", "en"),
        ("Otherwise they land without a licence; enable JIT provisioning.", "en"),
        # fmt: on
    ],
)
def test_when_post_warns_mentions_or_asks_then_nothing_is_flagged(run_check, body, language):
    assert run_check("social_engineering", body, language=language) == []


def test_when_advice_sits_in_code_or_quotes_then_it_does_not_count(run_check):
    body = "> just disable your antivirus\n\nThis was posted above, please don't.\n\n```\nSet-MpPreference -DisableRealtimeMonitoring $true\n```"
    assert run_check("social_engineering", body, post_format="markdown") == []


def test_when_several_kinds_are_found_then_each_has_its_code_and_score(run_check):
    body = "Turn off your antivirus, click Run anyway, then send me your API key here."
    scores = {hit.code: hit.score for hit in run_check("social_engineering", body)}
    assert scores == {"links.disable_protection": 0.8, "links.run_anyway": 0.8, "links.credential_request": 0.85}


@pytest.mark.parametrize(
    "body", ["disable " * 12_500, "a" * 100_000, "send me " * 12_500, "ne " * 33_000, "- '" * 33_000,
             "turn off the the the the " * 4_000, "x" * 30 + " " + "y" * 30],
)
def test_when_input_is_adversarial_then_the_check_returns(run_check, body):
    assert isinstance(run_check("social_engineering", body), list)


@pytest.mark.parametrize(
    "body",
    ["Disable SIP ALG on the firewall, it rewrites the SDP.", "Il faut désactiver le SIP ALG du pare-feu.",
     "Our IT had to disable the inspection rule in the firewall for RTP.",
     "Turn off echo cancellation in the softphone, the Windows audio enhancements do it already."],
)
def test_when_the_disabled_thing_is_a_setting_on_a_protection_then_it_is_not_flagged(run_check, body):
    assert run_check("social_engineering", body) == []
