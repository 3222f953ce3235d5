"""social_engineering: the talk around a bad link that makes members harm their own systems.

Category ``links`` (the terms of use list it with unsafe links). Codes, from the phrase lists of
config/checks/social_engineering.toml (EN and FR lists applied together: members mix them):
- ``links.disable_protection``: telling someone to switch off a protection, the verb and its
  object with only determiners and modifiers between them (``protection_modifiers``: "disable your
  antivirus", not "disable SIP ALG on the firewall"; "turn off Defender real-time protection", "désactivez Windows Defender", "il faut
  désactiver l'antivirus", "add the whole C: drive to the antivirus exclusions");
- ``links.run_anyway``: telling someone to click through a security warning ("click Run anyway",
  "Exécuter quand même", "Load unsafe scripts", "ignore the unknown publisher warning");
- ``links.cracked_software``: cracked or licence-free builds ("keygen", "version crackée",
  "full version, no licence needed", "doesn't check licences");
- ``links.credential_request``: asking for, or offering to pass, credentials and keys ("DM me your
  admin login", "paste your API key here", "envoyez-moi vos identifiants en MP", "donnez-moi
  l'accès admin"). A request verb, at most ``max_gap_words`` words, a credential word, and a
  recipient nearby ("me", "here", "en MP"): "share the key with your developer" is no request.
Why: a stranger's patch, a disabled antivirus and a posted API key are how tenants get taken over.

Scope (hard negatives): a phrase counts only in the author's own prose (code and quotes are set
aside) and not when its clause before it holds a negation or a warning cue ("never share your API
key", "ne désactivez jamais votre antivirus", "don't just disable the firewall", "beware", "if
anyone asks"); a question ("should we disable Defender?", "is that expected?") does not count
for the first three codes (asking is not advising); infinitives and gerunds ("Disabling your AV
is how people get ransomware", "Désactiver Defender n'accélère rien") are not imperatives and are
not in the verb lists. Mentions ("our antivirus quarantined the official installer") have no verb.

Score: the configured score of the strongest code found (0.8-0.85); evidence: each phrase.

Known misses: requests spread over several sentences, paraphrases outside the lists, the
negation of a later sentence ("…disable UAC. That doesn't sound right" is handled only through
the reporting cues "wants me to", "asks me to").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.types import Hit, Span

_CLAUSE_END = regex.compile(r"[.!?;\n]")
_CLAUSE_OR_COMMA = regex.compile(r"[.!?;,\n]")
_MAX_SPANS = 20
_MAX_CANDIDATES = 200  # head phrases read per kind and field: past that a post is crafted or a dump
_WORD_CHARS = 32       # characters allowed per word between a head and its object
_WORD = regex.compile(r"[\p{L}\p{N}_]+")
_MESSAGES = {
    "links.disable_protection": "The post tells members to switch off a security protection (antivirus, "
    "firewall, SmartScreen); remove that advice and point to the official documentation instead.",
    "links.run_anyway": "The post tells members to click through a security warning; remove that advice and "
    "link to the official download page instead.",
    "links.cracked_software": "The post offers cracked or licence-free software; remove it.",
    "links.credential_request": "The post asks for (or offers) passwords, admin access or API keys; never share "
    "credentials on the forum, use a private support ticket.",
}


class Settings(CheckSettings):
    scores: dict[str, float]
    max_gap_words: int = 4
    credential_gap_words: int = 6
    recipient_window: int = 60
    negation_window: int = 80
    questions_count_for: list[str] = ["links.credential_request"]
    disable_verbs: PerLanguage
    protections: PerLanguage
    protection_modifiers: PerLanguage = {}
    disable_phrases: PerLanguage = {}
    run_anyway: PerLanguage
    cracked: PerLanguage
    credential_verbs: PerLanguage
    credentials: PerLanguage
    recipients: PerLanguage
    negations: PerLanguage


def _phrases(words: list[str]) -> str:
    """An alternation of phrases, longest first; a space matches spaces, hyphens or apostrophes."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    if not ordered:
        return "(?!)"
    # a lookahead on the first letters first: most positions fail in one step, not one per phrase
    firsts = sorted({c for w in ordered for c in (w[0], w[0].upper()) if len(c) == 1})
    body = "|".join(regex.escape(w).replace(r"\ ", r"[\s\-'’]{1,3}") for w in ordered)
    return f"(?=[{''.join(regex.escape(c, special_only=False) for c in firsts)}])(?:{body})"


def _merged(per_language: PerLanguage) -> list[str]:
    return [word for words in per_language.values() for word in words]


@register
class SocialEngineering(Check[Settings]):
    name = "social_engineering"
    category = "links"
    version = "1.0.0"
    codes = frozenset(_MESSAGES)

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        s = settings
        flags = regex.IGNORECASE

        def words(per_language: PerLanguage) -> regex.Pattern[str]:
            return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_phrases(_merged(per_language))})(?![\p{{L}}\p{{N}}])", flags)

        modifiers = frozenset(word.lower() for word in _merged(s.protection_modifiers))
        # (code, head phrases, object, words allowed between them, the only words allowed there or
        # None for any): "disable your antivirus" switches the antivirus off, "disable SIP ALG on the
        # firewall" does not. A phrase alone has no object.
        shapes = [
            ("links.disable_protection", s.disable_verbs, words(s.protections), s.max_gap_words, modifiers),
            ("links.disable_protection", s.disable_phrases, None, 0, None),
            ("links.run_anyway", s.run_anyway, None, 0, None),
            ("links.cracked_software", s.cracked, None, 0, None),
            ("links.credential_request", s.credential_verbs, words(s.credentials), s.credential_gap_words, None),
        ]
        self._shapes = {f"h{i}": shape for i, shape in enumerate(shapes)}
        # every head phrase in one pattern, one named group per shape: one scan of the text
        self._heads = regex.compile(
            r"(?<![\p{L}\p{N}])(?:" + "|".join(f"(?P<h{i}>{_phrases(_merged(shape[1]))})" for i, shape in enumerate(shapes))
            + r")(?![\p{L}\p{N}])", flags)
        # the first word of every head phrase: the head pattern is tried only where one starts
        self._first_words = frozenset(
            _WORD.match(phrase.lower()).group(0) for shape in shapes for phrase in _merged(shape[1]) if _WORD.match(phrase.lower()))
        self._recipients = words(s.recipients)
        self._negations = words(s.negations)
        self._questions_count = frozenset(s.questions_count_for)

    def check(self, doc: Document) -> Iterator[Hit]:
        found: dict[str, list[Span]] = {}
        for field in (doc.title, doc.body):
            if field is None or not field.text.strip():
                continue
            text = field.text
            ends: list[int] | None = None
            for code, start, end in self._phrases_in(text):
                if ends is None:  # clause boundaries, once per field, only when a phrase is found
                    ends = [m.start() for m in _CLAUSE_END.finditer(text, timeout=self.regex_timeout)]
                if self._counts(code, text, ends, start, end):
                    found.setdefault(code, []).append(Span(field.name, start, end))
        for code, spans in found.items():
            yield Hit(code, self.settings.scores[code], _MESSAGES[code], tuple(spans[:_MAX_SPANS]),
                      (("phrases", str(len(spans))),))

    def _phrases_in(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(code, start, end) of each phrase: a head phrase, then (if its shape has one) its object.

        Heads are collected first under the timeout and capped; each object is looked for in a
        bounded window after its head, so the cost is linear in the text whatever it holds.
        """
        heads = []
        for word in _WORD.finditer(text, timeout=self.regex_timeout):
            if word.group(0).lower() not in self._first_words:
                continue
            match = self._heads.match(text, word.start(), timeout=self.regex_timeout)
            if match is not None:
                heads.append((match.lastgroup, *match.span()))
                if len(heads) >= _MAX_CANDIDATES:
                    break
        for group, start, end in heads:
            code, _, target, gap, allowed = self._shapes[group]
            if target is None:
                yield code, start, end
                continue
            window_end = min(len(text), end + _WORD_CHARS * (gap + 1))
            found = target.search(text, end, window_end, timeout=self.regex_timeout)
            if found is None or _CLAUSE_END.search(text, end, found.start(), timeout=self.regex_timeout):
                continue
            between = _WORD.findall(text, end, found.start(), timeout=self.regex_timeout)
            if len(between) <= gap and (allowed is None or all(w.lower() in allowed for w in between)):
                yield code, start, found.end()

    def _counts(self, code: str, text: str, ends: list[int], start: int, end: int) -> bool:
        s = self.settings
        index = bisect_right(ends, start - 1)
        clause_start = ends[index - 1] + 1 if index > 0 else 0
        sentence_end = ends[bisect_right(ends, end - 1)] if bisect_right(ends, end - 1) < len(ends) else len(text)
        before = text[max(clause_start, start - s.negation_window):start]
        if self._negations.search(before, timeout=self.regex_timeout):
            return False  # "never share your API key", "ne désactivez pas", "beware of anyone asking"
        if code not in self._questions_count and text[sentence_end:sentence_end + 1] == "?":
            return False  # "should we disable Defender?": asking is not advising
        if code == "links.credential_request":
            # the recipient sits in the request ("send me your…", "asked for my…") or just after it,
            # within its clause ("paste your API key here"); "…the token in the header, here is my code" is not one
            after = _CLAUSE_OR_COMMA.split(text[end:end + s.recipient_window], maxsplit=1)[0]
            window = text[max(clause_start, start - 12):end] + after
            return self._recipients.search(window, timeout=self.regex_timeout) is not None
        return True
