"""threats: threats of violence, intimidation and doxxing aimed at a person (staff, members, moderators).

The community's terms forbid threatening anyone. Nothing in the shipped models looks for it (the
hate_speech classifier is about groups), and threats on a help center are written in plain words
("if the platform goes down again I'm driving to your support centre and someone is going to get
hurt"), so this rule reads their structure, in English and French, from
config/checks/threats.toml (see worker/rules/_cues.py for how patterns are written):

  * ``threats.violence``: harm said as the author's intent toward a person ("I'll hurt you", "je
    vais te casser la gueule", "make him eat his keyboard", 0.9), harm foretold or a weapon brought
    along ("someone is going to get hurt", "I'll come with a bat", "il y aura du sang", 0.85),
    coming to settle it in person ("je vais venir régler ça", 0.6), a weapon alone (0.45), coming
    to the office or home ("I'm driving to your support centre", 0.4: only beside another cue);
  * ``threats.intimidation``: a veiled menace ("watch your back", "would be a shame if...", "de gré
    ou de force", "tu es prévenu", 0.75), knowing where someone lives or parks or who they are
    ("je sais où tu habites", "I know which train you take", 0.6), waiting for someone at the
    exit (0.6), knowing where their office is (0.45), and cues that count only beside another:
    "you'll regret it" / "tu vas le regretter" (0.4), a provocation ("keep closing my tickets
    and...", 0.3), in person / at night (0.3), an @handle (0.2);
  * ``threats.doxxing``: a person's details pointed at in a public place ("her name and number are
    on LinkedIn", "son 06 est sur son profil", or asking to post their personal numbers: 0.55),
    having found someone's private details ("I've got your home address", 0.45), the addressee's
    own identity findable ("your name and company are on your profile", 0.35).

Distinct cues add up (noisy-OR, capped at 0.95): "I know who you are and where your Lyon office
is, you'll regret it" scores 1 - (1 - 0.6) x (1 - 0.4) = 0.76. Evidence: the threatening clauses.

Not counted: a cue with a negator just before it ("I would never hurt you"), inside quotation
marks or after a reporting phrase in its sentence ("a caller said he'd come to the office; how do
we flag the call?"), or in a sentence that argues against threats or warns of a hazard
("threatening staff is never OK", "someone is going to get hurt, it's a tripping hazard"); when
only reported ones were found, ``threats.reported`` (0.3) says so.

Hard negatives (nothing counts): "kill the process", "the update killed our queue", "shoot me a
message", "I'll find the log", "on va tuer le processus", "you'll regret not upgrading", "I'll
come to your office hours webinar", "her name is on the ticket", "I'll find you a workaround"...
Tuned on the help-center train+dev splits (bench/helpcenter.py). Known misses: veiled threats in
words outside the lists, teen slang and heavy misspellings ("jvais te demonte", "on t'attendra a
2"; CyberAgressionAdo-v2 threats recall 0.06), threats naming no person or place ("this platform
will burn"); known false positives: quoting a threat without quotation marks or a third-person
reporting verb, a friendly "I know where your office is... see you Monday".
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
