"""The check interface shared by rules and classifiers, and the registry they join in one line.

A check reports; it never decides. It declares its ``name``, ``category``, ``version`` and the
``codes`` it may emit, reads its word lists from ``config/checks/<name>.toml`` (validated by
its own ``Settings`` model), and returns ``Hit``s for a batch of documents. A check that needs the
community profile (the vendor's names, domains, addresses, languages: config/community.toml)
declares a ``community: CommunityProfile`` field in its ``Settings``; the assembly fills it in.

Rules override ``check(doc)``; classifiers override ``check_batch(docs)`` and ``load()``,
which runs once per process, lazily, on first use.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

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


class Check:
    name: ClassVar[str]
    category: ClassVar[str]
    version: ClassVar[str]
    codes: ClassVar[frozenset[str]]
    Settings: ClassVar[type[CheckSettings]] = CheckSettings

    def __init__(self, settings: CheckSettings, regex_timeout: float = 0.25) -> None:
        self.settings = settings
        self.regex_timeout = regex_timeout

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
