"""multiple_questions: a post should ask one question.

Counts distinct questions in the author's own prose (code blocks and quotes of other posts are
already set aside by the markup reader): sentences ending in "?", sentences opening with an
interrogative ("how do I…", "can we…", "comment faire…", "est-ce que…") even without one, and
indirect questions ("I'd like to know how long…, and also whether…", "j'aimerais savoir si… et
également si…", "I also need to know…"), each coordinated one counted. A question restated
("I mean…", "i.e.", "autrement dit…"), a "?" inside a URL, path or quotation, and tag questions
("any ideas?", "des idées ?") do not count. Items of a numbered list, inline too ("1) … 2) …"),
are sentences of their own. The finding itself lives in worker/rules/_questions.py, shared with
question_in_existing_topic; the phrase lists are in config/checks/multiple_questions.toml.

Score: the confidence of the second most certain question (1.0 with "?", 0.8 for an indirect
question, 0.7 for an interrogative opening without "?"), so a post with one clear question and
one vague one scores 0.7. Evidence: every question counted (each coordinated one on its own).

Example: "How do I reset my password? Also, where is the IVR menu editor?" flags both; "I'd like
to know how long recordings are kept, and also whether we can export them" flags both halves.

Known misses: questions announced in one sentence and asked in bare fragments ("Few things I need
to know. Whether… And if…"); a clarifying second "?" about the same problem is counted.
"""

from __future__ import annotations

from collections.abc import Iterator

from worker.checks import Check, register
from worker.document import Document
from worker.rules._questions import QuestionFinder, QuestionSettings
from worker.types import Hit


class Settings(QuestionSettings):
    pass


@register
class MultipleQuestions(Check[Settings]):
    name = "multiple_questions"
    category = "multiple_questions"
    version = "1.1.0"
    codes = frozenset({"multiple_questions.several"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._finder = QuestionFinder(settings, regex_timeout)

    def check(self, doc: Document) -> Iterator[Hit]:
        questions = list(self._finder.questions(doc))
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
