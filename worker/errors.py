"""Errors of the screening engine.

::

    ModscreenError
    ├── ConfigurationError     bad policy, check data or model artifact; raised at start-up, never retried
    │   └── PolicyError        the policy file is invalid; the message names the key
    ├── CheckContractError     a check reported a bad score, span or code (a bug); recorded as a failure
    ├── CheckTimeout           a check overran its time budget; recorded as a failure
    └── WorkCapReached         a check stopped at its cap on work (a dump of matches); recorded as a failure
"""


class ModscreenError(Exception):
    """Base of every error the engine raises on purpose."""


class ConfigurationError(ModscreenError):
    """Configuration or a model artifact is missing or invalid."""


class PolicyError(ConfigurationError):
    """The policy file is invalid."""


class CheckContractError(ModscreenError):
    """A check broke its contract (score outside [0, 1], span outside the text, undeclared code)."""


class CheckTimeout(ModscreenError):
    """A check did not finish within its time budget."""


class WorkCapReached(ModscreenError):
    """A check met more candidates than its cap allows and stopped: the post was not fully screened.

    Recorded as a failure (the post goes to review), never as a partial result: a page that
    trusted the first N findings would show the rest in clear."""
