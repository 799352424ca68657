"""Suite-wide settings: nothing in the default run may depend on how fast the machine is; no Telegram call is
ever made while a database transaction is open.

Hypothesis judges time twice by default (an example over 200 ms fails, slow data generation fails a health
check); on a busy machine both fail correct code, so neither is checked here.

The transaction guard (storage/transaction_guard.py, bot/guarded_request.py) runs in ``raise`` mode for the whole
suite, bot processes the tests start included: a Bot API call inside a unit of work fails, and the test that made
it fails too even when the bot answered the error.
"""

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from storage import transaction_guard

os.environ["SHOPBOT_TRANSACTION_GUARD"] = "raise"

settings.register_profile("shopbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shopbot")


@pytest.fixture(autouse=True)
def _transaction_guard() -> Iterator[None]:
    """Fail a test in which any Bot API call was made with a transaction open."""
    transaction_guard.violations.clear()
    yield
    found = list(transaction_guard.violations)
    transaction_guard.violations.clear()
    if found:
        pytest.fail(f"{len(found)} Bot API call(s) made inside a database transaction:\n\n" + "\n\n".join(found))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The crash tests (a minute or more each) first: run in parallel, the other workers fill in around them instead
    of waiting for them at the end. Stable, so every xdist worker collects the same order."""
    items.sort(key=lambda item: item.get_closest_marker("crash") is None)
