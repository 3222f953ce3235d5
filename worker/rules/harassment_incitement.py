"""harassment_incitement (category threats): calls on others to harass a person.

"Her name is on LinkedIn, everybody flood her inbox until she quits" harms the person as surely
as a threat; the terms of use count it under ``threats``. This rule reads its structure, in
English and French, from config/checks/harassment_incitement.toml (format: worker/rules/_cues.py):

  * a crowd called on ("everybody", "let's all", "tout le monde", "allez-y") to harass a person
    ("flood her inbox", "spam him", "harcelez-la", "pourrissez-lui la vie"), or to contact them
    until they give in ("call him until he quits"): 0.8;
  * harassing a person until they give in, or making their life hell, with no crowd named
    ("spam her until she deletes it", "lui pourrir la vie"): 0.75;
  * spreading a person's number or address, or pointing the crowd at their personal pages
    ("diffusez son numéro partout", "everybody go to her personal Facebook page"): 0.8;
  * asking to keep contacting a person ("call him and tell him what you think. Keep calling",
    "appelez-le tous à 3h", "faites-lui comprendre"): 0.7;
  * a bare order to flood a person's inbox, phone or profile ("flood her inbox"): 0.6.

Code ``threats.incitement``; distinct kinds add up (noisy-OR, capped at 0.95). Evidence: the
clauses. Not counted: negated ("please don't spam her"), reported ("someone posted asking
everyone to flood her inbox; how do we handle it?") or argued against ("that is harassment");
when only such cues were found, ``threats.reported`` (0.3) says so.

Hard negatives: "everyone spam the refresh button", "let's flood the queue with test calls",
"call him back tomorrow", "everyone call the support line until they fix it" (no person), "tout
le monde peut appeler le support". Tuned on the help-center train+dev splits. Known misses: harassment aimed at an
organisation rather than a person ("everyone spam their support line"), veiled calls ("you know
what to do"), a target named only by first name.
"""

from __future__ import annotations

from worker.checks import register
from worker.rules._cue_rule import CueRule


@register
class HarassmentIncitement(CueRule):
    name = "harassment_incitement"
    category = "threats"
    version = "1.0.0"
    codes = frozenset({"threats.incitement", "threats.reported"})
    reported_code = "threats.reported"
    messages = {
        "threats.incitement": "The post calls on others to harass a person (flood their inbox, call them until they "
                              "give in); remove it: disagreements are raised with moderators, never with a crowd.",
        "threats.reported": "The post reports or quotes a call to harass someone; check that it is a report and not "
                            "the author's own call.",
    }
