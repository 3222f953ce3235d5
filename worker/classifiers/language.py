"""language: which language a post is written in, and whether the community supports it.

Two jobs:

* ``detect_languages(docs)`` is the engine's language detector (assembly picks the check that
  has it): every document's language, ISO 639-1, before any other check runs. It scores the
  first ``max_chars`` characters of the title and prose (code and quotes already set aside) with
  langdetect 1.0.9's n-gram profiles, restricted to ``languages``, deterministically (see
  ``_ngram_langid``: every n-gram is scored once, no random sampling), with a prior that favours
  the supported languages (the community profile's ``languages``, config/community.toml;
  ``other_language_prior`` for each of the others). When detection is
  unsure (fewer than ``min_letters`` letters, or a confidence under ``min_confidence``) the post's
  own language hint is used if it has one; without a hint a too-short text gets None and a
  low-confidence one keeps its best guess. Text without any letter (empty, punctuation, emoji)
  has no language: None, whatever the hint. Before scoring, what is no evidence of the writer's
  language is removed: the product's English vocabulary (``neutral_terms``: "softphone",
  "agent desktop", "refresh token"), CamelCase names, tokens with digits and short quoted UI labels
  or error messages ('Registration failed (408)'): a Spanish or Polish post full of them read as
  English. A reply too short for n-grams that is a listed thank-you or greeting of another
  language ("Danke!", "ok dzięki": ``short_replies``) is in that language.
* ``check_batch`` emits ``language.unsupported`` for a post whose language is known and not
  supported. Score: the detector's confidence in that language (the softmax probability,
  ~1.0 for a clear paragraph, lower for a short or mixed text; 0 when the language came from a
  hint for a language it cannot recognise, and then nothing is reported; ``short_reply_score`` for a
  listed short reply). A supported or unknown
  language reports nothing.

Cost: ~50-100 µs per post of 300 characters (plain ``langdetect.detect``: ~4 ms).

Known limits: a post mixing languages gets the language of most of its first ``max_chars``
characters; textese and lists of product names are weak evidence; languages outside
``languages`` are reported as the closest loaded one (a Catalan post may read as Spanish,
still unsupported); "zh-cn"/"zh-tw" profiles both report "zh".
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from importlib.metadata import version as package_version


import regex
from pydantic import Field, model_validator

from worker.checks import Check, CheckSettings, LanguageCode, register
from worker.classifiers._ngram_langid import Detection, NgramLanguageIdentifier, profiles_directory
from worker.community import CommunityProfile
from worker.document import Document
from worker.errors import ConfigurationError
from worker.types import Hit

_LANGDETECT_VERSION = package_version("langdetect")  # the profiles' source, recorded on every verdict


class Settings(CheckSettings):
    community: CommunityProfile
    languages: list[str] = Field(min_length=2)
    """langdetect profile names to choose from ("en", "fr", "zh-cn"...)."""
    other_language_prior: float = Field(default=0.02, gt=0.0, le=1.0)
    confidence_scale: float = Field(default=25.0, gt=0.0)
    max_chars: int = Field(default=400, ge=20)
    min_letters: int = Field(default=15, ge=0)
    min_confidence: float = Field(default=0.8, ge=0.0, le=1.0)
    neutral_terms: list[str] = []
    max_quote_chars: int = Field(default=60, ge=0)
    short_replies: dict[LanguageCode, list[str]] = {}
    short_reply_score: float = Field(default=0.9, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _supported_are_detectable(self) -> Settings:
        # a supported language without a profile could never be detected: its posts would be reported
        detectable = {_code(name) for name in self.languages}
        missing = [language for language in self.community.languages if language not in detectable]
        if missing:
            raise ValueError(f"the community's languages {', '.join(missing)} (config/community.toml) are not "
                             "among `languages`: add their langdetect profiles")
        return self


@register
class Language(Check[Settings]):
    name = "language"
    category = "language"
    version = "1.1.0"
    codes = frozenset({"language.unsupported"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._identifier: NgramLanguageIdentifier | None = None
        limit = settings.max_quote_chars
        # what is no evidence of the writer's language: the product's English vocabulary ("agent
        # desktop", "refresh token": each word of the listed terms), CamelCase names ("ContactFlow",
        # "WordPress"), tokens with digits, and short quoted UI labels or error messages
        # ('Registration failed (408)'); words are filtered in Python, quotes by one small pattern
        self._neutral_words = frozenset(word for term in settings.neutral_terms for word in _WORDS.findall(term.lower()))
        self._quoted = regex.compile(
            rf"(?<!\p{{L}})'[^'\n]{{1,{limit}}}'(?!\p{{L}})|\"[^\"\n]{{1,{limit}}}\"|“[^”\n]{{1,{limit}}}”|‘[^’\n]{{1,{limit}}}’")
        self._short_replies = {
            " ".join(phrase.lower().split()): language
            for language, phrases in settings.short_replies.items() for phrase in phrases
        }
        # detections of the last batch, by the text scored, so check_batch reuses them
        self._recent: dict[str, Detection] = {}

    @property
    def running_version(self) -> str:
        return f"{self.version}+langdetect-{_LANGDETECT_VERSION}"

    def load(self) -> None:
        if self._identifier is not None:
            return
        settings = self.settings
        directory = profiles_directory()
        missing = [name for name in settings.languages if not (directory / name).is_file()]
        if missing:
            raise ConfigurationError(f"config/checks/language.toml: no langdetect profile for {', '.join(missing)}")
        self._identifier = NgramLanguageIdentifier(
            directory,
            settings.languages,
            priors=[1.0 if _code(name) in settings.community.languages else settings.other_language_prior for name in settings.languages],
            scale=settings.confidence_scale,
            max_chars=settings.max_chars,
            regex_timeout=self.regex_timeout,
        )

    def detect_languages(self, docs: Sequence[Document]) -> list[str | None]:
        """Each document's language (ISO 639-1), its hint when detection is unsure, None without letters."""
        self.load()
        self._recent = {}
        return [self._language(doc, self._detect(doc, remember=True)) for doc in docs]

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        return [self._hits(doc) for doc in docs]

    def _hits(self, doc: Document) -> list[Hit]:
        settings = self.settings
        language = doc.language
        if language is None or language in settings.community.languages:
            return []
        detection = self._detect(doc, remember=False)
        score = sum(p for name, p in detection.probabilities.items() if _code(name) == language)
        if detection.letters < settings.min_letters and self._short_reply(doc) == language:
            score = settings.short_reply_score  # a listed thank-you or greeting in that language
        if score <= 0.0:
            return []
        return [
            Hit(
                code="language.unsupported",
                score=min(1.0, score),
                message=f"The post seems to be written in a language the community does not support ({language}); "
                f"please write it in one of: {', '.join(settings.community.languages)}.",
                details=(("language", language),),
            )
        ]

    def _language(self, doc: Document, detection: Detection) -> str | None:
        settings = self.settings
        if detection.letters < settings.min_letters:
            known = self._short_reply(doc)  # "Danke!", "ok dzięki": too short for n-grams, not for a lexicon
            if known is not None:
                return known
        if detection.language is None:
            return None
        too_short = detection.letters < settings.min_letters
        if too_short or detection.probabilities[detection.language] < settings.min_confidence:
            if doc.language_hint:
                return doc.language_hint
            if too_short:  # "lol", "ok": a guess would mislead the other checks more than None
                return None
        return _code(detection.language)

    def _evidence(self, text: str) -> str:
        """The text less what says nothing of its language (see __init__); punctuation is dropped
        too, which the n-gram profiles ignore anyway."""
        if "'" in text or '"' in text or "“" in text or "‘" in text:
            text = self._quoted.sub(" ", text, timeout=self.regex_timeout)
        kept = []
        for token in text.split():  # str methods: this runs on every post before any other check
            word = token.strip(_PUNCTUATION)
            if word and word.lower() not in self._neutral_words and not _is_name_or_code(word):
                kept.append(word)
        return " ".join(kept)

    def _short_reply(self, doc: Document) -> str | None:
        words = _WORDS.findall(doc.body.text[:200].lower(), timeout=self.regex_timeout)
        return self._short_replies.get(" ".join(words)) if words else None

    def _detect(self, doc: Document, *, remember: bool) -> Detection:
        assert self._identifier is not None, "load() first"
        text = self._evidence(_text(doc, self.settings.max_chars))
        detection = self._recent.get(text)
        if detection is None:
            detection = self._identifier.detect(text)
            if remember:  # only the current batch is kept: the dict is replaced on every batch
                self._recent[text] = detection
        return detection


_WORDS = regex.compile(r"[\p{L}']+")
_PUNCTUATION = string.punctuation + "«»“”‘’…¿¡–—·•"


def _is_name_or_code(word: str) -> bool:
    """CamelCase ("ContactFlow", "WordPress") or with digits ("G729", "v5", "401")."""
    return any(ch.isdigit() for ch in word) or any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _text(doc: Document, max_chars: int) -> str:
    body = doc.body.text[:max_chars]
    return f"{doc.title.text[:max_chars]}\n{body}" if doc.title is not None and doc.title.text else body


def _code(profile_name: str) -> str:
    return profile_name.split("-")[0]
