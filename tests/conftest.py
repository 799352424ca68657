"""Suite-wide settings: nothing in the default run may depend on how fast the machine is.

Hypothesis judges time twice by default (an example over 200 ms fails, slow data generation fails a health
check); on a busy machine both fail correct code, so neither is checked here.
"""

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("shopbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shopbot")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The crash tests (a minute or more each) first: run in parallel, the other workers fill in around them instead
    of waiting for them at the end. Stable, so every xdist worker collects the same order."""
    items.sort(key=lambda item: item.get_closest_marker("crash") is None)
