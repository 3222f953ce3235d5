"""insults: disrespect toward a person, even without a swear word ("are you dense?", "u r clueless").

A logistic regression over the shared hashed word + char n-gram features (``_features``), trained on
the Kaggle "Detecting Insults in Social Commentary" train + test sets (English web comments), the
insult / abuse / toxicity labels of Civil Comments toxic spans, ConvAbuse, a Jigsaw 2018 sample (EN
and its French translation), OLID, ToxiFrench and CyberAgressionAdo (French), and the team's
help-center posts labelled ``offensive`` (train split); see ``artifacts/insults.md``.

Score: P(insult). Evidence: up to three words that pushed the score up most (title and body).

Example: "Are you dense? Read the docs before wasting everyone's time" scores high; "the agent
hung up on the customer" scores low.
"""

from __future__ import annotations

from worker.checks import register
from worker.classifiers._artifacts import ModelCheck


@register
class Insults(ModelCheck):
    name = "insults"
    category = "offensive"
    version = "1.0.0"
    codes = frozenset({"offensive.insult"})
    model_name = "insults"
    code = "offensive.insult"
    message = (
        "The post reads as disrespectful toward a person; rephrase it to talk about the problem, "
        "not about the people."
    )
