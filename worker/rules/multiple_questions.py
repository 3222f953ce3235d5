"""multiple_questions: a post should ask one question.

Counts distinct questions in the author's own prose (code blocks and quotes of other posts are
already set aside by the markup reader): sentences ending in "?" and sentences opening with an
interrogative ("how do I…", "comment faire…", "est-ce que…") even without one. A question
restated in other words, a "?" inside a URL or a quotation, and tag questions ("any ideas?",
"des idées ?") do not count. Items of a numbered list are sentences of their own.

Score: the confidence of the second most certain question (1.0 with "?", 0.7 without), so a
post with one clear question and one vague one scores 0.7. Evidence: every question counted.

Example: "How do I reset my password? Also, where is the IVR menu editor?" flags both.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.types import Hit, Span

_SENTENCE = regex.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)|[.!?]+")
_INLINE_QUOTE = regex.compile(r"\"[^\"\n]{0,500}\"|«[^»\n]{0,500}»|“[^”\n]{0,500}”")
_WORD = regex.compile(r"\w+")
_LIST_NUMBER = regex.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+")
_SAME_QUESTION = 0.6
_STOPWORDS = frozenset("i a the to my is it do can how what de la le les un une je mon ma est comment".split())


class Settings(CheckSettings):
    interrogatives: PerLanguage
    connectives: list[str] = []
    ignored: list[str] = []


@register
class MultipleQuestions(Check):
    name = "multiple_questions"
    category = "multiple_questions"
    version = "1.0.0"
    codes = frozenset({"multiple_questions.several"})
    Settings = Settings

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        phrases = sorted({p.lower() for ps in settings.interrogatives.values() for p in ps}, key=len, reverse=True)
        connectives = "|".join(regex.escape(c) for c in settings.connectives) or "(?!)"
        self._opening = regex.compile(
            rf"^\s*(?:(?:{connectives})\b[\s,]*)?(?:{'|'.join(regex.escape(p) for p in phrases)})(?!\w)",
            regex.IGNORECASE,
        )
        self._ignored = {_normalise(phrase) for phrase in settings.ignored}

    def check(self, doc: Document) -> Iterator[Hit]:
        questions = list(self._questions(doc))
        if len(questions) < 2:
            return
        confidences = sorted((confidence for _, confidence in questions), reverse=True)
        yield Hit(
            code="multiple_questions.several",
            score=confidences[1],
            message=f"The post asks {len(questions)} different questions; ask one question per post "
            "and open a new topic for each other question.",
            spans=tuple(span for span, _ in questions),
        )

    def _questions(self, doc: Document) -> Iterator[tuple[Span, float]]:
        text = doc.body.text
        # quotations inside a sentence ("the error says "what now?"") are not the author's question
        masked = _INLINE_QUOTE.sub(lambda m: " " * len(m.group(0)), text, timeout=self.regex_timeout)
        seen: list[frozenset[str]] = []
        for sentence in _SENTENCE.finditer(masked, timeout=self.regex_timeout):
            start, end = sentence.span()
            content = masked[start:end]
            number = _LIST_NUMBER.match(content)
            core = content[number.end() :] if number else content
            confidence = self._confidence(doc, core, start + (len(content) - len(core)) + len(core.rstrip()))
            if confidence == 0.0:
                continue
            words = frozenset(_WORD.findall(core.lower())) - _STOPWORDS
            if _normalise(core) in self._ignored or any(_similarity(words, other) >= _SAME_QUESTION for other in seen):
                continue
            seen.append(words)
            stripped = len(content) - len(content.lstrip())
            yield Span("body", start + stripped, start + len(content.rstrip())), confidence

    def _confidence(self, doc: Document, sentence: str, end_in_text: int) -> float:
        if not _WORD.search(sentence):
            return 0.0
        if sentence.rstrip().endswith("?") and not _inside_link(doc, end_in_text - 1):
            return 1.0
        return 0.7 if self._opening.match(sentence, timeout=self.regex_timeout) else 0.0


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
