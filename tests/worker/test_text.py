"""The text toolkit: each fold's options, the one-for-one folds, ranges, sentences and content words."""

import pytest

from worker.text import content_stems, fold, fold_in_place, position_inside, sentences, stem, stopword_set, strip_accents

TIMEOUT = 1.0


@pytest.mark.parametrize(("text", "expected"), [
    ("Même problème’s", "meme probleme's"),
    ("L’agent a répondu", "l'agent a repondu"),
    ("The SIP trunk DROPS calls", "the sip trunk drops calls"),
    ("ﬁchier x² ＡＢＣ", "fichier x2 abc"),  # compatibility forms come apart
    ("Straße", "straße"),  # lower, not casefold
    ("नमस्ते", "नमसत"),  # nonspacing vowel signs go too
])
def test_when_words_are_folded_for_comparison_then_case_accents_and_curly_apostrophes_go(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(("options", "text", "expected"), [
    ({"case": "keep", "compatibility": False}, "Enculé ﬁchier", "Encule ﬁchier"),
    ({"case": "lower", "compatibility": False}, "PROBLÈME", "probleme"),
    ({"case": "casefold", "compatibility": True}, "STRAẞE Straße ﬁchier", "strasse strasse fichier"),
    ({"case": "lower", "compatibility": True}, "Straße", "straße"),
    ({"case": "keep", "compatibility": True, "apostrophes": True}, "L’Été", "L'Ete"),
    ({"case": "keep", "compatibility": True}, "L’Été", "L’Ete"),
    # a Devanagari vowel sign has no combining class: only "nonspacing" drops it
    ({"case": "keep", "compatibility": False, "marks": "combining"}, "नमस्ते", "नमसते"),
    ({"case": "keep", "compatibility": False, "marks": "nonspacing"}, "नमस्ते", "नमसत"),
])
def test_when_accents_are_stripped_then_each_option_does_what_it_says(options, text, expected):
    assert strip_accents(text, **options) == expected


@pytest.mark.parametrize("base", ["unaccented", "decomposed"])
@pytest.mark.parametrize("text", ["Élise’s MESSAGE à l’équipe", "Je vais vous RETROUVER, bande d'incompétents", "ASCII only"])
def test_when_text_is_folded_in_place_then_it_keeps_its_length_and_loses_case_and_accents(text, base):
    folded = fold_in_place(text, base=base)
    assert len(folded) == len(text)
    assert folded == fold(text)  # on Latin text both reductions agree with the word fold


@pytest.mark.parametrize(("text", "unaccented", "decomposed"), [
    ("l´agent", "l'agent", "l´agent"),  # an acute accent typed for an apostrophe
    ("`é`", "'e'", "`e`"),  # a backquote counts in text that is not all ASCII...
    ("`e`", "`e`", "`e`"),  # ...but all-ASCII text is only lowered
    ("İstanbul", "Istanbul", "istanbul"),  # "İ" lowers to two characters
    ("한", "한", "ᄒ"),  # a Hangul syllable: whole, or its first jamo
])
def test_when_the_two_in_place_folds_differ_then_each_keeps_its_own_reading(text, unaccented, decomposed):
    assert fold_in_place(text, base="unaccented") == unaccented
    assert fold_in_place(text, base="decomposed") == decomposed


def test_when_a_position_is_looked_up_then_only_positions_inside_a_range_are():
    ranges = [(5, 10), (20, 30)]
    starts = [start for start, _ in ranges]
    assert [p for p in (0, 4, 5, 9, 10, 19, 20, 29, 30) if position_inside(ranges, starts, p)] == [5, 9, 20, 29]
    assert not position_inside([], [], 3)


@pytest.mark.parametrize(("text", "expected"), [
    ("Calls drop. See status.contactflow.example? Thanks!", ["Calls drop.", " See status.contactflow.example?", " Thanks!"]),
    ("Les appels coupent depuis la v4.2.1 ! Une idée ?", ["Les appels coupent depuis la v4.2.1 !", " Une idée ?"]),
])
def test_when_text_is_split_then_dots_inside_names_and_versions_do_not_end_a_sentence(text, expected):
    assert [text[start:end] for start, end in sentences(text, TIMEOUT)] == expected


def test_when_stopwords_are_picked_then_the_language_or_every_language_is_folded():
    lists = {"en": ["The", "our"], "fr": ["Été", "notre"]}
    assert stopword_set(lists, "fr") == {"ete", "notre"}
    assert stopword_set(lists, None) == {"the", "our", "ete", "notre"}


@pytest.mark.parametrize(("text", "stopwords", "expected"), [
    ("Outbound calls are dropping", {"are"}, {"outbo", "call", "dropp"}),
    ("Les appels sortants coupent", {"les"}, {"appel", "sorta", "coupe"}),
    ("L’équipe d’assistance", set(), {"equip", "assis"}),  # elided articles are one letter: dropped
])
def test_when_content_words_are_stemmed_then_stopwords_plurals_and_accents_do_not_matter(text, stopwords, expected):
    assert content_stems(text, stopwords, TIMEOUT) == expected
    assert stem("calls") == stem("call") == "call"
    assert stem("bus") == "bus"  # three letters: not a plural cut


def test_when_a_post_holds_thousands_of_distinct_characters_then_the_remembered_folds_stay_bounded():
    from worker import text

    ideographs = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 20_000))
    assert fold_in_place("É" + ideographs, base="unaccented") == "e" + ideographs
    assert fold_in_place("É" + ideographs, base="decomposed") == "e" + ideographs
    assert len(text._UNACCENTED) <= text._MAX_REMEMBERED_CHARACTERS
    assert len(text._DECOMPOSED) <= text._MAX_REMEMBERED_CHARACTERS
