"""question_in_existing_topic: a reply should not ask a new, unrelated question in someone's topic.

Code ``question_in_existing_topic.new_question``. Replies only. Finds the reply's questions
exactly as multiple_questions does (worker/rules/_questions.py: sentences ending in "?",
sentences opening with an interrogative) and compares each with the topic title
(``doc.post.topic_title``; without it relatedness cannot be judged and nothing is reported).
Why: a new question buried in another member's topic gets no answer and derails the thread;
it belongs in a topic of its own.

Relatedness: the content words of the question and of the title, folded (lower case, no
accents), stopwords and generic forum words ("call", "agent", "problème") of
config/checks/question_in_existing_topic.toml removed (the language's, or all languages' when
unknown), lightly stemmed (plural s/x cut, 5-letter prefix). A question
containing a follow-up marker ("same problem", "did you find", "même problème", "toujours") is a
follow-up and is never flagged; so is a question with no content word at all ("Any news?").

Score of a question: a base growing with how much it could have shared with the title
(0.45 for one content word, 0.65 for two, 0.8 for three or more) times its question confidence
(1.0 with "?", 0.7 without); times ``0.6 * (1 - r)^2`` when it shares a share r of its content
words with the title (sharing is strong evidence of a follow-up); times 0.75 when the rest of
the reply is about the topic (shares a word with the title) and again when it holds a follow-up
marker. The hit's score is the highest; evidence: the questions sharing nothing with the title
(or the best one).

Example: topic "SIP 503 on outbound calls", reply "Hi, unrelated but how do I export the
call recordings to CSV?" scores 0.8. "Did you find a fix for the 503 errors?" scores nothing.

A title without content words ("Help!", "Problème") gives nothing to compare: nothing is
reported.

Known false positives: a related question in other words than the title's ("Which carrier do
you use?" under "SIP 503 on outbound calls", unless the reply also says "same problem"); titles
made only of generic words plus one vague one ("Weird behaviour").
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.checks import Check, PerLanguage, register
from worker.document import Document
from worker.rules._questions import QuestionFinder, QuestionSettings, content_stems, fold, stopword_set
from worker.types import Hit, Span

_BASE_BY_WORDS = {1: 0.45, 2: 0.65}
_BASE_MANY_WORDS = 0.8
_SHARED_FACTOR = 0.6
_FOLLOW_UP_CONTEXT = 0.75


class Settings(QuestionSettings):
    stopwords: PerLanguage
    generic_words: PerLanguage = {}
    follow_up_markers: PerLanguage = {}


@register
class QuestionInExistingTopic(Check):
    name = "question_in_existing_topic"
    category = "question_in_existing_topic"
    version = "1.1.0"
    codes = frozenset({"question_in_existing_topic.new_question"})
    Settings = Settings

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._settings = settings
        self._finder = QuestionFinder(settings, regex_timeout)
        self._markers: dict[str | None, regex.Pattern[str]] = {}

    def applies_to(self, doc: Document) -> bool:
        return doc.is_reply

    def check(self, doc: Document) -> Iterator[Hit]:
        title = doc.post.topic_title
        if not title:
            return
        stopwords = stopword_set(self._settings.stopwords, doc.language) | stopword_set(
            self._settings.generic_words, doc.language
        )
        title_stems = content_stems(title, stopwords, self.regex_timeout)
        if not title_stems:
            return
        markers = self._marker_pattern(doc.language)
        text = doc.body.text
        questions = list(self._finder.questions(doc))
        if not questions:
            return
        # the reply without its questions: does it talk about the topic, or follow up on it?
        rest = list(text)
        for span, _ in questions:
            rest[span.start : span.end] = " " * (span.end - span.start)
        rest_text = "".join(rest)
        context = 1.0
        if content_stems(rest_text, stopwords, self.regex_timeout) & title_stems:
            context *= _FOLLOW_UP_CONTEXT
        if markers.search(fold(rest_text), timeout=self.regex_timeout):
            context *= _FOLLOW_UP_CONTEXT
        scored: list[tuple[Span, float, bool]] = []
        for span, confidence in questions:
            question = text[span.start : span.end]
            if markers.search(fold(question), timeout=self.regex_timeout):
                continue
            stems = content_stems(question, stopwords, self.regex_timeout)
            if not stems:
                continue
            score = _BASE_BY_WORDS.get(len(stems), _BASE_MANY_WORDS) * confidence * context
            shared = len(stems & title_stems) / len(stems)
            if shared:
                score *= _SHARED_FACTOR * (1 - shared) ** 2
            if score > 0:
                scored.append((span, score, shared == 0))
        if not scored:
            return
        best = max(scored, key=lambda item: item[1])
        spans = tuple(span for span, _, unrelated in scored if unrelated) or (best[0],)
        yield Hit(
            code="question_in_existing_topic.new_question",
            score=round(best[1], 4),
            message="The reply asks a question that seems unrelated to this topic; open a new topic "
            "for it so that it gets its own answers.",
            spans=spans,
        )

    def _marker_pattern(self, language: str | None) -> regex.Pattern[str]:
        if language not in self._markers:
            lists = self._settings.follow_up_markers
            chosen = [lists[language]] if language in lists else list(lists.values())
            phrases = sorted({fold(p) for ps in chosen for p in ps if p.strip()}, key=len, reverse=True)
            alternation = "|".join(regex.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) or "(?!)"
            self._markers[language] = regex.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        return self._markers[language]
