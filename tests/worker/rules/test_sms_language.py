import pytest

from tests.conftest import evidence_texts, make_doc


def textese(run_check, body: str, **options) -> list[str]:
    hits = run_check("sms_language", body, **options)
    return evidence_texts(make_doc(body, **options), hits)


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("plz u help me asap thx, the IVR is down", "en", ["plz", "u", "thx"]),
        ("hey guys idk why my agents r not in the queue 2day, can u check b4 5pm? gr8 thx", "en",
         ["idk", "r", "2day", "u", "b4", "gr8", "thx"]),
        ("omg the export is sooo slow lol, pleaaaase fix it", "en", ["omg", "sooo", "lol", "pleaaaase"]),
        ("btw wat is the ACD setting for dat? imo it shud be on", "en", ["btw", "wat", "dat", "imo", "shud"]),
        ("slt g 1 pb avec l'IVR, tu peux m'aider stp ? merci bcp", "fr", ["slt", "g", "pb", "stp", "bcp"]),
        ("bjr, jsp pk le SVI coupe les appels, c trop bizarre mdr", "fr", ["bjr", "jsp", "pk", "c", "mdr"]),
        ("aide moi svp jsp koi faire, merciiii", "fr", ["svp", "jsp", "koi", "merciiii"]),
        ("tkt chui dispo 2m1 pr t'aider, a+", "fr", ["tkt", "chui", "dispo", "2m1", "pr", "a+"]),
        ("mdr lol c trop bien", None, ["mdr", "lol", "c"]),
        ("LOL the wallboard says 0 agents", "en", ["LOL"]),
        # fmt: on
    ],
)
def test_when_post_uses_textese_then_every_token_is_evidence(run_check, body, language, expected):
    assert textese(run_check, body, language=language) == expected


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("plz u help me asap thx", "en"),
        ("slt, jsp koi faire avec le SVI, tu peux m'aider stp ? merci bcp", "fr"),
        ("idk y r u asking, ur config is wrong lol", "en"),
    ],
)
def test_when_textese_is_dense_then_score_is_high(run_check, body, language):
    [hit] = run_check("sms_language", body, language=language)
    assert hit.code == "sms_language.textese"
    assert hit.score >= 0.7


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Hello, since the upgrade to 5.2 our inbound calls are routed to the wrong ACD queue when u transfer "
         "them from the IVR menu. The SIP trunk logs show nothing unusual and the agents are logged in. "
         "Could someone explain which routing setting I should check first? Thank you.", "en"),
        ("Bonjour, depuis la mise à jour, les appels entrants arrivent dans la mauvaise file d'attente quand "
         "on les transfère depuis le SVI. Les journaux du trunk SIP ne montrent rien, c pareil sur tous les postes. "
         "Quel paramètre de routage faut-il vérifier en premier ? Merci d'avance.", "fr"),
        ("thx", "en"),
    ],
)
def test_when_one_textese_token_is_isolated_then_score_stays_below_review(run_check, body, language):
    [hit] = run_check("sms_language", body, language=language)
    assert hit.score < 0.5


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("The IVR, ACD and CTI modules use SIP over TLS; export the KPI report as CSV and log in with SSO.", "en"),
        ("Our WFM forecast misses the SLA. The API returns JSON and the CRM sync runs every 10 s.", "en"),
        ("Upgrade to v2 on x64, ticket ID4521 shows SIP-503 and error 0x80070005 with hash 3f2a9c7d.", "en"),
        ("Latency is 5ms, the disk has 2GB free, retry after 10s, 3x per call, 2 mm cable, 5 min wait.", "en"),
        ("Pouvez-vous m'aider svp ? Le SVI ne joue plus le message d'accueil.", "fr"),
        ("Bonjour, merci de m'indiquer la procédure svp, cordialement.", "fr"),
        ("See https://docs.example.com/u/plz-thx?lol=1 or mail u.plz@example.com, cc @lol and #idk.", "en"),
        ("I use Notepad++ and FlowDesk on Windows; option C uses the G.711 codec, PR #42 is merged.", "en"),
        ("Le PR est en revue, le DS de la DSI valide le RDV pour la TVA HT.", "fr"),
        ("The placeholder xxx and the zzz log level, www prefix, ahhh I see, hmmm.", "en"),
        ("Configure p2p, b2b and e2e encryption, i18n, l10n, k8s, g729 and h264 codecs, ipv6 and 2fa.", "en"),
        # fmt: on
    ],
)
def test_when_tokens_are_acronyms_identifiers_units_or_formal_then_nothing_is_flagged(run_check, body, language):
    assert run_check("sms_language", body, language=language) == []


def test_when_textese_sits_in_code_or_quotes_then_it_does_not_count(run_check):
    markdown = "> plz u r gr8 thx lol\n\nThe export fails:\n\n```\nu = plz(r, thx)\n```"
    assert run_check("sms_language", markdown, post_format="markdown") == []
    html = "<blockquote>slt jsp mdr</blockquote><p>Le SVI ne répond plus.</p><pre>c = g(pb)</pre>"
    assert run_check("sms_language", html, post_format="html", language="fr") == []


def test_when_evidence_is_in_html_then_offsets_point_at_the_submitted_text(run_check):
    body = "<p>plz <b>u</b> help &amp; thx</p>"
    hits = run_check("sms_language", body, post_format="html")
    assert evidence_texts(make_doc(body, post_format="html"), hits) == ["plz", "u", "thx"]


def test_when_language_is_english_then_french_lexicon_is_not_used(run_check):
    assert run_check("sms_language", "The c parameter and the g flag are set in the tt table.", language="en") == []


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "plz " * 25_000, "?" * 100_000, "a." * 50_000, "aaa-" * 25_000, "1a" * 50_000,
     "svp. " * 20_000, "x@" * 50_000, "é" * 100_000],
)
def test_when_input_is_adversarial_then_check_finishes(run_check, body):
    run_check("sms_language", body, language="fr")
    run_check("sms_language", body, language=None)


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("stp qq1 a la proc pr exporter ts les enregistrements", "fr"),
        ("dak merci, ça marche nickel. a+", "fr"),
        ("mrc bcp, ca marche mtn", "en"),  # short textese that detection reads as English
        ("pareil chez nou depui la maj, g essayé de reinstaller le connecteur mé ca change rien", "fr"),
        ("cn sm1 tell me how 2 reset my pwd, they 4got it", "en"),
        ("same prob, thx 4 solvin it", "en"),
        ("tx, wrks way bettr w/ the vocab now", "en"),
        ("ty, deletin the cache wrkd 4 me", "en"),
        # fmt: on
    ],
)
def test_when_short_post_is_textese_then_score_reaches_review(run_check, body, language):
    [hit] = run_check("sms_language", body, language=language)
    assert hit.score >= 0.5


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        ("thx 4 solvin it, the queue wrkd again", "en", ["thx", "solvin", "wrkd"]),
        ("g passé 1 aprem la dessus, ca faisai 2j k on galérai", "fr", ["g", "aprem", "faisai", "k"]),
        ("wat's the default timeout, ne1?", "en", ["wat's", "ne1"]),
        ("pareil, j'avé pa vu", "fr", ["j'avé", "pa"]),
    ],
)
def test_when_common_word_loses_letters_then_it_is_evidence(run_check, body, language, expected):
    assert textese(run_check, body, language=language) == expected


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("Merci Claire, on va mettre le renvoi de secours comme tu dis.", "fr"),  # "dis" is not "this"
        ("Révoquez le jeton dans HubSpot puis reconnectez. Juste reconnecter ne tue pas l'ancien jeton.", "fr"),
        ("Don't forget to kill the cached schedule after the import, otherwise the old one sticks.", "en"),
        ("Tu peux regarder les logs du SVI stp ?", "fr"),  # a courtesy alone
        ("Merci de m'envoyer la procédure stp, le trunk SIP tombe toutes les nuits.", "fr"),
        ("We're going to migrate the IVR on Monday; the webhook payloads look fine.", "en"),
        ("Ça marche, merci beaucoup !", "fr"),
        ("Thanks, that fixed it.", "en"),
        ("Our temp folder fills up with WAV files and the sync job stalls.", "en"),
        # fmt: on
    ],
)
def test_when_short_post_is_standard_language_then_it_stays_below_review(run_check, body, language):
    hits = run_check("sms_language", body, language=language)
    assert all(hit.score < 0.5 for hit in hits)


def test_when_with_is_written_w_slash_then_it_is_textese_but_paths_are_not(run_check):
    assert textese(run_check, "ty, same w/ outlook mobile", language="en") == ["ty", "w/"]
    assert run_check("sms_language", "Open the w/o option in /var/log/ and C:/temp/ today.", language="en") == []
