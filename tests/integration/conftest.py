"""Storage tests run once per backend (SQLite always, PostgreSQL when SHOPBOT_TEST_DATABASE_URL is set)."""

from tests.integration.dbutil import (  # noqa: F401 (fixtures are found by name)
    backend,
    clock,
    database,
    database_maker,
    database_url,
    empty_database_url,
)
