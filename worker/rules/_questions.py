"""Shared helpers of the rules that reason about questions and topic words (not a rule itself).

``QuestionFinder`` finds the distinct questions of a post's own prose, exactly as
multiple_questions always has: sentences ending in "?" (confidence 1.0) and sentences opening
with an interrogative phrase (0.7); a question restated in other words, a "?" inside a URL or an
inline quotation, and ignored tag questions ("any ideas?") do not count; numbered-list items are
sentences of their own. A restatement is looked for among the 50 latest questions only, so
that a 100 KB post of questions stays linear (the original compared with all of them). multiple_questions and question_in_existing_topic both use it, so the two
agree on what a question is.

``content_stems`` turns text into comparable content words (lower case, accents stripped,
stopwords dropped, a plural "s"/"x" cut, then a 5-character prefix as light stemming), which is
what question_in_existing_topic and off_topic compare with a topic title.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

import regex

from worker.checks import CheckSettings, PerLanguage
from worker.document import Document
from worker.types import Span

_SENTENCE = regex.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)|[.!?]+")
_INLINE_QUOTE = regex.compile(r"\"[^\"\n]{0,500}\"|«[^»\n]{0,500}»|“[^”\n]{0,500}”")
_WORD = regex.compile(r"\w+")
_LIST_NUMBER = regex.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+")
_SAME_QUESTION = 0.6
_COMPARED_QUESTIONS = 50
# Kept from multiple_questions as it was (only used to tell restated questions apart); moving it
# to config would change that rule's data contract, which this refactor must not do.
_STOPWORDS = frozenset("i a the to my is it do can how what de la le les un une je mon ma est comment".split())
_STEM_LENGTH = 5


class QuestionSettings(CheckSettings):
    """What a rule needs in its TOML to find questions (see config/checks/multiple_questions.toml)."""

    interrogatives: PerLanguage
    connectives: list[str] = []
    ignored: list[str] = []


class QuestionFinder:
    def __init__(self, settings: QuestionSettings, regex_timeout: float) -> None:
        self.regex_timeout = regex_timeout
        phrases = sorted({p.lower() for ps in settings.interrogatives.values() for p in ps}, key=len, reverse=True)
        connectives = "|".join(regex.escape(c) for c in settings.connectives) or "(?!)"
        self._opening = regex.compile(
            rf"^\s*(?:(?:{connectives})\b[\s,]*)?(?:{'|'.join(regex.escape(p) for p in phrases)})(?!\w)",
            regex.IGNORECASE,
        )
        self._ignored = {_normalise(phrase) for phrase in settings.ignored}

    def questions(self, doc: Document) -> Iterator[tuple[Span, float]]:
        """Each distinct question of the body: its span (trimmed) and confidence."""
        text = doc.body.text
        # quotations inside a sentence ("the error says "what now?"") are not the author's question
        masked = _INLINE_QUOTE.sub(lambda m: " " * len(m.group(0)), text, timeout=self.regex_timeout)
        seen: list[frozenset[str]] = []
        for sentence in list(_SENTENCE.finditer(masked, timeout=self.regex_timeout)):
            start, end = sentence.span()
            content = masked[start:end]
            number = _LIST_NUMBER.match(content)
            core = content[number.end() :] if number else content
            confidence = self._confidence(doc, core, start + (len(content) - len(core)) + len(core.rstrip()))
            if confidence == 0.0:
                continue
            words = frozenset(_WORD.findall(core.lower())) - _STOPWORDS
            # only the latest questions are compared (a post of thousands of questions must stay
            # linear); a question without content words is never "the same" as another
            recent = seen[-_COMPARED_QUESTIONS:]
            if _normalise(core) in self._ignored or any(_similarity(words, other) >= _SAME_QUESTION for other in recent):
                continue
            if words:
                seen.append(words)
            stripped = len(content) - len(content.lstrip())
            yield Span("body", start + stripped, start + len(content.rstrip())), confidence

    def _confidence(self, doc: Document, sentence: str, end_in_text: int) -> float:
        if not _WORD.search(sentence):
            return 0.0
        if sentence.rstrip().endswith("?") and not _inside_link(doc, end_in_text - 1):
            return 1.0
        return 0.7 if self._opening.match(sentence, timeout=self.regex_timeout) else 0.0


_COMBINING_MARKS = regex.compile(r"\p{Mn}+")


def sentences(text: str, timeout: float) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of text (the same splitting as questions use)."""
    for match in list(_SENTENCE.finditer(text, timeout=timeout)):
        yield match.span()


def fold(text: str) -> str:
    """Lower case without accents, apostrophes unified: "Même problème" -> "meme probleme"."""
    lowered = text.lower().replace("’", "'")
    if lowered.isascii():
        return lowered
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", lowered))


def stopword_set(stopwords: PerLanguage, language: str | None) -> frozenset[str]:
    """The folded stopwords of the language, or of every language when it is unknown."""
    lists = [stopwords.get(language, [])] if language in stopwords else list(stopwords.values())
    return frozenset(fold(word) for words in lists for word in words)


def content_stems(text: str, stopwords: Iterable[str], timeout: float) -> set[str]:
    """Light stems of the content words of text (see the module docstring)."""
    stop = stopwords if isinstance(stopwords, frozenset | set) else frozenset(stopwords)
    stems = set()
    for word in _WORD.findall(fold(text).replace("'", " "), timeout=timeout):
        if word in stop or len(word) < 2:
            continue
        stems.add(stem(word))
    return stems


def stem(word: str) -> str:
    """A plural "s"/"x" removed, then the first five characters ("calls" and "call" agree)."""
    if len(word) > 3 and word[-1] in "sx" and not word.isdigit():
        word = word[:-1]
    return word[:_STEM_LENGTH]


def _inside_link(doc: Document, text_position: int) -> bool:
    if not 0 <= text_position < len(doc.body.starts):
        return False
    source_position = doc.body.starts[text_position]
    return any(link.start <= source_position < link.end for link in doc.body.links)


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _similarity(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
