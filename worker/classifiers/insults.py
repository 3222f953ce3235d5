"""insults: disrespect toward a person, even without a swear word ("are you dense?", "u r clueless").

A logistic regression over the shared hashed word + char n-gram features (``_features``), trained on
the Kaggle "Detecting Insults in Social Commentary" train + test sets (English web comments), the
insult / abuse / toxicity labels of Civil Comments toxic spans, ConvAbuse, a Jigsaw 2018 sample (EN
and its French translation), OLID, ToxiFrench and CyberAgressionAdo (French), and the team's
help-center posts labelled ``offensive`` (train split); see ``artifacts/insults.md``.

Score: P(insult). Evidence: up to three words that pushed the score up most (title and body).

Reported abuse (1.1.0): words inside quotation marks after a reporting cue of their sentence ("our
agent was told "you're a useless piece of shit" by a caller", "traité la conseillère de « salope »";
``reported_speech`` in config/checks/insults.toml) are the caller's, not the poster's: the model
reads the post with them blanked out. Only such posts are vectorised a second time.

Example: "Are you dense? Read the docs before wasting everyone's time" scores high; "the agent
hung up on the customer" scores low.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker.checks import CheckSettings, PerLanguage, register
from worker.classifiers._artifacts import ModelCheck
from worker.classifiers._features import featurize
from worker.document import Document
from worker.rules import _abuse
from worker.text import fold_in_place
from worker.types import Hit


class Settings(CheckSettings):
    reported_speech: PerLanguage = {}


@register
class Insults(ModelCheck[Settings]):
    name = "insults"
    category = "offensive"
    version = "1.1.0"
    codes = frozenset({"offensive.insult"})
    model_name = "insults"
    code = "offensive.insult"
    message = (
        "The post reads as disrespectful toward a person; rephrase it to talk about the problem, "
        "not about the people."
    )

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        hits = super().check_batch(docs)
        blanked = {row: fields for row, doc in enumerate(docs) if (fields := self._without_reported_quotes(doc))}
        if blanked:
            assert self._model is not None
            features = featurize(list(blanked.values()))
            scores = self._model.scores(features.matrix)
            for row, (index, _) in enumerate(blanked.items()):
                hits[index] = ([Hit(self.code, float(scores[row]), self.message,
                                    self._model.evidence(features, row, self.evidence_tokens))]
                               if features.tokens[row] else [])
        return hits

    def _without_reported_quotes(self, doc: Document) -> tuple[str, str] | None:
        """(title, body) with quoted reported speech blanked (same length), or None when there is none."""
        cues = [fold_in_place(c, base="unaccented") for c in _abuse.pick(self.settings.reported_speech, doc.language)]
        fields = []
        changed = False
        for field in (doc.title, doc.body):
            text = field.text if field is not None else ""
            if not any(mark in text for mark in "\"“«'"):
                fields.append(text)
                continue
            folded = fold_in_place(text, base="unaccented")
            for start, end in _abuse.quoted_ranges(folded, self.regex_timeout):
                if _abuse.reported_speech(folded, start, cues, count=10):
                    text = text[:start] + " " * (end - start) + text[end:]
                    changed = True
            fields.append(text)
        return (fields[0], fields[1]) if changed else None
