"""threats: threats of violence, intimidation and doxxing aimed at a person (staff, members, moderators).

The community's terms forbid threatening anyone. Nothing in the shipped models looks for it (the
hate_speech classifier is about groups), and threats on a help center are written in plain words
("if the platform goes down again I'm driving to your support centre and someone is going to get
hurt"), so this rule reads their structure, in English and French, from
config/checks/threats.toml (see worker/rules/_cues.py for how patterns are written):

  * ``threats.violence``: harm said as the author's intent toward a person ("I'll hurt you", "je
    vais te casser la gueule", 0.9), harm foretold or a weapon brought along ("someone is going to
    get hurt", "I'll come with a bat", "il y aura du sang", 0.85), coming to the office or home to
    settle it ("I'm driving to your support centre", "je vais venir régler ça", 0.55);
  * ``threats.intimidation``: "I know who you are / where your Lyon office is", "je sais où tu
    habites", "I'll find you" (0.6); warnings ("watch your back", "tu es prévenu", 0.75); and two
    cues that count only beside another: "you'll regret it" / "tu vas le regretter" (0.4), a
    provocation ("keep it up and...", "continue comme ça et...", 0.3);
  * ``threats.doxxing``: a person's identity or contacts said to be out there or found ("her name
    and number are on LinkedIn", "voici son adresse perso", 0.55); the addressee's own ("your
    name and company are on your profile", 0.35, only beside another cue).

Distinct cues add up (noisy-OR, capped at 0.95): "I know who you are and where your Lyon office
is, you'll regret it" scores 1 - 0.4 x 0.6 = 0.76. Evidence: the threatening clauses.

Not counted: a cue with a negator just before it ("I would never hurt you"), inside quotation
marks or after a reporting phrase in its sentence ("a caller said he'd come to the office; how do
we flag the call?"), or in a sentence that argues against threats ("threatening staff is never
OK"); when only such cues were found, ``threats.reported`` (0.3) says so.

Hard negatives (nothing counts): "kill the process", "the update killed our queue", "shoot me a
message", "I'll find the log", "on va tuer le processus", "you'll regret not upgrading", "I'll
come to your office hours webinar"... Known misses: threats without a first person or a person
("this platform will burn"), veiled ones ("it would be a shame if something happened"), slang
and misspellings outside the lists; known false positives: quoting a threat without quotation
marks or a reporting verb.
"""

from __future__ import annotations

from worker.checks import register
from worker.rules._cue_rule import CueRule


@register
class Threats(CueRule):
    name = "threats"
    category = "threats"
    version = "1.0.0"
    codes = frozenset({"threats.violence", "threats.intimidation", "threats.doxxing", "threats.reported"})
    reported_code = "threats.reported"
    messages = {
        "threats.violence": "The post threatens violence against a person; remove it: threats are never "
                            "allowed, however angry the situation.",
        "threats.intimidation": "The post reads as intimidation of a person (what they will regret, that you know "
                                "where they are); remove it and describe the problem instead.",
        "threats.doxxing": "The post points at a person's identity or contact details in a threatening way; "
                           "remove it: never expose or hunt down someone's private information.",
        "threats.reported": "The post reports or quotes a threat made by someone else; check that it is a report "
                            "and not the author's own threat.",
    }
