"""off_topic: a post should be about this help center's domain, and a reply about its thread.

Code ``off_topic.unrelated``. Opening posts and replies. Why: chatter (films, football, birthdays,
food, holidays, a cat video) buries the answers members come for.

What it reads: the chit-chat model (``artifacts/chit_chat.md``), a logistic regression over the
shared hashed word + char n-gram features, trained on the team's help-center corpus (train split)
plus everyday public chit-chat (SMS ham, French forum comments) and technical comments. It gives
P(chit-chat) of a text: learned from data, so one word shared with the thread title ("ticket",
"weekend") does not make a chat about a concert ticket on topic, and an on-topic answer in words
the title does not use is not off topic.

Score:

* opening post: P(chit-chat) of its title and body;
* reply: b = P(chit-chat) of its body (a reply whose content words are all words of the
  acknowledgements of config/checks/off_topic.toml, "thanks, that fixed it", "merci, ça marche !",
  or stopwords and greetings, is never reported); t =
  P(chit-chat) of the thread's title (topic relevance: a reply in a chit-chat thread is part of
  that chat). Score ``max(b, sqrt(b * t))``: a chit-chat thread raises a reply that is not
  clearly about the product, never one that is (a moderator's "this forum is for ContactFlow
  questions" stays clean).

Evidence: the sentences holding the words that pushed P(chit-chat) up most (title words for an
opening post).

Example: "Anyone going to the Coldplay concert? I have a spare ticket" under "Hold music volume
too low" scores high; "Turned strict match on, fixed. Thanks!" scores low.

Known misses: chit-chat written mostly in the product's words ("403 Forbidden is what my teenager
says when I knock"), promotion of unrelated businesses (the advertising checks cover it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from worker.checks import CheckSettings, PerLanguage, register
from worker.classifiers._artifacts import ModelCheck, document_fields
from worker.classifiers._features import featurize
from worker.document import Document
from worker.text import content_stems, sentences, stopword_set
from worker.types import Hit, Span

_TITLE_CACHE_SIZE = 10_000


class Settings(CheckSettings):
    stopwords: PerLanguage
    acknowledgements: PerLanguage = {}


@register
class OffTopic(ModelCheck[Settings]):
    name = "off_topic"
    category = "off_topic"
    version = "2.0.0"
    codes = frozenset({"off_topic.unrelated"})
    model_name = "chit_chat"
    code = "off_topic.unrelated"
    message = (
        "The post does not seem to be about this help center or this topic; keep to questions and "
        "answers about the product and take other conversations elsewhere."
    )

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._title_scores: dict[str, float] = {}

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        assert self._model is not None
        features = featurize(document_fields(docs))  # the batch every classifier shares (cached)
        scores = self._model.scores(features.matrix)
        results: list[list[Hit]] = [[] for _ in docs]
        replies: list[int] = []  # replies with something beside acknowledgements to read
        for row, doc in enumerate(docs):
            if not features.tokens[row]:
                continue  # nothing to read (empty, or only links)
            if not doc.is_reply:
                results[row] = [self._hit(float(scores[row]), features, row, doc)]
                continue
            stopwords, acknowledgement_words = self.per_language(doc.language, self._language_lists)
            text = _without_links(doc) if doc.body.links else doc.body.text
            if content_stems(text, stopwords, self.regex_timeout) - acknowledgement_words:
                replies.append(row)  # else: only acknowledgements, greetings or stopwords
        titles = self._thread_scores([docs[row].post.topic_title or "" for row in replies])
        for row in replies:
            body = float(scores[row])
            thread = titles.get(docs[row].post.topic_title or "", 0.0)
            results[row] = [self._hit(max(body, math.sqrt(body * thread)), features, row, docs[row])]
        return results

    def _thread_scores(self, titles: list[str]) -> dict[str, float]:
        """P(chit-chat) of each distinct thread title, cached (a thread's replies share it)."""
        assert self._model is not None
        missing = sorted({t for t in titles if t and t not in self._title_scores})
        if missing:
            if len(self._title_scores) > _TITLE_CACHE_SIZE:
                self._title_scores.clear()
            found = self._model.scores(featurize([(title, "") for title in missing]).matrix)
            self._title_scores.update(zip(missing, (float(s) for s in found), strict=True))
        return {t: self._title_scores.get(t, 0.0) for t in titles}

    def _hit(self, score: float, features, row: int, doc: Document) -> Hit:
        assert self._model is not None
        tokens = self._model.evidence(features, row, self.evidence_tokens)
        text = doc.body.text
        body_sentences = list(sentences(text, self.regex_timeout))
        spans: list[Span] = []
        for token in tokens:
            if token.field == "title":
                spans.append(token)
                continue
            for start, end in body_sentences:
                if start <= token.start < end:
                    piece = text[start:end]
                    span = Span("body", start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip())))
                    if span not in spans:
                        spans.append(span)
                    break
        return Hit(self.code, round(float(np.clip(score, 0.0, 1.0)), 4), self.message, tuple(spans))

    def _language_lists(self, language: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """The language's stopwords, and the stems of the words its acknowledgements are made of."""
        lists = self.settings.acknowledgements
        chosen = [lists[language]] if language in lists else list(lists.values())
        stopwords = stopword_set(self.settings.stopwords, language)
        words = frozenset(stem for ps in chosen for p in ps for stem in content_stems(p, stopwords, self.regex_timeout))
        return stopwords, words


def _without_links(doc: Document) -> str:
    """The body text with every link blanked: URLs are not prose."""
    chars = list(doc.body.text)
    for link in doc.body.links:
        start, end = doc.body.to_text(link.start, link.end)
        chars[start:end] = " " * max(0, end - start)
    return "".join(chars)
