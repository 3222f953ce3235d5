"""promotion: advertising and spam text (prizes, offers, "call now", "text WIN to ...").

A logistic regression over the shared hashed word + char n-gram features (``_features``), trained on
the SMS Spam Collection training split; see ``artifacts/promotion.md``. This is the text half of
the advertising category; links and known domains are a separate rule's business.

Score: P(spam). Evidence: up to three words that pushed the score up most (title and body).

Example: "WIN a FREE cruise! Text WIN to 80086 now" scores high; "ticket #45821: the IVR drops
calls" scores low.
"""

from __future__ import annotations

from worker.checks import register
from worker.classifiers._artifacts import ModelCheck


@register
class Promotion(ModelCheck):
    name = "promotion"
    category = "advertising"
    version = "1.0.0"
    codes = frozenset({"advertising.promotion"})
    model_name = "promotion"
    code = "advertising.promotion"
    message = (
        "The post reads as promotion or spam; remove the advertising and keep to questions and "
        "answers about the product."
    )
