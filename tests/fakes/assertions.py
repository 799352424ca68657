"""Assertion helpers shared by the use-case tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from domain.errors import DomainError, ErrorCode
from tests.fakes.world import World


def refused(code: ErrorCode) -> pytest.RaisesExc[DomainError]:
    """``with refused(ErrorCode.X):`` — the block raises DomainError with exactly that code."""
    return pytest.raises(DomainError, match=rf"^{re.escape(code.value)}(\s|$)")


@contextmanager
def refused_unchanged(world: World, code: ErrorCode) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """The block is refused with ``code`` and nothing committed changes (no row, no message, no audit event)."""
    before = world.state()
    with refused(code) as error:
        yield error
    assert world.state() == before
