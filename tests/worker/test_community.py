"""The community profile (worker/community.py): the vendor's names, sites, addresses, phones and
languages, set once in config/community.toml and read by every check that needs them."""

from functools import cache
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.conftest import ACME_COMMUNITY, COMMUNITY_PATH, POLICY_PATH, REGEX_TIMEOUT, evidence_texts, make_doc
from worker.assembly import build_check, read_check_data
from worker.checks import Check, registered_checks
from worker.community import load_community, placeholder_warning
from worker.errors import ConfigurationError

CHECKS_DIR = POLICY_PATH.parent / "checks"


@pytest.fixture(scope="module")
def acme_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "community.toml"
    path.write_text(ACME_COMMUNITY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def found(acme_path):
    """found(profile, check name, body, language) -> {code: evidence}; each check is built once per profile."""
    profiles = {"shipped": load_community(COMMUNITY_PATH), "acme": load_community(acme_path)}

    @cache
    def built(profile: str, name: str) -> Check:
        check = build_check(registered_checks()[name], CHECKS_DIR, REGEX_TIMEOUT, profiles[profile])
        check.load()
        return check

    def findings(profile: str, name: str, body: str, language: str) -> dict[str, list[str]]:
        doc = make_doc(body, language=language)
        hits = built(profile, name).check_batch([doc])[0]
        return {hit.code: evidence_texts(doc, [hit]) for hit in hits}

    return findings


# ---- the point of the profile: one file, every check --------------------------------------------

@pytest.mark.parametrize(("body", "language"), [
    ("See https://docs.acme-help.com/guides/sip-trunks for the steps.", "en"),
    ("La procédure est sur community.acme-help.com/t/export-csv/42.", "fr"),
    ("L'installeur est sur https://acmevoice.io/download/setup.exe", "fr"),
])
def test_when_the_operator_sets_their_domains_once_then_links_to_their_sites_are_not_flagged(found, body, language):
    assert found("shipped", "links", body, language)  # a site like any other under the placeholder
    assert found("acme", "links", body, language) == {}


def test_when_a_host_wears_the_operators_brand_then_it_is_a_lookalike(found):
    link = "https://acme-help.com.login-portal.io/reset"
    body = f"Reset your password at {link}"
    assert found("shipped", "links", body, "en") == {"links.third_party": [link]}
    assert found("acme", "links", body, "en") == {"links.lookalike_host": [link]}


@pytest.mark.parametrize(("body", "language"), [
    ("Write to support@acme-help.com or call the switchboard on +44 20 7946 0123.", "en"),
    ("Our hotline is +44 20 7946 0123 and assistance@acme-help.com answers within a day.", "en"),
    ("Écrivez à facturation@acme-help.com ou appelez le standard au 01 84 88 12 34.", "fr"),
    ("Le standard répond au +33 1 84 88 12 34.", "fr"),
])
def test_when_the_operator_sets_their_addresses_and_phones_once_then_they_are_not_personal_data(found, body, language):
    assert found("shipped", "personal_data", body, language)
    assert found("acme", "personal_data", body, language) == {}


@pytest.mark.parametrize(("body", "language"), [
    ("You can ask my colleague at jane.doe@acme-help.com directly.", "en"),
    ("Mon collègue julien.martin@acmevoice.io a la réponse.", "fr"),
])
def test_when_a_person_writes_from_the_operators_domain_then_the_address_is_personal_data(found, body, language):
    assert list(found("acme", "personal_data", body, language)) == ["personal_data.email_address"]


@pytest.mark.parametrize(("body", "language"), [
    ("Acme Helpdesk costs 49 € per agent per month on the Pro plan.", "en"),
    ("AcmeVoice coûte 15 € par mois, voir https://shop.acme-help.com/fr/acmevoice", "fr"),
])
def test_when_the_operator_names_their_products_once_then_their_pricing_is_not_advertising(found, body, language):
    assert found("shipped", "advertising", body, language)
    assert found("acme", "advertising", body, language) == {}


def test_when_a_member_accuses_someone_from_the_operators_product_team_then_it_is_defamation(found):
    body = "Marc from AcmeVoice lies to customers about the outage."
    assert found("shipped", "defamation", body, "en") == {}
    assert found("acme", "defamation", body, "en") == {
        "offensive.defamation": ["Marc from AcmeVoice", "lies to customers"]}


def test_when_the_community_also_supports_german_then_a_german_post_is_not_reported(found):
    body = "Hallo zusammen, ich habe ein Problem mit der Weiterleitung der Anrufe an die Warteschlange."
    assert list(found("shipped", "language", body, "de")) == ["language.unsupported"]
    assert found("acme", "language", body, "de") == {}


# ---- the shipped placeholder ----------------------------------------------------------------------

def test_when_the_profile_is_the_shipped_one_then_it_is_a_placeholder_and_the_warning_names_the_file():
    shipped = load_community(COMMUNITY_PATH)
    assert "contactflow.example" in shipped.placeholders and "support@contactflow.example" in shipped.placeholders
    warning = placeholder_warning(shipped, COMMUNITY_PATH)
    assert warning is not None and str(COMMUNITY_PATH) in warning and "placeholder" in warning


def test_when_every_domain_and_address_is_real_then_the_profile_is_no_placeholder(acme_path):
    acme = load_community(acme_path)
    assert acme.placeholders == ()
    assert placeholder_warning(acme, acme_path) is None


def test_when_one_address_is_still_at_a_reserved_name_then_the_profile_is_still_a_placeholder(tmp_path):
    path = tmp_path / "community.toml"
    path.write_text(ACME_COMMUNITY.replace('"assistance@acme-help.com"', '"assistance@acme-help.test"'))
    assert load_community(path).placeholders == ("assistance@acme-help.test",)


# ---- reading the file -----------------------------------------------------------------------------

def test_when_values_are_written_loosely_then_they_are_normalised(tmp_path):
    path = tmp_path / "community.toml"
    path.write_text('names = ["  Acme   Helpdesk "]\nbrands = ["Acme-Help"]\ndomains = ["Docs.Acme-Help.COM"]\n'
                    'addresses = ["Assistance@Acme-Help.com"]\nlanguages = ["fr"]\n')
    profile = load_community(path)
    assert (profile.names, profile.brands, profile.domains, profile.addresses) == (
        ("Acme Helpdesk",), ("acme-help",), ("docs.acme-help.com",), ("assistance@acme-help.com",))


@pytest.mark.parametrize(("host", "owned"), [
    ("acme-help.com", True), ("docs.acme-help.com", True), ("Community.Acme-Help.com.", True),
    ("acme-help.com.login-portal.io", False), ("notacme-help.com", False),
])
def test_when_asked_about_a_host_then_the_profile_owns_its_domains_and_their_subdomains(acme_path, host, owned):
    assert load_community(acme_path).owns_host(host) is owned


def test_when_loaded_then_the_profile_cannot_be_changed(acme_path):
    profile = load_community(acme_path)
    with pytest.raises(ValidationError):
        profile.domains = ("evil.example",)


@pytest.mark.parametrize(("change", "named"), [
    (('domains = ["acme-help.com", "acmevoice.io"]', 'domains = ["https://acme-help.com/docs"]'), "domains.0"),
    (('domains = ["acme-help.com", "acmevoice.io"]', "domains = []"), "domains"),
    (('"assistance@acme-help.com"', '"assistance at acme-help.com"'), "addresses.0"),
    (('"01 84 88 12 34"', '"call us"'), "phones.1"),
    (('languages = ["en", "fr", "de"]', 'languages = ["english"]'), "languages.0"),
    (('brands = ["acme-help"]', 'brands = ["acme help"]'), "brands.0"),
    (('names = ["Acme Helpdesk", "AcmeVoice"]', 'names = ["Acme Helpdesk", " "]'), "names.1"),
    (('brands = ["acme-help"]', 'vendor_domains = ["acme-help.com"]'), "vendor_domains"),  # an old per-check key
    (('languages = ["en", "fr", "de"]', 'languages = ["en"'), "not valid TOML"),
])
def test_when_the_profile_is_invalid_then_the_error_names_the_file_and_the_field(tmp_path, change, named):
    path = tmp_path / "community.toml"
    path.write_text(ACME_COMMUNITY.replace(*change))
    with pytest.raises(ConfigurationError, match=named) as raised:
        load_community(path)
    assert str(path) in str(raised.value)


def test_when_the_profile_is_missing_then_the_error_says_what_it_holds(tmp_path):
    with pytest.raises(ConfigurationError, match="community.toml: missing; the community profile"):
        load_community(tmp_path / "community.toml")


# ---- how the checks receive it (worker/checks.py) -------------------------------------------------

def test_when_a_check_that_reads_the_profile_is_built_without_one_then_it_is_a_programming_error():
    with pytest.raises(TypeError, match="reads the community profile"):
        registered_checks()["links"].from_data({}, REGEX_TIMEOUT)


def test_when_a_checks_file_sets_the_profile_then_the_error_points_at_community_toml(acme_path):
    with pytest.raises(ConfigurationError, match="links.toml: `community` is set in config/community.toml"):
        registered_checks()["links"].from_data({"community": {}}, REGEX_TIMEOUT, load_community(acme_path))


def test_when_a_supported_language_cannot_be_detected_then_the_language_check_refuses_to_start(tmp_path):
    path = tmp_path / "community.toml"
    path.write_text(ACME_COMMUNITY.replace('languages = ["en", "fr", "de"]', 'languages = ["en", "eu"]'))
    with pytest.raises(ConfigurationError, match="languages eu .* are not among `languages`"):
        build_check(registered_checks()["language"], CHECKS_DIR, REGEX_TIMEOUT, load_community(path))


def test_the_checks_that_read_the_profile_are_those_that_know_the_vendor_or_the_languages():
    readers = {name for name, check in registered_checks().items() if "community" in check.Settings.model_fields}
    assert readers == {"advertising", "defamation", "language", "links", "personal_data"}


def test_when_a_check_does_not_read_the_profile_then_it_is_built_without_one():
    threats = registered_checks()["threats"]
    assert threats.from_data(read_check_data(CHECKS_DIR / "threats.toml"), REGEX_TIMEOUT).name == "threats"
