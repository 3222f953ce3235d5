"""profanity: swear words and insults, better_profanity's English list plus a French one.

Code ``offensive.profanity``: the post (title or body prose; code and quotes of other posts are
already set aside) contains a listed word. Evidence: every word found.

What matches: better_profanity 0.7.0's default word list with exactly its rules (see
``_wordmatch``): whole tokens only (so "Scunthorpe", "assessment", "contact" never match), any
case, its leetspeak variants ("sh1t", "@ss", "f*ck"), words spelt out with separators
("s-h-i-t", "f.u.c.k", "f u c k off") and its multi-word entries ("blow job"). With
``extensions=False`` the matcher answers exactly as ``better_profanity.contains_profanity`` (the
parity test holds it to that) at ~1/1000 of the cost. The shipped check adds, from
config/checks/profanity.toml:

* ``words``: more words matched in every post (the common French swear words), with the same
  variants, spelt with or without accents;
* ``language_only``: words that are innocent in another language ("con", "bite", "pd"), matched
  only when the post is in that language or its language is unknown;
* token clean-up better_profanity lacks: quotes around a word ("'merde'"), French elision
  ("l'enculé") and accents typed or not;
* ``allow_words`` (never matched: "strip", "slave" as in master/slave...) and ``allow_phrases``
  (a match inside "kill the process", "hung up", "cul-de-sac" does not count).

Score: profanity present is near-certain, so one word scores 0.9 and each further one halves
the distance to 1 (2 words 0.95, 3 words 0.975): a lone "damn" weighs less than a tirade.

Context (1.1.0): a word inside quotation marks after a reporting cue in its sentence ("a caller
told her "you stupid cow"", "le client a traité la conseillère de « connasse »": ``reported_speech``)
is a report of abuse, not the poster's own, and is not counted; a match glued from pieces of
several ordinary words ("Wi-Fi, on" read as "fion", "45 s" as "ass", "org les") is dropped: only
single letters spelt out ("f.u.c.k") or a listed multi-word entry ("fils de pute") may span words.

Known limits: a word quoted without a reporting cue counts; words split by markup or joined to
other words ("fuckingidiot" unless listed) are missed; "f u c k" at the very end of a post is
missed, as in better_profanity; the English list includes mild words ("hell", "god", "crap").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from importlib.metadata import version as package_version

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.classifiers._wordmatch import WordMatcher
from worker.document import Document
from worker.errors import ConfigurationError
from worker.rules import _abuse
from worker.text import fold_in_place, strip_accents
from worker.types import Hit, Span

# read once: the version goes into every verdict, on the per-post path
_BETTER_PROFANITY_VERSION = package_version("better-profanity")

_EVERYWHERE = "*"  # tag of words matched whatever the post's language
_QUOTES = "'\""
_FIRST_SCORE = 0.9
_SEPARATORS = regex.compile(r"[^\w@$*]+")


class Settings(CheckSettings):
    words: PerLanguage = {}
    language_only: PerLanguage = {}
    elisions: list[str] = []
    allow_words: list[str] = []
    allow_phrases: list[str] = []
    reported_speech: PerLanguage = {}


def build_matcher(settings: Settings, *, extensions: bool = True) -> WordMatcher:
    """better_profanity's default list and rules; with ``extensions``, plus the configured lists."""
    try:
        from better_profanity import profanity
        from better_profanity.constants import ALLOWED_CHARACTERS
        from better_profanity.utils import read_wordlist

        english = list(read_wordlist(profanity._default_wordlist_filename))
    except (ImportError, OSError) as error:
        raise ConfigurationError(f"profanity: better_profanity's word list is unavailable: {error}") from None
    words: dict[str, set[str]] = {word.lower(): {_EVERYWHERE} for word in english}
    if extensions:
        for tag, lists in ((_EVERYWHERE, settings.words), (None, settings.language_only)):
            for language, entries in lists.items():
                for entry in entries:
                    # typed with or without accents: both spellings are listed
                    for spelling in {entry.lower(), strip_accents(entry.lower(), case="keep", compatibility=False)}:
                        words.setdefault(spelling, set()).add(tag or language)
        for allowed in settings.allow_words:
            words.pop(allowed.lower(), None)
    return WordMatcher(words, profanity.CHARS_MAPPING, ALLOWED_CHARACTERS)


def better_profanity_matcher() -> WordMatcher:
    """The matcher that must answer as ``better_profanity.contains_profanity`` (no extensions)."""
    return build_matcher(Settings(), extensions=False)


@register
class Profanity(Check[Settings]):
    name = "profanity"
    category = "offensive"
    version = "1.1.0"
    codes = frozenset({"offensive.profanity"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._matcher: WordMatcher | None = None
        self._elisions = frozenset(e.lower() for e in settings.elisions)
        phrases = sorted({p.strip().lower() for p in settings.allow_phrases if p.strip()}, key=len, reverse=True)
        # literal phrases joined by bounded whitespace: no nested quantifier, no backtracking blow-up
        alternatives = "|".join(r"\s{1,3}".join(regex.escape(part) for part in p.split()) for p in phrases)
        self._allowed = regex.compile(rf"(?<!\w)(?:{alternatives or '(?!)'})(?!\w)", regex.IGNORECASE)

    @property
    def running_version(self) -> str:
        return f"{self.version}+better-profanity-{_BETTER_PROFANITY_VERSION}"

    def load(self) -> None:
        if self._matcher is None:
            self._matcher = build_matcher(self.settings)

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        return [self._hits(doc) for doc in docs]

    def find(self, text: str, language: str | None) -> list[tuple[int, int]]:
        """Spans of every listed word in `text`, for a post in `language` (None: unknown)."""
        assert self._matcher is not None, "load() first"
        matcher = self._matcher
        active = {_EVERYWHERE} | ({language} if language else set(self.settings.language_only))
        found = [(m.start, m.end) for m in matcher.matches(text, active)]
        covered = iter(sorted(found))
        current = next(covered, None)
        for start, end in matcher.tokens(text):
            while current is not None and current[1] <= start:
                current = next(covered, None)
            if current is not None and current[0] <= start:
                continue  # already part of a match
            token = text[start:end]
            if token.isascii() and "'" not in token and token[0] not in _QUOTES and token[-1] not in _QUOTES:
                continue  # nothing lenient to try: the strict matcher has answered for it
            span = self._lenient_match(text, start, end, active)
            if span is not None:
                found.append(span)
        if found and self.settings.allow_phrases:
            allowed = [m.span() for m in self._allowed.finditer(text, timeout=self.regex_timeout)]
            found = [(s, e) for s, e in found if not any(a <= s and e <= b for a, b in allowed)]
        found = [span for s, e in found if (span := self._whole_words(text, s, e, active)) is not None]
        if found:
            found = self._said_by_poster(text, found, language)
        return sorted(found)

    def _whole_words(self, text: str, start: int, end: int, active: Collection[str]) -> tuple[int, int] | None:
        """The span, unless glued from pieces of several ordinary words ("45 s", "Fi, on", "org les").

        Single letters spelt out ("f.u.c.k") and listed phrases ("fils de pute") stay; when the
        first piece is itself a listed word ("sh*t, a" read as one), that word alone is kept.
        """
        pieces = [p for p in _SEPARATORS.split(text[start:end]) if p]
        if len(pieces) < 2 or all(len(piece) == 1 for piece in pieces):
            return start, end
        assert self._matcher is not None
        if self._matcher.lookup(" ".join(pieces).lower(), active):
            return start, end
        first = text.find(pieces[0], start, end)
        if self._matcher.lookup(pieces[0].lower(), active):
            return first, first + len(pieces[0])
        return None

    def _said_by_poster(self, text: str, found: list[tuple[int, int]], language: str | None) -> list[tuple[int, int]]:
        """Drop words quoted after a reporting cue ("told her "you stupid cow""): the post reports abuse."""
        folded = fold_in_place(text, base="unaccented")
        quoted = _abuse.quoted_ranges(folded, self.regex_timeout)
        if not quoted:
            return found
        cues = self.per_language(language, self._reporting_cues)
        kept = []
        for start, end in found:
            quote = next(((a, b) for a, b in quoted if a <= start and end <= b), None)
            if quote is not None and _abuse.reported_speech(folded, quote[0], cues, count=10):
                continue
            kept.append((start, end))
        return kept

    def _reporting_cues(self, language: str | None) -> list[str]:
        return [fold_in_place(c, base="unaccented") for c in _abuse.pick(self.settings.reported_speech, language)]

    def _hits(self, doc: Document) -> list[Hit]:
        spans = []
        for field_name, field in (("title", doc.title), ("body", doc.body)):
            if field is not None and field.text:
                spans += [Span(field_name, s, e) for s, e in self.find(field.text, doc.language)]
        if not spans:
            return []
        score = 1.0 - (1.0 - _FIRST_SCORE) * 0.5 ** (len(spans) - 1)
        return [
            Hit(
                code="offensive.profanity",
                score=score,
                message="The post contains swear words or insults; please rephrase it in courteous, "
                "professional language.",
                spans=tuple(spans),
                details=(("words", str(len(spans))),),
            )
        ]

    def _lenient_match(self, text: str, start: int, end: int, active: Collection[str]) -> tuple[int, int] | None:
        """A token better_profanity would not match once quotes, elision or accents are dealt with."""
        assert self._matcher is not None
        token = text[start:end]
        core = token.strip(_QUOTES)
        if not core:
            return None
        start += token.index(core)
        apostrophe = core.find("'")
        if 0 < apostrophe < len(core) - 1 and core[:apostrophe].lower() in self._elisions:
            start += apostrophe + 1
            core = core[apostrophe + 1 :]
        unaccented = [strip_accents(core, case="keep", compatibility=False)] if not core.isascii() else []
        candidates = unaccented if core == token else [core, *unaccented]
        if any(self._matcher.lookup(candidate, active) for candidate in candidates):
            return start, start + len(core)
        return None
