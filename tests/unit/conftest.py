"""Fixtures shared by the use-case tests: a fresh fake world, and an after-sales shop in it.

A module that needs a different world (one with a rival shop, say) defines its own ``world`` fixture."""

from __future__ import annotations

import pytest

from tests.fakes import World
from tests.unit.aftersales_fixtures import AfterSales


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def sales(world: World) -> AfterSales:
    return AfterSales(world)
