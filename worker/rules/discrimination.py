"""discrimination (rule half of hate_speech): derogatory generalisations and requests to discriminate, slur-free.

Most hate on a help center has no slur and no dehumanising word: "agents from <country> are
dishonest by nature", "women supervisors can't handle angry customers, send escalations to men
only", "route callers with foreign-sounding names to the back of the queue". The classifier
(tweets) and dehumanising_language (subhuman, vermin, calls to expel) miss them; this rule reads
their structure in English and French from config/checks/discrimination.toml (format:
worker/rules/_cues.py). A *group* is built, not listed sentence by sentence: an origin,
religion, gender, disability or language word before a word for people ("Indian agents", "women
supervisors"; in French after it: "les agents marocains"), people from a country ("agents from
<country>", "les conseillers du Maroc"), or a plural group noun ("foreigners", "Dutch speakers",
"les Belges", "les néerlandophones", "ces gens-là").

Codes and documented strengths:
  * ``hate_speech.derogatory_generalisation``: the group as subject of a derogatory predicate
    within a few words of the clause ("are dishonest", "can't handle", "are never happy", "sont
    des fainéants", "ne comprennent rien": 0.75); a generalising frame ("by nature", "it's
    cultural with them", "c'est culturel chez eux": 0.45, which adds up with a predicate: 0.86);
  * ``hate_speech.discrimination``: the group next to a disadvantage ("to the back of the queue",
    "should be hung up on", "en fin de file", "leur raccrocher au nez", "send them home") or a
    request to serve one group only ("send escalations to men only", "que des hommes"): 0.8;
    routing or hiring by a protected attribute ("route callers by accent", "trier selon
    l'origine"): 0.6.
A group named anywhere in the post also combines with what a later sentence says of "them"
(combos, 0.7): "We hired two Romanian agents. They're lazy, it's in their nature" (derogatory),
"... We stopped hiring them" / "on n'en embauche plus" (discrimination); a country named with a
generalisation ("Nothing good ever comes from there", 0.6); an origin word before a word of
contempt ("Indian morons", 0.75). Distinct kinds add up (noisy-OR, capped at 0.95). Evidence:
the clauses.

Not counted: a predicate right after a negation ("are not lazy", "ne sont pas malhonnêtes"), a
negator just before the cue ("we must never route callers by accent"), counter-speech in the
sentence or the next ("...is a stereotype", "c'est du racisme", "that would be illegal"),
reported words ("a caller said foreigners should be hung up on; how do we respond?"); when
only reported ones were found, ``hate_speech.reported`` (0.15: hate's review threshold is low)
says so. A group word that modifies a
thing is no group ("the Dutch speakers queue is slow").

Tuned on the help-center train+dev splits (bench/helpcenter.py). Hard negatives: "route Dutch
speakers to the Antwerp team", "our Moroccan agents handle the
French queue", "women in support: the 2026 meetup", "the French version is useless". Known
misses: a group named in one sentence and judged in the next ("Those agents are from X. They
are all lazy."), predicates outside the lists, irony; known false positives: a complaint about
one team written as a generalisation about its nationality ("the Indian agents were useless on
my ticket" is flagged, and a moderator judges).
"""

from __future__ import annotations

from worker.checks import register
from worker.rules._cue_rule import CueRule


@register
class Discrimination(CueRule):
    name = "discrimination"
    category = "hate_speech"
    version = "1.0.0"
    codes = frozenset({"hate_speech.derogatory_generalisation", "hate_speech.discrimination",
                       "hate_speech.reported"})
    reported_code = "hate_speech.reported"
    messages = {
        "hate_speech.derogatory_generalisation": "The post makes a derogatory generalisation about a group of people "
                                                 "(origin, nationality, religion, gender, disability, language); "
                                                 "remove it and describe the actual problem instead.",
        "hate_speech.discrimination": "The post asks to treat callers or agents worse because of who they are "
                                      "(origin, name, accent, gender, religion, disability); this is discrimination "
                                      "and is not allowed here.",
        "hate_speech.reported": "The post reports or quotes discriminatory words of someone else; check that it is "
                                "a report and not the author's own view.",
    }
