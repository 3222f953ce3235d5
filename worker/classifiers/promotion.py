"""promotion: spam and business self-promotion ("authorised reseller, well below list price, DM me",
"our AI voicebot answers every call, book a demo", "WIN a FREE cruise! Text WIN to 80086").

A logistic regression over the shared hashed word + char n-gram features (``_features``) plus the
promotion markers of ``_promotion_features`` (links, e-mail addresses, @handles, which the shared
features skip), trained on SMS spam, Instagram scam comments, blog comment spam and the team's
help-center train split; see ``artifacts/promotion.md`` (data, licences, metrics, the command).
This is the text half of the advertising category; the advertising rule finds the explicit signals.

Score: P(promotion). Evidence: up to three words that pushed the score up most (title and body).

Example: "We're an authorised reseller, Premium licences well below list price, DM me" scores high;
"is the Premium plan still €35 per agent?" and "ticket #45821: the IVR drops calls" score low.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker.checks import register
from worker.classifiers._artifacts import ModelCheck, document_fields
from worker.classifiers._features import featurize
from worker.classifiers._promotion_features import EXTRA_FEATURES_VERSION, with_extras
from worker.document import Document
from worker.errors import ConfigurationError
from worker.types import Hit


@register
class Promotion(ModelCheck):
    name = "promotion"
    category = "advertising"
    version = "2.0.0"
    codes = frozenset({"advertising.promotion"})
    model_name = "promotion"
    code = "advertising.promotion"
    message = (
        "The post reads as promotion or spam; remove the advertising and keep to questions and "
        "answers about the product."
    )

    def load(self) -> None:
        super().load()
        assert self._model is not None
        recorded = self._model.artifact.metadata.get("extra_features_version")
        if recorded != EXTRA_FEATURES_VERSION:
            self._model = None
            raise ConfigurationError(
                f"model promotion was built for promotion markers {recorded}, this code has {EXTRA_FEATURES_VERSION}: "
                "rebuild it with `python -m training promotion`"
            )

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        assert self._model is not None
        fields = document_fields(docs)
        features = featurize(fields)  # shared with the other classifiers (cached per batch)
        scores = self._model.scores(with_extras(features.matrix, fields))
        return [
            [Hit(self.code, float(scores[row]), self.message, self._model.evidence(features, row, self.evidence_tokens))]
            if features.tokens[row] else []  # nothing to read (empty, or only links): nothing to say
            for row in range(len(docs))
        ]
