"""off_topic: a reply should be about its topic (and about this help center's domain).

Code ``off_topic.unrelated``. Replies only. Flags a reply whose content words share nothing
with the topic title (``doc.post.topic_title``) nor with the domain vocabulary of
config/checks/off_topic.toml (contact-centre, telephony, the vendor's products, support and IT
words, EN/FR): topic "IVR menu not playing", reply "Anyone watching the football tonight?".
Why: chatter buries the answers members come for.

Content words: folded (lower case, no accents), links removed, stopwords of the language (all
languages' when unknown) removed, lightly stemmed (plural s/x cut, 5-letter prefix), after the
acknowledgements of the config ("thanks, that fixed it", "merci, ça marche !", "+1", "same
here") are cut out; a reply made only of acknowledgements is never flagged.

Score: moderate, because word overlap cannot prove a reply irrelevant (it may help in words we
do not list): ``min(0.75, 0.45 + 0.1 * c)`` for c distinct content words that overlap nothing
(c = 1: 0.55, 2: 0.65, 3+: 0.75), times 0.8 when there is no topic title to compare with.
Evidence: the sentences holding those words.

Example: "Anyone watching the football tonight?" under "IVR menu not playing" scores 0.75.

Known false positives: a relevant answer in words outside both the title and the vocabulary
("Try turning it off and on again"), replies in a language without lists.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.rules._questions import content_stems, fold, sentences, stopword_set
from worker.types import Hit, Span

_CAP = 0.75
_BASE = 0.45
_PER_WORD = 0.1
_NO_TITLE_FACTOR = 0.8


class Settings(CheckSettings):
    stopwords: PerLanguage
    acknowledgements: PerLanguage = {}
    domain: PerLanguage = {}


@register
class OffTopic(Check):
    name = "off_topic"
    category = "off_topic"
    version = "1.0.0"
    codes = frozenset({"off_topic.unrelated"})
    Settings = Settings

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._settings = settings
        self._cache: dict[str | None, tuple[frozenset[str], set[str], regex.Pattern[str]]] = {}

    def applies_to(self, doc: Document) -> bool:
        return doc.is_reply

    def check(self, doc: Document) -> Iterator[Hit]:
        stopwords, domain, acknowledgements = self._lists(doc.language)
        text = _without_links(doc)
        # fold keeps Latin text's length, so positions in `cleaned` are positions in the text
        folded = fold(text)
        if len(folded) != len(text):  # rare decompositions (ligatures): keep positions, lose folding
            folded = text
        cleaned = acknowledgements.sub(lambda m: " " * len(m.group(0)), folded, timeout=self.regex_timeout)
        stems = content_stems(cleaned, stopwords, self.regex_timeout)
        if not stems:
            return  # only acknowledgements, greetings or stopwords
        title = doc.post.topic_title
        on_topic = domain | (content_stems(title, stopwords, self.regex_timeout) if title else set())
        if stems & on_topic:
            return
        score = min(_CAP, _BASE + _PER_WORD * len(stems)) * (1.0 if title else _NO_TITLE_FACTOR)
        spans = tuple(
            Span("body", start + _leading_space(text[start:end]), end - _trailing_space(text[start:end]))
            for start, end in sentences(cleaned, self.regex_timeout)
            if content_stems(cleaned[start:end], stopwords, self.regex_timeout)
        )
        yield Hit(
            code="off_topic.unrelated",
            score=round(score, 4),
            message="The reply does not seem to be about this topic; keep replies to the topic's "
            "subject and take other conversations elsewhere.",
            spans=spans,
        )

    def _lists(self, language: str | None) -> tuple[frozenset[str], set[str], regex.Pattern[str]]:
        if language not in self._cache:
            settings = self._settings

            def pick(lists: PerLanguage) -> list[str]:
                chosen = [lists[language]] if language in lists else list(lists.values())
                return [word for words in chosen for word in words]

            stopwords = stopword_set(settings.stopwords, language)
            domain = {stem for word in pick(settings.domain) for stem in content_stems(word, (), self.regex_timeout)}
            phrases = sorted({fold(p) for p in pick(settings.acknowledgements) if p.strip()}, key=len, reverse=True)
            alternation = "|".join(regex.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) or "(?!)"
            # "+1" starts with a non-word character: the boundary is "not after a word character"
            acknowledgements = regex.compile(rf"(?<!\w)(?:{alternation})(?!\w)", regex.IGNORECASE)
            self._cache[language] = (stopwords, domain, acknowledgements)
        return self._cache[language]


def _without_links(doc: Document) -> str:
    """The body text with every link's text blanked (same length): URLs are not prose."""
    text = list(doc.body.text)
    for link in doc.body.links:
        start, end = doc.body.to_text(link.start, link.end)
        text[start:end] = " " * max(0, end - start)
    return "".join(text)


def _leading_space(text: str) -> int:
    return len(text) - len(text.lstrip())


def _trailing_space(text: str) -> int:
    return len(text) - len(text.rstrip())
