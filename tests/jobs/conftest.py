"""Job tests reuse the storage tests' per-test databases (SQLite always, PostgreSQL when configured)."""

from tests.integration.dbutil import (  # noqa: F401 (fixtures are found by name)
    backend,
    clock,
    database,
    database_maker,
    database_url,
)
