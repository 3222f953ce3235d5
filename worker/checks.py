"""The check interface shared by rules and classifiers, and the registry they join in one line.

A check reports; it never decides. It declares its ``name``, ``category``, ``version`` and the
``codes`` it may emit, reads its word lists from ``config/checks/<name>.toml`` (validated by
its own ``Settings`` model), and returns ``Hit``s for a batch of documents. A check that needs the
community profile (the vendor's names, domains, addresses, languages: config/community.toml)
declares a ``community: CommunityProfile`` field in its ``Settings``; the assembly fills it in.

A check names its settings model once, as the type argument of its base:
``class Advertising(Check[Settings])`` both validates the TOML with ``Settings`` and types
``self.settings`` as a ``Settings``. What a check derives from its settings for one language
(compiled patterns, folded word sets) it builds with ``self.per_language(language, build)``:
built on first use, then kept for the process.

Rules override ``check(doc)``; classifiers override ``check_batch(docs)`` and ``load()``,
which runs once per process, lazily, on first use.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from worker.document import Document
from worker.errors import ConfigurationError
from worker.types import Category, Hit

if TYPE_CHECKING:
    from worker.community import CommunityProfile


class CheckSettings(BaseModel):
    """Data a check reads from config/checks/<name>.toml. Subclass it per check."""

    model_config = ConfigDict(frozen=True, extra="forbid")


LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
PerLanguage = dict[LanguageCode, list[str]]
"""A word list per ISO 639-1 language (a TOML table such as ``[phrases] en = [...]``)."""


SettingsT = TypeVar("SettingsT", bound=CheckSettings)
BuiltT = TypeVar("BuiltT")


class PerLanguageCache:
    """Values built once per (builder, language) and kept: ``get(language, build)`` is ``build(language)``.

    ``language`` may be None (the language is unknown). The builder is part of the key, so one
    cache holds several kinds of value; pass a method or a module function (a bound method is keyed
    by its function), never a lambda made on each call (it would be a new key every time). A value is
    stored only once built, so a build cut short (a time budget, an error) leaves nothing behind;
    two threads may both build a missing value, and then both get the one stored first.
    """

    def __init__(self) -> None:
        self._built: dict[tuple[object, str | None], Any] = {}

    def get(self, language: str | None, build: Callable[[str | None], BuiltT]) -> BuiltT:
        key = (getattr(build, "__func__", build), language)
        try:
            return self._built[key]
        except KeyError:
            return self._built.setdefault(key, build(language))


class Check(Generic[SettingsT]):
    name: ClassVar[str]
    category: ClassVar[str]
    version: ClassVar[str]
    codes: ClassVar[frozenset[str]]
    Settings: ClassVar[type[CheckSettings]] = CheckSettings
    """Set from the type argument: ``class Links(Check[Settings])`` validates with ``Settings``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            origin = get_origin(base)
            if isinstance(origin, type) and issubclass(origin, Check):
                settings = get_args(base)[0]
                if isinstance(settings, type) and issubclass(settings, CheckSettings):
                    if cls.__dict__.get("Settings", settings) is not settings:
                        raise TypeError(f"{cls.__name__}: Settings differs from its Check[...] type argument")
                    cls.Settings = settings

    def __init__(self, settings: SettingsT, regex_timeout: float = 0.25) -> None:
        self.settings: SettingsT = settings
        self.regex_timeout = regex_timeout
        self._per_language = PerLanguageCache()

    def per_language(self, language: str | None, build: Callable[[str | None], BuiltT]) -> BuiltT:
        """``build(language)``, built on the first post in that language and kept (see ``PerLanguageCache``)."""
        return self._per_language.get(language, build)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], regex_timeout: float = 0.25,
                  community: CommunityProfile | None = None) -> Check:
        try:
            settings = cls.Settings.model_validate(_with_community(cls, data, community))
        except ValidationError as error:
            raise ConfigurationError(f"config/checks/{cls.name}.toml: {_first_problem(error)}") from None
        return cls(settings, regex_timeout)

    @property
    def running_version(self) -> str:
        """The version recorded in verdicts: the check's, plus its model's where it has one."""
        return self.version

    def applies_to(self, doc: Document) -> bool:
        """Whether the check has anything to say about this kind of post (opening post, reply...)."""
        return True

    def load(self) -> None:
        """Load heavy assets. Called once per process before the first batch."""

    def check(self, doc: Document) -> Iterable[Hit]:
        raise NotImplementedError

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        return [list(self.check(doc)) for doc in docs]


_REGISTRY: dict[str, type[Check]] = {}
CheckT = TypeVar("CheckT", bound=type[Check])


def register(check_class: CheckT) -> CheckT:
    """Class decorator: the one line that makes a check part of the engine."""
    for attribute in ("name", "category", "version", "codes"):
        if not hasattr(check_class, attribute):
            raise TypeError(f"{check_class.__name__} must declare `{attribute}`")
    if check_class.category not in set(Category):
        raise TypeError(f"{check_class.__name__}: unknown category {check_class.category!r}")
    if not all(code.startswith(f"{check_class.category}.") for code in check_class.codes):
        raise TypeError(f"{check_class.__name__}: every code must start with its category")
    existing = _REGISTRY.get(check_class.name)
    if existing is not None and existing is not check_class:
        raise TypeError(f"two checks are named {check_class.name!r}")
    _REGISTRY[check_class.name] = check_class
    return check_class


def registered_checks() -> dict[str, type[Check]]:
    """Every check in worker.rules and worker.classifiers, by name."""
    for package_name in ("worker.rules", "worker.classifiers"):
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{package_name}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def _with_community(check_class: type[Check], data: Mapping[str, Any], community: CommunityProfile | None) -> dict:
    """The check's data, plus the community profile when its Settings declare a ``community`` field."""
    if "community" not in check_class.Settings.model_fields:
        return dict(data)
    if "community" in data:
        raise ConfigurationError(
            f"config/checks/{check_class.name}.toml: `community` is set in config/community.toml, not here")
    if community is None:
        raise TypeError(f"{check_class.__name__} reads the community profile: pass community= (worker/community.py)")
    return {**data, "community": community}


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    location = ".".join(str(part) for part in problem["loc"]) or "(top level)"
    return f"{location}: {problem['msg']}"
