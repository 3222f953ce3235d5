"""hate_speech: hate, racism, xenophobia, discrimination, threats and incitement, in English and French.

A logistic regression over the shared hashed word + char n-gram features (``_features``), trained
3-class (hate / offensive / neither) on Davidson et al. 2017 (EN tweets), MLMA (Ousidhoum et al.
2019, FR and EN tweets), Stormfront forum sentences, Civil Comments toxic spans, ConvAbuse, a Jigsaw
2018 sample (EN and its French translation), OLID, ToxiFrench, CyberAgressionAdo and the team's
help-center posts (train split); see ``artifacts/hate_speech.md``. Swearing that targets no group
is "offensive", not hate, so it scores low here (the offensive checks cover it).

Score: P(hate). Evidence: up to three words that pushed the score up most (title and body).

Example: "Go back to your country, people like you are vermin" scores high; "kill the process"
scores low.
"""

from __future__ import annotations

from worker.checks import register
from worker.classifiers._artifacts import ModelCheck


@register
class HateSpeech(ModelCheck):
    name = "hate_speech"
    category = "hate_speech"
    version = "1.0.0"
    codes = frozenset({"hate_speech.hateful"})
    model_name = "hate_speech"
    code = "hate_speech.hateful"
    message = (
        "The post reads as hateful or threatening toward a group of people; remove those words "
        "and keep the discussion respectful of everyone."
    )
