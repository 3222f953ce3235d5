import pytest
from better_profanity import profanity as better_profanity

from bench.quality_parts.profanity import parity_corpus
from tests.conftest import evidence_texts, make_doc
from tests.public_sample import texts_by_source
from worker.classifiers.profanity import better_profanity_matcher

# Crafted cases for better_profanity's rules and quirks (the corpus brings the real text).
EDGE_CASES = [
    "sh1t happens", "@ss", "a$$hole", "f*ck this", "b!tch", "sh!t", "sh!+ man", "x sh!t", "h3ll no",
    "FUCK", "fUcK you", "ShIt", "fuc\u212a", "İ fuck", "ｆｕｃｋ", "shït", "s-h-i-t", "s.h.i.t.", "f_u_c_k",
    "F.U.C.K", "f u c k", "f u c k off", "fu ck", "blow job", "blow  job", "blowjob", "mother fucker",
    "2 girls 1 cup", "doggie style yes", "son-of-a-bitch", "god-damned thing", "jack off", "p.u.s.s.y.",
    '"fuck"', "'fuck'", "fuck,", "(shit)", "shit!", "shit.", "...shit", "Scunthorpe", "assessment",
    "cockpit", "class", "a", " a", "", "   ", "!!!", "xx", "****", "hello ****", "kill the process",
    "hung up on me", "abort", "execute", "merde putain", "c0nnard", "tit for tat", "hell's kitchen",
    "éléphant", "naïve", "l'ass", "don't", "bitches'", "😀 fuck 😀", "fuck\nyou", "f\tu\tc\tk you",
]


@pytest.fixture(scope="module")
def reference():
    better_profanity.load_censor_words()
    return better_profanity


def test_when_compared_on_real_posts_and_edge_cases_then_matcher_answers_as_better_profanity(reference):
    # ~20 s: better_profanity costs ~0.4 ms per character; the benchmark runs 1 500 more posts
    matcher = better_profanity_matcher()
    posts = parity_corpus(450, sources=texts_by_source()) + EDGE_CASES
    assert sum(matcher.contains(post) for post in posts) > 100, "the corpus should hold profane posts"
    disagreements = [post for post in posts if matcher.contains(post) != reference.contains_profanity(post)]
    assert disagreements == []


def words(run_check, body: str, **options) -> list[str]:
    return evidence_texts(make_doc(body, **options), run_check("profanity", body, **options))


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # fmt: off
        ("This fucking IVR is shit, nothing works.", "en", ["fucking", "shit"]),
        ("The queue editor is a piece of sh1t and the admin is an @sshole", "en", ["sh1t", "@sshole"]),
        ("What the f u c k is wrong with the softphone?", "en", ["f u c k"]),
        ("Putain, la mise à jour a tout cassé, c'est de la merde.", "fr", ["Putain", "merde"]),
        ("Ce connard de support ne répond jamais, bande d'enfoirés", "fr", ["connard", "enfoirés"]),
        ("Franchement l'enculé qui a codé ça...", "fr", ["enculé"]),
        ("c'est vraiment con ce menu", "fr", ["con"]),
        ("Nique ta mere le standard", "fr", ["Nique ta mere"]),
        ("Ce logiciel est 'merdique' et le SVI est M3RDE", "fr", ["merdique", "M3RDE"]),
        # fmt: on
    ],
)
def test_when_post_swears_then_every_word_is_evidence(run_check, body, language, expected):
    assert words(run_check, body, language=language) == expected


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("How do I kill the process that keeps the softphone busy?", "en"),
        ("The agent hung up before the survey and the call was aborted.", "en"),
        ("Execute the export script, then abort the campaign if it fails.", "en"),
        ("Our office in Scunthorpe needs an assessment of the contact centre.", "en"),
        ("Set up master/slave replication and strip the header from the CSV.", "en"),
        ("Pros and con of the new dialer? We have a con call tomorrow.", "en"),
        ("Merci de contacter le support, la console de configuration est constante.", "fr"),
        ("Bonjour, comment exporter le journal des appels ? Merci d'avance.", "fr"),
        ("Le cul-de-sac du menu vocal : impossible de revenir en arrière.", "fr"),
    ],
)
def test_when_post_uses_domain_words_then_nothing_is_flagged(run_check, body, language):
    assert run_check("profanity", body, language=language) == []


def test_when_word_is_french_only_then_english_post_is_not_flagged(run_check):
    assert run_check("profanity", "I want to con the bite-size con call", language="en") == []
    assert words(run_check, "quel con", language=None) == ["con"]


def test_when_more_words_then_score_rises(run_check):
    [one] = run_check("profanity", "damn this dialer")
    [three] = run_check("profanity", "damn this shit dialer, fuck")
    assert one.score == pytest.approx(0.9)
    assert three.score == pytest.approx(0.975)
    assert one.code == "offensive.profanity"


def test_when_profanity_is_in_title_or_markup_then_spans_point_at_the_submitted_text(run_check):
    body = "<p>This <b>shit</b> again</p>"
    hits = run_check("profanity", body, post_format="html", title="Damn export")
    assert evidence_texts(make_doc(body, post_format="html", title="Damn export"), hits) == ["Damn", "shit"]


def test_when_profanity_sits_in_code_then_it_does_not_count(run_check):
    assert run_check("profanity", "Run this:\n\n```\nkill -9 $(pgrep shit)\n```\n\nThanks", post_format="markdown") == []


@pytest.mark.parametrize(
    "text",
    ["Kill the stuck export process", "I killed the job and it restarted", "This bug is killing me",
     "Il faut tuer le processus (kill -9) puis relancer le script"],
)
def test_when_kill_is_used_about_processes_then_the_shipped_check_reports_nothing(run_check, text):
    assert run_check("profanity", text) == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("For testing we call dummy numbers in the Ofcom drama range.", "en"),
        ("On teste la mise à jour en recette avant de la déployer, c'est testé sur 3 postes.", "fr"),
        ("Niveau natif d'abord, puis niveau intermédiaire après 45 s.", "fr"),
        ("Deux agents sont à 2,8 en Wi-Fi, on leur envoie des câbles.", "fr"),
        ("Dans notre org les numéros sont au format E.164.", "fr"),
        ("Killing the kiosk process with a cron job is our ugly workaround.", "en"),
        ('A caller told our agent "you stupid cow" and hung up. Can we flag such calls?', "en"),
        ("Le client a traité la conseillère de « connasse » : comment marquer l'appel pour le dépôt de plainte ?", "fr"),
        ("A customer left a voicemail saying 'you are all shit' — we route those to the team lead now.", "en"),
        # fmt: on
    ],
)
def test_when_words_are_test_data_glued_pieces_or_quoted_abuse_reported_then_nothing_is_flagged(run_check, body, language):
    assert run_check("profanity", body, language=language) == []


def test_when_a_swear_word_is_quoted_without_a_reporting_cue_then_it_still_counts(run_check):
    assert words(run_check, "The new release notes are 'shit', frankly.", language="en") == ["shit"]


def test_when_a_listed_word_is_glued_to_a_separator_then_the_word_alone_is_evidence(run_check):
    assert words(run_check, "Holy sh*t, a two-month-old bug.", language="en") == ["sh*t"]
