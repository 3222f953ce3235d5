"""Regex builders for the personal_data classifier: street addresses and names.

Every word list comes from config/checks/personal_data.toml; this module only assembles them.
All repeats are bounded ({0,3}, {1,30}…) so no pattern can backtrack catastrophically, and a
pattern may name a group ``value`` (the finding is then that group's span: a cue or a quote prefix
anchors the match but stays out of the evidence) or ``begin`` (the finding starts there). Patterns
whose rare part comes last start with it and read the rest backwards in a lookbehind ("Via Roma
131" is found from its digit): the `regex` module scans fast for a digit, slowly for a word list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import regex
from presidio_analyzer import Pattern

# Presidio compiles patterns with IGNORECASE by default; names and street words need case
CASED = regex.DOTALL | regex.MULTILINE


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so "rd." wins over "rd".

    A lookahead on the words' first characters (either case) comes first: at most positions of a
    text it fails in one step, where trying every word would cost a few microseconds.
    """
    ordered = sorted(set(words), key=len, reverse=True)
    if not ordered:
        return "(?!)"
    firsts = sorted({c for w in ordered for c in (w[0], w[0].lower(), w[0].upper(), w[0].casefold()) if len(c) == 1})
    return f"(?=[{''.join(regex.escape(c, special_only=False) for c in firsts)}])(?:{'|'.join(regex.escape(w) for w in ordered)})"


def cue_regex(words: Iterable[str]) -> regex.Pattern[str]:
    # word-ish boundaries: cues such as "n°" or "tél" end in non-\w characters
    return regex.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", regex.IGNORECASE)


_TOKEN = regex.compile(r"[\w./'’-]+")


def tokens(text: str) -> set[str]:
    """The lower-case words of a text, with and without surrounding punctuation ("St.," gives "st." and "st")."""
    found = set(_TOKEN.findall(text.lower()))
    return found | {token.strip("./'’-") for token in found}


def triggers(words: Iterable[str]) -> frozenset[str]:
    """Words one of which a text must contain for a list's pattern to match: each entry's longest token."""
    return frozenset(token for w in words for token in tokens(max(w.split(), key=len)))


@dataclass(frozen=True)
class PatternSet:
    """Patterns, the words that must occur for each to be worth running, and the address lead."""

    patterns: list[Pattern]
    triggers: dict[str, frozenset[str]] = field(default_factory=dict)
    lead: str = ""


def street_patterns(settings: Mapping[str, Sequence[str]], scores: Mapping[str, float]) -> PatternSet:
    """Address patterns assembled from the street-word lists (case-sensitive name words).

    Most patterns need one word of a list ("rue", "Street", "Apt"); they run only on texts that
    contain one (``triggers``): an alternation of dozens of words tried at every position of a
    post costs tens of microseconds per pattern. The building or unit number that may precede a
    street ("Flat 3, 12 High Street") is the ``lead``, read backwards from each match for the same reason.
    """
    def words(key: str) -> str:
        return rf"(?i:{alternation(settings[key])})"

    word = r"\p{Lu}(?:[\p{L}'’-]{0,30}|\.)"  # a name word or an initial; never swallows a full stop
    lower_word = r"\p{L}[\p{L}'’-]{0,30}"
    number = r"\d{1,5}[A-Za-z]?(?:[ ]?(?:bis|ter))?"
    particles = rf"(?:{words('particles')}[ \t]?)"
    prefix, suffix, unit, box = words("prefixes"), words("suffixes"), words("units"), words("po_boxes")
    # the word is read whole, then its ending checked once ("Søndergade": "gade")
    compound = rf"\p{{L}}{{1,30}}+(?<={words('compound_suffixes')})"
    # what may come before a street: a building or unit number, not the end of a phone number
    lead = (rf"(?<![\w.,:/-]|\d[ .-])(?:{unit}[ \t]?\d{{1,5}}[A-Za-z]?,?[ \t]+)?"
            rf"(?:\d{{1,5}}[A-Za-z]?,?[ \t]+)?\Z")
    # what may follow a street on the same line: ", Apt. 4", ", 75002 Paris", " NW1 6XE"
    tail = rf"(?:(?:,[ \t]*|[ \t]+)(?:{unit}[ \t]?\d{{1,5}}[A-Za-z]?|\d{{4,6}}|\d{{2}}-\d{{3}}|[A-Z]{{1,2}}\d[A-Z\d]?[ ]\d[A-Z]{{2}}|{word})){{0,6}}"
    name = rf"{particles}{{0,3}}{word}(?:[ \t-]+{particles}{{0,2}}{word}){{0,3}}"
    lower_name = rf"{particles}{{0,3}}{lower_word}(?:[ \t]+{particles}{{0,2}}{lower_word}){{0,2}}"
    lower_prefix = words("lowercase_prefixes")
    start = r"(?<![\w.,:/-])"  # not inside a longer number, time ("10:00:01") or path
    # "the corner of Bygget 64 and Komel Club": one of the two streets carries a number
    corner_word = rf"{particles}{{0,2}}(?:{prefix}|{word})"
    corner_street = rf"{corner_word}(?:[ \t]+{corner_word}){{0,4}}"
    numbered = (rf"(?:{corner_street}[ \t]+\d{{1,5}}[A-Za-z]?\.?(?:[ \t]+{suffix}\.?)?|\d{{1,5}}[ \t]+{corner_street}"
                rf"|\d{{1,4}}{words('ordinals')})")
    corner_and = rf"[ \t]+{words('corner_joins')}[ \t]+"
    corner = words("corner_cues")
    military = (rf"\d(?<=(?<![\w-])(?P<begin>(?:{words('military_units')}[ \t]+[^\n@]{{1,40}}?\n[ \t>?]{{0,8}})?"
                rf"{words('military_posts')})[ \t]+{words('military_states')}[ \t]+\d)\d{{4}}(?!\w)")
    strong, weak = scores["address_street"], scores["address_weak"]
    patterns = [
        Pattern("street_number_first", rf"{start}{number},?[ \t]+{prefix}[ \t]+{name}{tail}", strong),
        Pattern("street_suffix", rf"{start}{number},?(?:[ \t]+{word}){{1,4}}[ \t]+{suffix}(?!\w){tail}", strong),
        Pattern("street_name_first", rf"\d(?<={start}(?P<begin>{prefix})[ \t]+{name}[ \t]+\d)\d{{0,4}}[a-zA-Z]?(?!\w){tail}", strong),
        Pattern("street_compound", rf"{start}(?:\d{{1,5}}[ \t]+)?\p{{Lu}}{compound}[ \t]+\d{{1,5}}[a-zA-Z]?(?!\w){tail}", strong),
        # "Király u. 15", "Rákóczi út 66", "Luite tee 87": the street type between name and number
        Pattern("street_type_after", rf"\d(?<={start}(?P<begin>{word})(?:[ \t]+{particles}{{0,2}}{word}){{0,3}}[ \t]+"
                rf"{words('types_after_name')}[ \t]+\d)\d{{0,4}}[a-zA-Z]?\.?(?!\w){tail}", strong),
        # "12 rue de la paix", "rua olmos 44": lower-case writing, only after an unambiguous street type
        Pattern("street_lowercase", rf"{start}{number},?[ \t]+{lower_prefix}[ \t]+{lower_name}{tail}", weak),
        Pattern("street_lowercase_name_first", rf"\d(?<={start}(?P<begin>{lower_prefix})[ \t]+{lower_name}[ \t]+\d)\d{{0,4}}[a-zA-Z]?(?!\w){tail}", weak),
        Pattern("street_number_name_number", rf"{start}\d{{1,5}}(?:[ \t]+{word}){{1,3}}[ \t]+\d{{1,4}}\.?(?![\w-]){tail}", weak),
        # the same with a unit right after ("692 Kuuse 53 Apt. 641"): the unit makes it an address
        Pattern("street_number_name_number_unit", rf"{start}\d{{1,5}}(?:[ \t]+{word}){{1,3}}[ \t]+\d{{1,4}}\.?,?[ \t]+{unit}[ \t]?"
                rf"\d{{1,5}}[A-Za-z]?(?!\w){tail}", strong),
        Pattern("street_corner", rf"(?<!\w){corner}(?<!(?<!\w){words('corner_not_after')}[ \t]{{1,3}}{corner})[ \t]+"
                rf"(?:{numbered}{corner_and}(?:{numbered}|{corner_street})|{corner_street}{corner_and}{numbered})(?!\w)", strong),
        Pattern("unit", rf"\d(?<=(?<!\w)(?P<begin>{unit})[ \t]?\d)\d{{0,4}}[A-Za-z]?(?!\w){tail}", weak),
        Pattern("po_box", rf"\d(?<=(?<!\w)(?P<begin>{box})[ \t]?\d)\d{{1,5}}(?:,?[ \t]+(?i:box)[ \t]?\d{{2,6}})?(?!\w){tail}",
                scores["address_po_box"]),
        Pattern("military", military, strong),  # "USNS Møller\nFPO AA 85844", "PSC 5420, Box 1225\nAPO AE 09123"
    ]
    required = {"street_number_first": "prefixes", "street_suffix": "suffixes", "street_name_first": "prefixes",
                "street_type_after": "types_after_name", "street_lowercase": "lowercase_prefixes",
                "street_lowercase_name_first": "lowercase_prefixes",
                "street_number_name_number_unit": "units", "street_corner": "corner_cues", "unit": "units",
                "po_box": "po_boxes", "military": "military_posts"}
    return PatternSet(patterns, {name: triggers(settings[key]) for name, key in required.items()}, lead)


def person_patterns(settings: Mapping[str, Sequence[str]], scores: Mapping[str, float]) -> PatternSet:
    """Full names (two to four capitalised words, initials and particles inside) after or before a cue, or alone on a line.

    The cue of ``person_after_cue`` is read backwards from a capital letter, and the name of
    ``person_before_cue`` backwards from its cue: trying a list of cues, or a name, at every
    position of a post would cost far more.
    """
    # stop words apply to whole words only: an initial "M" is no "m." (monsieur)
    stop = rf"(?!(?i:{alternation(settings['not_names'])})(?![\p{{L}}]))"
    name_word = r"\p{Lu}[\p{Ll}'’]{1,30}(?:-?\p{Lu}[\p{Ll}'’]{1,30})?"
    particle = rf"(?:(?:{alternation(settings['particles'])})[ \t]+)"
    rest = rf"(?:[ \t]+(?:\p{{Lu}}\.?(?=[ \t])|{particle}{{0,2}}{stop}{name_word})){{1,3}}"
    name = rf"(?P<value>{stop}{name_word}{rest})(?![\p{{L}}'’-])"
    cues = rf"(?<![\p{{L}}])(?i:{alternation(settings['cues'])})"
    after = rf"(?i:{alternation(settings['cues_after'])})"
    return PatternSet([
        Pattern("person_after_cue", rf"(?<![\p{{L}}])(?=\p{{Lu}})(?<={cues}[,:]?[ \t]{{1,8}}){name}", scores["person_cue"]),
        Pattern("person_before_cue", rf"(?<![\p{{L}}]){after}(?![\p{{L}}])(?<=(?<![\p{{L}}'’-]){name},?[ \t]{{1,4}}{after})", scores["person_cue"]),
        Pattern("person_signature", rf"^[ \t>?]{{0,8}}{name}[ \t]{{0,8}},?[ \t]{{0,8}}$", scores["person_signature"]),
    ], {"person_before_cue": triggers(settings["cues_after"])})
