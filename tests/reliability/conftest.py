"""Reliability tests that run on each backend take the storage tests' database fixtures."""

from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures are found by name)
