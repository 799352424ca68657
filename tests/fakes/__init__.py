"""Test doubles: an in-memory unit of work faithful to the ports' contract, and a small marketplace built on it."""

from tests.fakes.database import FakeDatabase, Gate
from tests.fakes.unit_of_work import FakeUnitOfWork
from tests.fakes.world import (
    ADDRESS,
    ADMIN,
    APPOINTED_ADMIN,
    BUYER,
    MERCHANT,
    OTHER_BUYER,
    OTHER_MERCHANT,
    STRANGER,
    THIRD_BUYER,
    World,
)

__all__ = [
    "ADDRESS",
    "ADMIN",
    "APPOINTED_ADMIN",
    "BUYER",
    "MERCHANT",
    "OTHER_BUYER",
    "OTHER_MERCHANT",
    "STRANGER",
    "THIRD_BUYER",
    "FakeDatabase",
    "FakeUnitOfWork",
    "Gate",
    "World",
]
