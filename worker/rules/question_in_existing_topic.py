"""question_in_existing_topic: a reply should not ask a new, unrelated question in someone's topic.

Code ``question_in_existing_topic.new_question``. Replies only. Finds the reply's questions
exactly as multiple_questions does (worker/rules/_questions.py: "?" sentences, interrogative
openings, indirect questions such as "I'd like to know whether…") and judges each against the
thread (``doc.post.topic_title``; without it nothing is reported). Why: a new question buried in
another member's topic gets no answer and derails the thread; it belongs in a topic of its own.

Announced questions: when the question, or the text just before it in the reply, holds a
new-topic marker of config/checks/question_in_existing_topic.toml ("unrelated, but", "while I'm
here", "btw", "different question:", "au passage", "autre question", "sans rapport", "je profite
du fil"), the author says it is another subject: score 0.9 × its question confidence (1.0 with
"?", 0.8 indirect, 0.7 interrogative opening).

Other questions are judged on words: content words of the question and of the title, folded,
stopwords and generic forum words removed, lightly stemmed. A question holding a follow-up marker
("same problem", "did you find", "même problème", "toujours") or with no content word ("Any
news?") is never flagged. Score: a base growing with its content words (0.45 / 0.65 / 0.8 for
1 / 2 / 3+) × its question confidence × 0.8 (words alone cannot see a follow-up in other words),
× ``0.6 * (1 - r)^2`` when it shares a share r of its words with the title, × 0.5 when it refers
back to the thread ("does this also apply", "with that", "et le secret…", "pourriez-vous"), ×
0.75 when the rest of the reply is about the topic and again when it holds a follow-up marker.
The hit's score is the highest; evidence: the announced or unrelated questions (or the best one).

Example: topic "Queue position announcement is wrong", reply "Unrelated, but can we announce the
estimated wait time instead?" scores 0.9; "Is the 90 days counted from the call date? I mean…"
under "How long are recordings retained?" stays under review.

Known misses: new questions nobody announced that share a word with the title or use "this",
"you"; chit-chat questions ("anyone know a good takeaway?") score by words only (off_topic
reports them); questions in textese. Known false positives: a follow-up in entirely new words
with none of the back references ("Does changing the DTMF mode affect landlines?").
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.checks import Check, PerLanguage, register
from worker.document import Document
from worker.rules._questions import QuestionFinder, QuestionSettings
from worker.text import content_stems, fold, stopword_set
from worker.types import Hit, Span

_BASE_BY_WORDS = {1: 0.45, 2: 0.65}
_BASE_MANY_WORDS = 0.8
_SHARED_FACTOR = 0.6
_FOLLOW_UP_CONTEXT = 0.75
_ANNOUNCED = 0.9
_BACK_REFERENCE = 0.5
# A question nobody announced as another subject is judged on words alone, which cannot see that
# "is event_id identical on the retry?" follows up on "webhook fires twice": only the clearest
# (three content words or more, none shared, nothing referring back) still reach review.
_UNANNOUNCED = 0.8


class Settings(QuestionSettings):
    stopwords: PerLanguage
    generic_words: PerLanguage = {}
    follow_up_markers: PerLanguage = {}
    new_topic_markers: PerLanguage = {}
    back_references: PerLanguage = {}


@register
class QuestionInExistingTopic(Check[Settings]):
    name = "question_in_existing_topic"
    category = "question_in_existing_topic"
    version = "1.1.0"
    codes = frozenset({"question_in_existing_topic.new_question"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._finder = QuestionFinder(settings, regex_timeout)

    def applies_to(self, doc: Document) -> bool:
        return doc.is_reply

    def check(self, doc: Document) -> Iterator[Hit]:
        title = doc.post.topic_title
        if not title:
            return
        stopwords = stopword_set(self.settings.stopwords, doc.language) | stopword_set(
            self.settings.generic_words, doc.language
        )
        title_stems = content_stems(title, stopwords, self.regex_timeout)
        if not title_stems:
            return
        markers = self.per_language(doc.language, self._marker_pattern)
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
        new_topic = self.per_language(doc.language, self._new_topic_pattern)
        back = self.per_language(doc.language, self._back_pattern)
        scored: list[tuple[Span, float, bool]] = []
        previous_end = 0
        for span, confidence in questions:
            question = text[span.start : span.end]
            lead_in = fold(text[previous_end : span.end])  # "Unrelated, but…" may open the sentence before
            previous_end = span.end
            if new_topic.search(lead_in, timeout=self.regex_timeout):
                scored.append((span, _ANNOUNCED * confidence, True))  # the author says it is another subject
                continue
            if markers.search(fold(question), timeout=self.regex_timeout):
                continue
            stems = content_stems(question, stopwords, self.regex_timeout)
            if not stems:
                continue
            score = _BASE_BY_WORDS.get(len(stems), _BASE_MANY_WORDS) * confidence * context * _UNANNOUNCED
            shared = len(stems & title_stems) / len(stems)
            if shared:
                score *= _SHARED_FACTOR * (1 - shared) ** 2
            if back.search(fold(question), timeout=self.regex_timeout):
                score *= _BACK_REFERENCE  # "does this also apply…", "et le secret…": about what was said
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
        return _phrase_pattern(self.settings.follow_up_markers, language, r"\w")

    def _new_topic_pattern(self, language: str | None) -> regex.Pattern[str]:
        # hyphens bound words too: the "ce" of "est-ce que" is not a back reference
        return _phrase_pattern(self.settings.new_topic_markers, language, r"[\w-]")

    def _back_pattern(self, language: str | None) -> regex.Pattern[str]:
        return _phrase_pattern(self.settings.back_references, language, r"[\w-]")


def _phrase_pattern(lists: PerLanguage, language: str | None, word_character: str) -> regex.Pattern[str]:
    """Folded phrases of the language (every language's when unknown), not touching a `word_character`."""
    chosen = [lists[language]] if language in lists else list(lists.values())
    phrases = sorted({fold(p) for ps in chosen for p in ps if p.strip()}, key=len, reverse=True)
    alternation = "|".join(regex.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) or "(?!)"
    return regex.compile(rf"(?<!{word_character})(?:{alternation})(?!{word_character})")
