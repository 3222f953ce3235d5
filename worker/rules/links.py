"""links: links a member should not post, or that a moderator should look at first.

Codes and scores (how sure and how severe the signal is; the policy decides):
- ``links.dangerous_scheme`` 1.0: ``javascript:``, ``vbscript:``, ``data:`` (pasted images in
  ``data:image/png`` and the like excepted): the link runs code in the reader's browser.
- ``links.executable`` 1.0 (0.6 on an allow-listed site, where anyone may upload): the path
  ends in a program, script or archive extension (``.exe .msi .js .zip``…), query and fragment
  ignored. Never on the vendor's own domains.
- ``links.lookalike_host`` 0.9: punycode (``xn--``) labels (written out without a scheme too,
  whatever the suffix), Latin mixed with another script (Cyrillic "а" in "pаypal.com"), a label
  made only of Latin look-alike letters, or a host outside the vendor's domains that wears the
  vendor's name (the profile's ``brands``: "contactflow.example.support-desk.io", "docs-contactflow.example.net").
- ``links.ip_host`` 0.8: a raw IPv4/IPv6 host, including integer and hex forms
  (``http://3232235521/``, ``http://0xC0A80001/``); ``bare_endpoint_score`` (0.6) for an
  address:port written out in prose ("point your trunk at 139.59.4.22:5060"), documentation ranges
  (RFC 5737) excepted. A bare address without a port (a log excerpt, "the source IP 10.0.0.5") is not a link.
- ``links.shortener`` 0.8: bit.ly, tinyurl.com… hide where the link goes.
- ``links.third_party`` 0.5: any other site not on the allow-list.
A link gets at most one host code (the first of look-alike, IP, shortener, third party) plus
``executable``. The vendor's domains, allow-listed domains and their subdomains, ``mailto:``
and relative links are never flagged as hosts.

Why: spam, phishing and malware arrive as links; the community keeps links to the vendor's
documentation and a few well-known references. Lists are data in ``config/checks/links.toml``; the
vendor's domains and brands come from the community profile (``config/community.toml``).

What is read: ``links`` of the title and body (hrefs, ``[url]``, ``[text](url)``, written-out
URLs) and bare domains written without a scheme (``cheap-licences.shop``,
``example.org/file.exe``). A shortener named without a path ("beware of bit.ly links") is no
link. A bare name counts only if its suffix is a real public suffix
(tldextract's bundled list, offline), its last label is lower-case (``works.So`` is a missing
space), it is not followed by ``@`` (an address), and it does not end in a file extension or an
everyday word (``readme.md``, ``user.name``) unless a path follows. Evidence: the link text
(or the enclosing ``<a>``/``[url]`` element's text; an empty span where there is none).

Example: ``"Download it from http://bit.ly/3xYz or evil-soft.shop/setup.exe"`` flags
``links.shortener`` and ``links.third_party`` plus ``links.executable``.

Known false positives: legitimate sites missing from the allow-list, internationalised domain
names written in punycode, dotted field names in prose whose last part is a public suffix not
listed as a word (``queue.properties``), source files linked on GitHub (``.js``, at 0.6).
"""

from __future__ import annotations

import ipaddress
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from string import hexdigits
from urllib.parse import SplitResult, unquote, urlsplit

import regex
import tldextract

from worker.checks import Check, CheckSettings, register
from worker.community import CommunityProfile
from worker.document import Document
from worker.markup import FieldText
from worker.types import Hit, Span

# a run of dotted labels, then an optional path; each label bounded, labels and dots disjoint
_BARE = regex.compile(
    r"(?<![\w@.:/\\-])((?:[\w-]{1,63}\.){1,8}([\w-]{2,63}))(?![\w-]|\.[\w-]|@)(/[^\s<>\"'`\[\]{}|\\^]{0,2048})?"
)
_TRAILING = ".,;:!?)»*_'\""
# an IPv4 endpoint written out in prose ("use the relay on 139.59.4.22:5060"); a CIDR range is not one
_BARE_ENDPOINT = regex.compile(r"(?<![\w.:/-])(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}(?![\w.:/]|/\d)")
_IP_CHARS = frozenset(hexdigits + "x.:%")
_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})
_MAX_SPANS = 100

SCORES = {
    "links.dangerous_scheme": 1.0,
    "links.executable": 1.0,
    "links.lookalike_host": 0.9,
    "links.ip_host": 0.8,
    "links.shortener": 0.8,
    "links.third_party": 0.5,
}
_EXECUTABLE_ON_ALLOWED_SITE = 0.6
_MESSAGES = {
    "links.dangerous_scheme": "The post contains a link that runs code in the reader's browser; remove it.",
    "links.executable": "The post links to a downloadable program, script or archive; remove the link and "
    "point to the official download page instead.",
    "links.lookalike_host": "The post links to an address that imitates another site's name; remove the link "
    "or write the real address.",
    "links.ip_host": "The post links to a raw IP address; link to a named, trusted site instead.",
    "links.shortener": "The post uses a link shortener that hides where the link goes; post the full address.",
    "links.third_party": "The post links to a site outside the community's trusted list; link to the official "
    "documentation, or explain what the link is so a moderator can check it.",
}


class Settings(CheckSettings):
    community: CommunityProfile
    allowed_domains: list[str] = []
    shorteners: list[str] = []
    dangerous_schemes: list[str] = []
    safe_data_types: list[str] = []
    ignored_schemes: list[str] = []
    link_elements: list[str] = []
    executable_extensions: list[str] = []
    file_extensions: list[str] = []
    word_suffixes: list[str] = []
    latin_lookalikes: str = ""
    documentation_networks: list[str] = []
    bare_endpoint_score: float = 0.6


@register
class Links(Check[Settings]):
    name = "links"
    category = "links"
    version = "1.1.0"
    codes = frozenset(SCORES)

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        # offline: the public-suffix snapshot bundled with tldextract, never a download
        extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        self._tlds = frozenset(suffix.rsplit(".", 1)[-1] for suffix in extractor.tlds)
        # a host is looked up twice (is it a domain? whose?) and often repeated in one post
        self._registrable = lru_cache(maxsize=4096)(lambda host: _registrable(extractor(host)))
        self._vendor, self._allowed = _lower(settings.community.domains), _lower(settings.allowed_domains)
        self._shorteners, self._dangerous = _lower(settings.shorteners), _lower(settings.dangerous_schemes)
        self._safe_data, self._ignored = _lower(settings.safe_data_types), _lower(settings.ignored_schemes)
        self._link_elements = _lower(settings.link_elements)
        self._executables, self._files = _lower(settings.executable_extensions), _lower(settings.file_extensions)
        self._words = _lower(settings.word_suffixes)
        self._lookalikes = frozenset(settings.latin_lookalikes)
        self._brands = _lower(settings.community.brands)
        self._documentation = tuple(ipaddress.ip_network(net) for net in settings.documentation_networks)

    def check(self, doc: Document) -> Iterator[Hit]:
        found: dict[str, dict[Span, None]] = {code: {} for code in SCORES}
        scores: dict[str, float] = {}
        for field in (doc.title, doc.body):
            if field is None:
                continue
            for span, url in self._targets(field):
                for code, score in self._classify(url):
                    found[code][span] = None
                    scores[code] = max(scores.get(code, 0.0), score)
            for span in self._endpoints(field):
                found["links.ip_host"][span] = None
                scores["links.ip_host"] = max(scores.get("links.ip_host", 0.0), self.settings.bare_endpoint_score)
        for code, spans in found.items():
            if spans:
                yield Hit(code, scores[code], _MESSAGES[code], tuple(spans)[:_MAX_SPANS], (("links", str(len(spans))),))

    def _targets(self, field: FieldText) -> Iterator[tuple[Span, str]]:
        elements = sorted((e.start, e.end) for e in field.elements if e.name.lower() in self._link_elements)
        for link in field.links:
            start, end = field.to_text(link.start, link.end)
            if start >= end:  # an href: show the text of the element that carries it
                enclosing = _enclosing(elements, link.start)
                if enclosing:
                    start, end = field.to_text(*enclosing)
            yield Span(field.name, start, max(start, end)), link.url
        covered = _merged([(link.start, link.end) for link in field.links] + elements)
        # the timeout covers the whole iteration: collect the matches before the slower look-ups
        for match in list(_BARE.finditer(field.text, timeout=self.regex_timeout)):
            path = (match.group(3) or "").rstrip(_TRAILING)
            host, last = match.group(1), match.group(2)
            if any(ch.isupper() for ch in last) or not self._is_domain(host.lower(), bool(path.strip("/"))):
                continue
            if not path.strip("/") and _within(host.lower(), self._shorteners):
                continue  # "bit.ly" named in prose ("beware of bit.ly links"): no link to follow
            if _enclosing(covered, field.to_source(match.start(), match.end(1))[0]):
                continue  # already read as a link, or the visible text of one
            yield Span(field.name, match.start(), match.end(1) + len(path)), "http://" + host + path

    def _endpoints(self, field: FieldText) -> Iterator[Span]:
        """IPv4 endpoints (address:port) in the prose, outside links; documentation ranges excepted."""
        if ":" not in field.text:
            return
        covered = _merged([(link.start, link.end) for link in field.links])
        for match in list(_BARE_ENDPOINT.finditer(field.text, timeout=self.regex_timeout)):
            try:
                address = ipaddress.ip_address(match.group(1))
            except ValueError:
                continue
            if any(address in network for network in self._documentation):
                continue
            if not _enclosing(covered, field.to_source(match.start(), match.end())[0]):
                yield Span(field.name, match.start(), match.end())

    def _is_domain(self, host: str, has_path: bool) -> bool:
        if any(label.startswith("xn--") for label in host.split(".")):
            return True  # a punycode name is a host whatever its suffix
        last = host.rsplit(".", 1)[-1]
        if last not in self._tlds or ((last in self._files or last in self._words) and not has_path):
            return False
        return self._registrable(host)

    def _classify(self, url: str) -> list[tuple[str, float]]:
        cleaned = "".join(ch for ch in url.strip() if ch not in "\t\r\n").replace("\\", "/")
        head, colon, rest = cleaned.partition(":")
        scheme = "".join(ch for ch in head if ord(ch) > 32).lower() if colon and len(head) <= 32 else ""
        if scheme in self._dangerous:
            media_type = rest.strip().split(";", 1)[0].split(",", 1)[0].lower()
            if scheme == "data" and media_type in self._safe_data:
                return []  # a pasted screenshot: shown, never run
            return [("links.dangerous_scheme", SCORES["links.dangerous_scheme"])]
        if scheme in self._ignored or cleaned.startswith(("/", "#", "?", ".")) and not cleaned.startswith("//"):
            return []  # addresses, phone numbers and links within the community itself
        schemeless = "://" not in cleaned[:40] and not cleaned.startswith("//")
        if schemeless and "@" in cleaned.split("/", 1)[0]:
            return []  # an address ([email] targets): the personal_data check's business
        try:
            parts = urlsplit(("http:" if cleaned.startswith("//") else "http://" if schemeless else "") + cleaned)
            host = _normal_host(parts.hostname)
        except ValueError:  # garbage after the scheme: nothing to say about a link that cannot work
            return []
        if schemeless and not (host and self._is_domain(host, bool(parts.path.strip("/")))):
            return []
        return self._host_codes(host, parts)

    def _host_codes(self, host: str | None, parts: SplitResult) -> list[tuple[str, float]]:
        if host and _within(host, self._vendor):
            return []
        allowed = bool(host) and _within(host, self._allowed)
        codes = []
        if host and not allowed:
            code = self._host_code(host)
            if code:
                codes.append((code, SCORES[code]))
        if _extension(parts.path) in self._executables:
            codes.append(("links.executable", _EXECUTABLE_ON_ALLOWED_SITE if allowed else SCORES["links.executable"]))
        return codes

    def _host_code(self, host: str) -> str | None:
        if _is_ip(host):
            return "links.ip_host"
        if any(self._lookalike(label) for label in host.split(".")) or self._embeds_vendor(host):
            return "links.lookalike_host"
        if _within(host, self._shorteners):
            return "links.shortener"
        return "links.third_party" if self._registrable(host) else None  # "pbx01": the member's own LAN

    def _embeds_vendor(self, host: str) -> bool:
        """A host outside the vendor's domains that wears its name ("contactflow.example.support-desk.io",
        "docs-contactflow.example.net", "contactflow-example.help-center.ru")."""
        return any(brand in host for brand in self._brands)

    def _lookalike(self, label: str) -> bool:
        if label.startswith("xn--"):
            return True
        if label.isascii():
            return False
        letters = [ch for ch in label if ch.isalpha()]
        scripts = {_script(ch) for ch in letters}
        return ("LATIN" in scripts and len(scripts) > 1) or (bool(letters) and all(ch in self._lookalikes for ch in letters))


def _lower(items: Iterable[str]) -> frozenset[str]:
    return frozenset(item.lower().strip(".") for item in items)


def _normal_host(host: str | None) -> str | None:
    if not host:
        return None
    # browsers decode %-escapes, fold full-width forms and accept ideographic dots in hosts
    host = unicodedata.normalize("NFKC", unquote(host)).translate(_DOTS).lower().rstrip(".")
    return host or None


def _within(host: str, domains: frozenset[str]) -> bool:
    """Whether host is one of domains or a subdomain of one (listed domains have at most 8 labels)."""
    labels = host.split(".")
    # only the last labels can match: a host of a thousand labels must not cost a thousand joins
    return any(".".join(labels[index:]) in domains for index in range(max(0, len(labels) - 8), len(labels)))


def _registrable(parts: tldextract.tldextract.ExtractResult) -> bool:
    return bool(parts.suffix and parts.domain)


def _is_ip(host: str) -> bool:
    if not _IP_CHARS.issuperset(host):
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    # inet_aton forms browsers still resolve: 3232235521, 0xc0a80001, 0300.0250.0.1
    labels = host.split(".")
    return 1 <= len(labels) <= 4 and all(_ip_label(label) for label in labels)


def _ip_label(label: str) -> bool:
    if label.startswith("0x"):
        return 2 < len(label) <= 10 and all(ch in hexdigits for ch in label[2:])
    return 0 < len(label) <= 10 and all(ch in "0123456789" for ch in label)


def _extension(path: str) -> str:
    name = unquote(path).rsplit("/", 1)[-1].rstrip(". ")
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _enclosing(ranges: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The range holding position, in a sorted list; for nested ranges the latest opened one."""
    index = bisect_right(ranges, (position, float("inf"))) - 1
    if index >= 0 and ranges[index][0] <= position < ranges[index][1]:
        return ranges[index]
    return None
