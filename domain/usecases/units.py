"""Units of work shared between a use case and its callers.

A use case that a draft's action also runs (placing an order, listing a product, leaving a review, opening a
ticket) takes the caller's unit of work when given one (the caller commits it, together with the consumed draft)
and otherwise opens its own, committed when the use case ends without an error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Protocol

from domain.ports import UnitOfWork
from domain.services import Services


@asynccontextmanager
async def own_or_given(svc: Services, given: UnitOfWork | None) -> AsyncIterator[UnitOfWork]:
    """``given`` as it is (its owner commits), else a new unit of work committed when the block ends cleanly."""
    if given is not None:
        yield given
        return
    async with svc.uow() as uow:
        yield uow
        await uow.commit()


class Forgetting(Protocol):
    async def forget_before(self, when: datetime) -> int: ...


async def forget_older_than(svc: Services, keep: timedelta, records: Callable[[UnitOfWork], Forgetting]) -> int:
    """A clean-up: delete the ``records`` made more than ``keep`` ago, in one unit of work; how many went."""
    async with svc.uow() as uow:
        gone = await records(uow).forget_before(svc.clock.now() - keep)
        await uow.commit()
        return gone
