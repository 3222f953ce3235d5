"""The stores are tested against real databases (SQLite and PostgreSQL), with the service tests' fixtures
and the same rule: skipped when PostgreSQL is missing, a failure in CI."""

from tests.service.conftest import (  # noqa: F401 (fixtures and the skip hook, shared with tests/service)
    database_url,
    pytest_collection_modifyitems,
    store,
)
