"""The check base: settings typed by the type argument, and what a check builds once per language."""

import pytest

from worker.checks import Check, CheckSettings, PerLanguageCache
from worker.errors import ConfigurationError
from worker.rules import advertising, dehumanising_language
from worker.rules.advertising import Advertising


class _Words(CheckSettings):
    words: dict[str, list[str]] = {}


class _Counting(Check[_Words]):
    name = "counting"
    category = "offensive"
    version = "0.0.1"
    codes = frozenset({"offensive.counting"})

    def __init__(self, settings: _Words, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self.built: list[str | None] = []

    def folded_words(self, language: str | None) -> frozenset[str]:
        self.built.append(language)
        lists = self.settings.words
        chosen = [lists[language]] if language in lists else list(lists.values())
        return frozenset(word.lower() for words in chosen for word in words)


def _counting() -> _Counting:
    return _Counting.from_data({"words": {"en": ["Idiot"], "fr": ["Crétin"]}})


def test_when_a_check_names_its_settings_as_type_argument_then_its_toml_is_validated_with_them():
    assert _Counting.Settings is _Words
    assert Advertising.Settings is advertising.Settings
    with pytest.raises(ConfigurationError, match="counting.toml: words"):
        _Counting.from_data({"words": ["not", "per", "language"]})


def test_when_settings_contradict_the_type_argument_then_the_class_is_refused():
    with pytest.raises(TypeError, match="Settings differs"):
        class _Contradicting(Check[_Words]):
            Settings = CheckSettings


def test_when_posts_come_in_several_languages_then_each_language_is_built_once():
    check = _counting()
    for language in ["en", "fr", "en", None, "fr", None, "en"]:
        words = check.per_language(language, check.folded_words)
    assert check.built == ["en", "fr", None]
    assert words == {"idiot"}
    assert check.per_language(None, check.folded_words) == {"idiot", "crétin"}


def test_when_two_builders_share_a_language_then_each_keeps_its_own_value():
    check = _counting()
    assert check.per_language("fr", check.folded_words) == {"crétin"}
    assert check.per_language("fr", len) == 2  # len("fr"): another builder, another value
    assert check.built == ["fr"]


def test_when_a_build_fails_then_nothing_is_kept_and_the_next_post_builds_again():
    cache = PerLanguageCache()
    attempts = []

    def flaky(language: str | None) -> str:
        attempts.append(language)
        if len(attempts) == 1:
            raise TimeoutError("cut short by the time budget")
        return f"patterns for {language}"

    with pytest.raises(TimeoutError):
        cache.get("fr", flaky)
    assert cache.get("fr", flaky) == "patterns for fr"
    assert cache.get("fr", flaky) == "patterns for fr"
    assert attempts == ["fr", "fr"]


def test_when_a_shipped_check_reads_a_language_twice_then_it_gets_the_same_built_lexicon(checks):
    check = checks["dehumanising_language"]
    assert isinstance(check, dehumanising_language.DehumanisingLanguage)
    french = check.per_language("fr", check._lexicon)
    assert check.per_language("fr", check._lexicon) is french
    assert check.per_language("en", check._lexicon) is not french
