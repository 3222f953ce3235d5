"""advertising (rule half): a help-center post must not promote a product, service or company.

Code ``advertising.promotion``. Looks for kinds of promotional signal in the author's prose,
with phrases per language from config/checks/advertising.toml:
  price (an amount with a currency: "$99", "49 €", "20 euros"), discount ("50% off", "-30 % de
  réduction", "promo", "remise"), private_contact ("DM me", "write me on WhatsApp", "contactez-moi
  en MP"), promo_code ("referral code", "code promo"), shop_link (a link whose host has a shop
  word, a shop top-level domain such as .shop/.store, or is a marketplace), channel_plug
  ("subscribe to my YouTube channel", "abonnez-vous à ma chaîne"), crypto ("bitcoin", "USDT",
  "airdrop") and wallet (the shape of a BTC/ETH/TRON address);
  and business self-promotion in three kinds: seller (who sells: "we're an authorised reseller",
  "my company", "independent consultant here", "our AI voicebot", "je vends", "notre cabinet"),
  offer (on which terms: "below list price", "fixed fee", "free trial", "day rate", "places limited",
  "2x bonus", "essai gratuit", "tarif journalier") and call_to_action (how to buy: "contact me via my
  site", "get in touch", "book a call", "link in my profile", "écrivez-moi", "parlons-en").
Why: spam and self-promotion drown answers and expose members to scams.

Score: each kind found counts once with its configured weight w (0.3-0.5), combined as a
noisy-or ``1 - prod(1 - w)``: one kind alone stays at or below 0.5 (a member naming their company,
"contact me if you need the logs", "does ContactFlow have a free trial?"), two kinds reach 0.51-0.75
("we're a reseller ... get in touch"), four kinds about 0.8-0.93. A text span is claimed by the first
kind that matches it, so "promo code" is not also a discount and "DM me" is private_contact only.
Evidence: the matched spans, up to 20 per kind (the link text for shop links).

Hard negatives: a price in a sentence naming the vendor or its products ("ContactFlow costs
49 € per agent") or a well-known tool ("Wireshark is free") is not counted unless the post has a
seller ("I sell my Excel template, £29"); one about billing ("why was I charged 49 € this month?")
never is; links to the vendor's or a tool's sites never count;
naming or recommending a tool ("use Wireshark to capture the SIP trace", "essayez Notepad++")
has no signal at all; percentages count only next to a discount word ("80% of calls" does not);
"we are a 40-seat call centre" is no seller (only selling identities and verbs are). The vendor's
names and sites are the community profile's ``names`` and ``domains`` (config/community.toml).

Example: "Cheap ContactFlow licences -50% off! DM me on Telegram, promo code FLOW50" scores
about 0.80 (discount, private_contact, promo_code); "Independent consultant here, 5-day package,
unbeatable rates, contact me via my site" about 0.68 (seller, offer, call_to_action).

Known false positives: a member offering in good faith to share logs "in DM"; "BTC"/"ETH" used
as other abbreviations; a reseller answering a licensing question with prices; a member whose
post names their own product ("our app") and a generic call to action ("get in touch with support").
Known misses: third-party praise with no first person ("check out ZenCall, 40% cheaper"), offers
worded outside the lexicons; the promotion classifier covers part of these.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from urllib.parse import urlsplit

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.community import CommunityProfile
from worker.document import Document
from worker.markup import FieldText
from worker.types import Hit, Span

_AMOUNT = r"\d{1,6}(?:[.,]\d{1,3}){0,2}"
_WALLET = regex.compile(
    r"(?<!\w)(?:bc1[a-z0-9]{25,59}|0x[a-fA-F0-9]{40}|(?P<b58>[13T][1-9A-HJ-NP-Za-km-z]{25,34}))(?!\w)"
)
_SENTENCE_END = frozenset("!?\n")
_CONTEXT = 300  # characters of a price's sentence searched for vendor, tool or billing words
_MAX_SPANS_PER_KIND = 20  # evidence enough for a moderator; keeps verdicts small
# claim order: a span is the first kind's that matches it ("DM me" is private_contact, not call_to_action)
_PHRASE_KINDS = ("promo_code", "private_contact", "channel_plug", "crypto", "discount", "seller", "call_to_action", "offer")


class Settings(CheckSettings):
    community: CommunityProfile
    vendor_references: list[str] = []
    well_known_tools: list[str] = []
    tool_domains: list[str] = []
    currency_symbols: list[str]
    currency_words: list[str] = []
    shop_words: list[str] = []
    shop_tlds: list[str] = []
    marketplaces: list[str] = []
    weights: dict[str, float]
    billing_context: PerLanguage = {}
    discount: PerLanguage = {}
    after_percent: PerLanguage = {}
    before_percent: PerLanguage = {}
    private_contact: PerLanguage = {}
    promo_code: PerLanguage = {}
    channel_plug: PerLanguage = {}
    crypto: PerLanguage = {}
    seller: PerLanguage = {}
    offer: PerLanguage = {}
    call_to_action: PerLanguage = {}


@register
class Advertising(Check[Settings]):
    name = "advertising"
    category = "advertising"
    version = "1.1.0"
    codes = frozenset({"advertising.promotion"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        symbols = _alternation(settings.currency_symbols)
        words = _alternation(settings.currency_words)
        self._price = regex.compile(
            rf"(?<![\w.])(?:{symbols})\s?{_AMOUNT}(?![\d])|(?<![\w.,]){_AMOUNT}\s?(?:(?:{symbols})|(?:{words})(?!\w))",
            regex.IGNORECASE,
        )
        self._safe_domains = tuple(d.lower() for d in [*settings.community.domains, *settings.tool_domains])

    def check(self, doc: Document) -> Iterator[Hit]:
        patterns = self.per_language(doc.language, self._patterns)
        found: dict[str, list[Span]] = {}
        text = doc.body.text
        claimed = bytearray(len(text))  # one flag per character: linear even with thousands of matches

        def add(kind: str, start: int, end: int) -> None:
            spans = found.setdefault(kind, []) if end > start and not any(claimed[start:end]) else None
            if spans is not None and len(spans) < _MAX_SPANS_PER_KIND:
                claimed[start:end] = b"\x01" * (end - start)
                spans.append(Span("body", start, end))

        for match in list(_WALLET.finditer(text, timeout=self.regex_timeout)):
            if match.group("b58") is None or _mixed_case(match.group(0)):
                add("wallet", *match.span())
        for start, end, is_shop in self._links(doc.body):
            if is_shop:
                add("shop_link", start, end)
            claimed[start:end] = b"\x01" * max(0, end - start)  # words of a URL are not prose
        for match in list(patterns["percent"].finditer(text, timeout=self.regex_timeout)):
            add("discount", *match.span())
        for kind in _PHRASE_KINDS:
            for match in list(patterns[kind].finditer(text, timeout=self.regex_timeout)):
                add(kind, *match.span())
        boundaries: list[int] = []
        for match in list(self._price.finditer(text, timeout=self.regex_timeout)):
            sentence = _sentence(text, boundaries, *match.span())
            # a price about the member's own bill is not an offer, nor one about the vendor's products or a
            # known tool, unless the post has a seller: "my Excel template, £29" is one
            if patterns["billing_context"].search(sentence, timeout=self.regex_timeout):
                continue
            if "seller" in found or not patterns["product_context"].search(sentence, timeout=self.regex_timeout):
                add("price", *match.span())
        if not found:
            return
        weights = self.settings.weights
        remaining = 1.0
        for kind in found:
            remaining *= 1.0 - min(1.0, max(0.0, weights.get(kind, 0.0)))
        kinds = ", ".join(kind.replace("_", " ") for kind in sorted(found))
        yield Hit(
            code="advertising.promotion",
            score=round(1.0 - remaining, 4),
            message=f"The post looks like promotion ({kinds}); remove prices, offers, codes, shop links and "
            "requests to be contacted privately.",
            spans=tuple(sorted((span for spans in found.values() for span in spans), key=lambda s: s.start)),
            details=(("signals", ",".join(sorted(found))),),
        )

    def _patterns(self, language: str | None) -> dict[str, regex.Pattern[str]]:
        s = self.settings

        def pick(lists: PerLanguage) -> list[str]:
            # unknown language, or one without lists: every language's phrases
            if language in lists:
                return lists[language]
            return [phrase for phrases in lists.values() for phrase in phrases]

        patterns = {kind: _phrases(pick(getattr(s, kind))) for kind in _PHRASE_KINDS}
        after, before = _alternation(pick(s.after_percent)), _alternation(pick(s.before_percent))
        patterns["percent"] = regex.compile(
            rf"(?<![\w.,])-?\d{{1,3}}(?:[.,]\d{{1,2}})?\s?%\s{{0,3}}(?:{after})(?!\w)"
            rf"|(?<!\w)(?:{before})\s{{1,3}}-?\d{{1,3}}(?:[.,]\d{{1,2}})?\s?%",
            regex.IGNORECASE,
        )
        patterns["product_context"] = _phrases([*s.community.names, *s.vendor_references, *s.well_known_tools])
        patterns["billing_context"] = _phrases(pick(s.billing_context))
        return patterns

    def _links(self, field: FieldText) -> Iterator[tuple[int, int, bool]]:
        """Each link of the prose: its range in the text and whether it points at a shop."""
        for link in field.links:
            if field.in_set_aside(link.start):
                continue
            start, end = field.to_text(link.start, link.end)
            is_shop = self._is_shop(link.url)
            if end <= start and is_shop:  # an href attribute: point at the element's text instead
                around = [e for e in field.elements if e.start <= link.start and link.end <= e.end]
                if around:
                    element = min(around, key=lambda e: e.end - e.start)  # the <a>, not its paragraph
                    start, end = field.to_text(element.start, element.end)
            yield start, end, is_shop

    def _is_shop(self, url: str) -> bool:
        try:
            host = (urlsplit(url if "//" in url[:12] else "//" + url).hostname or "").lower()
        except ValueError:
            return False
        host = host.removeprefix("www.")
        if not host or any(host == d or host.endswith("." + d) for d in self._safe_domains):
            return False
        if host in self.settings.marketplaces:
            return True
        labels = host.split(".")
        if labels[-1] in self.settings.shop_tlds:
            return True
        # a label made of or starting with a shop word ("cheap-licences", "shopify"); prefixes only,
        # so "workshop" and "ideal" do not count
        parts = [part for label in labels[:-1] for part in label.split("-")]
        return any(part.startswith(word) for part in parts for word in self.settings.shop_words)


def _alternation(items: list[str]) -> str:
    escaped = sorted((regex.escape(item) for item in items if item), key=len, reverse=True)
    return "|".join(escaped) or "(?!)"


def _phrases(phrases: list[str]) -> regex.Pattern[str]:
    """Whole phrases, case-insensitive; a space matches 1-3 spaces, an apostrophe either kind.

    The phrases are compiled as a trie ("we (?:sell|offer|...)"), not one flat alternation: with a few
    hundred phrases the flat form tries every one at every word start, the trie one branch per letter.
    Branches never overlap (one per next character), so the longest phrase wins and nothing backtracks
    further than one phrase's length.
    """
    trie: dict = {}
    for phrase in {p.lower().replace("’", "'") for p in phrases if p.strip()}:
        node = trie
        for char in " ".join(phrase.split()):
            node = node.setdefault(char, {})
        node[""] = {}
    return regex.compile(rf"(?<!\w)(?:{_trie(trie) or '(?!)'})(?!\w)", regex.IGNORECASE)


def _trie(node: dict) -> str:
    branches = [_char(char) + _trie(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a phrase ends here: what follows is optional (greedy, so the longer phrase wins)
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def _char(char: str) -> str:
    return r"\s{1,3}" if char == " " else "['’]" if char == "'" else regex.escape(char)


def _sentence(text: str, boundaries: list[int], start: int, end: int) -> str:
    """The sentence around [start, end), at most _CONTEXT characters either side (a 100 KB text
    without punctuation must not make every price search the whole text)."""
    if not boundaries:
        # a "." ends a sentence only before a space: "ContactFlow 2.0" and "49.99 €" stay whole
        boundaries.extend(
            i for i, ch in enumerate(text) if ch in _SENTENCE_END or (ch == "." and text[i + 1 : i + 2] in ("", " ", "\n"))
        )
        boundaries.append(len(text))
    before = bisect_left(boundaries, start) - 1
    after = min(bisect_left(boundaries, end), len(boundaries) - 1)
    left = max(boundaries[before] + 1 if before >= 0 else 0, start - _CONTEXT)
    return text[left : min(boundaries[after], end + _CONTEXT)]


def _mixed_case(token: str) -> bool:
    # a base58 address mixes cases; hex IDs, call IDs and words do not
    return any(ch.isupper() for ch in token[1:]) and any(ch.islower() for ch in token) and any(ch.isdigit() for ch in token)
