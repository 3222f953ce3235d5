import pytest

from tests.conftest import evidence_texts, make_doc

BODY = "Since this morning every outbound call fails with SIP 503 Service Unavailable."
CORPS = "Depuis ce matin, l'export CSV des appels de la file Support est vide."


def codes(run_check, title: str | None, **options) -> dict[str, float]:
    return {hit.code: hit.score for hit in run_check("unclear_title", options.pop("body", BODY), title=title, **options)}


@pytest.mark.parametrize(
    ("title", "language", "expected"),
    [
        # fmt: off
        ("Help", "en", {"unclear_title.vague": 0.9}),
        ("Question", "en", {"unclear_title.vague": 0.9}),
        ("Problem!!", "en", {"unclear_title.vague": 0.9}),
        ("Urgent - please help", "en", {"unclear_title.vague": 0.9}),
        ("Bug", "en", {"unclear_title.vague": 0.9}),
        ("Issue", "en", {"unclear_title.vague": 0.9}),
        ("It doesn't work", "en", {"unclear_title.vague": 0.9}),
        ("Hi all, quick question", "en", {"unclear_title.vague": 0.9}),
        ("Problème", "fr", {"unclear_title.vague": 0.9}),
        ("Probleme urgent !!!", "fr", {"unclear_title.vague": 0.9}),
        ("Aide", "fr", {"unclear_title.vague": 0.9}),
        ("Besoin d'aide SVP", "fr", {"unclear_title.vague": 0.9}),
        ("Besoin d’aide", "fr", {"unclear_title.vague": 0.9}),
        ("Petit souci", "fr", {"unclear_title.vague": 0.9}),
        ("Ça ne marche pas", "fr", {"unclear_title.vague": 0.9}),
        ("Bonjour à tous", "fr", {"unclear_title.vague": 0.9}),
        ("URGENT HELP!!!", "en", {"unclear_title.vague": 0.9, "unclear_title.all_caps": 0.7}),
        ("AIDE SVP", "fr", {"unclear_title.vague": 0.9, "unclear_title.all_caps": 0.7}),
        ("???", "en", {"unclear_title.punctuation_only": 1.0}),
        ("!!!", "fr", {"unclear_title.punctuation_only": 1.0}),
        ("... ?!", "en", {"unclear_title.punctuation_only": 1.0}),
        ("🔥🔥🔥", "en", {"unclear_title.punctuation_only": 1.0}),
        ("Login problem", "en", {"unclear_title.too_short": 0.75}),
        ("Help with export", "en", {"unclear_title.too_short": 0.75}),
        ("Question about SIP", "en", {"unclear_title.too_short": 0.75}),
        ("Problème d'export", "fr", {"unclear_title.too_short": 0.75}),
        ("Souci avec le softphone", "fr", {"unclear_title.too_short": 0.75}),
        ("Why?", "en", {"unclear_title.too_short": 0.9}),
        ("Pourquoi ?", "fr", {"unclear_title.too_short": 0.9}),
        ("SIP TRUNK DOWN AFTER UPDATE", "en", {"unclear_title.all_caps": 0.7}),
        ("EXPORT CSV DES APPELS VIDE", "fr", {"unclear_title.all_caps": 0.7}),
        ("LA FILE D'ATTENTE NE SONNE PLUS", "fr", {"unclear_title.all_caps": 0.7}),
        # fmt: on
    ],
)
def test_when_title_does_not_say_what_the_post_is_about_then_it_is_flagged(run_check, title, language, expected):
    assert codes(run_check, title, language=language, body=CORPS if language == "fr" else BODY) == expected


@pytest.mark.parametrize(
    ("title", "language"),
    [
        # fmt: off
        ("SIP 503 on outbound calls", "en"),
        ("Export CSV des appels vide", "fr"),
        ("How to export calls to CSV", "en"),
        ("Calls dropping", "en"),
        ("Password reset", "en"),
        ("IVR menu editor won't save", "en"),
        ("Help with the IVR menu editor", "en"),
        ("Problem with SSO login after the update", "en"),
        ("Question sur l'API des files d'attente", "fr"),
        ("Le softphone ne sonne plus", "fr"),
        ("Problème de SSO après la mise à jour", "fr"),
        ("SIP IVR ACD", "en"),
        ("CTI API KPI", "en"),
        ("WFM SLA CSV export", "en"),
        ("Erreur E503 sur le trunk SIP", "fr"),
        ("Urgent: all agents logged out of ACD queue", "en"),
        ("  Transfert d'appel impossible vers un numéro externe  ", "fr"),
        # fmt: on
    ],
)
def test_when_title_is_short_but_specific_then_nothing_is_flagged(run_check, title, language):
    assert codes(run_check, title, language=language, body=CORPS if language == "fr" else BODY) == {}


@pytest.mark.parametrize("title", [None, "", "   ", "\n\t"])
def test_when_opening_post_has_no_title_then_title_is_missing(run_check, title):
    [hit] = run_check("unclear_title", BODY, title=title)
    assert (hit.code, hit.score, hit.spans) == ("unclear_title.missing", 1.0, ())


@pytest.mark.parametrize("title", ["Help", "???", None, "URGENT"])
def test_when_post_is_a_reply_then_nothing_is_flagged(run_check, title):
    assert run_check("unclear_title", BODY, title=title, reply_to="p0", topic_title="SIP 503 on outbound calls") == []


def test_when_title_is_flagged_then_the_title_is_evidence(run_check):
    title = "  Help please!!  "
    hits = run_check("unclear_title", BODY, title=title)
    assert [span.field for hit in hits for span in hit.spans] == ["title"]
    assert evidence_texts(make_doc(BODY, title=title), hits) == ["Help please!!"]


def test_when_title_has_markup_then_evidence_points_at_the_submitted_title(run_check):
    title = "<b>Aide</b> &amp; merci"
    hits = run_check("unclear_title", "<p>Corps</p>", title=title, post_format="html", language="fr")
    assert [hit.code for hit in hits] == ["unclear_title.vague"]
    assert evidence_texts(make_doc("<p>Corps</p>", title=title, post_format="html"), hits) == ["Aide</b> &amp; merci"]


def test_when_scores_are_reported_then_codes_are_declared(run_check, checks):
    titles = ["Help", "???", "Login problem", "SIP TRUNK DOWN AFTER UPDATE", None]
    hits = [hit for title in titles for hit in run_check("unclear_title", BODY, title=title)]
    assert {hit.code for hit in hits} == checks["unclear_title"].codes
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)


@pytest.mark.parametrize(
    "title",
    ["a" * 10000, "help " * 2000, "?" * 10000, "A " * 5000, "d'" * 5000, "é" * 10000, "x-" * 5000],
)
def test_when_title_is_adversarial_then_the_check_returns(run_check, title):
    assert isinstance(run_check("unclear_title", "x" * 100_000, title=title), list)
