"""Drafts: what a multi-step flow has gathered, consumed exactly once by the action it was gathered for.

A flow's state (``conversations``, one row per user) is the draft. The action that finishes it (Confirm at
checkout, Submit of a ticket, Publish of a review, Save of a product, Join of a group buy) runs through
``consume``: in ONE unit of work it locks the draft row, checks the press is for this draft (its flow, the step
it waits at, and the one-off token the button carries), does the action and marks the draft consumed with what
the action made (e.g. the order ids). Whatever Telegram does with the press afterwards — a slow or lost answer, a
second press, a client replaying it, a redelivery after a crash just after the commit — finds the draft consumed
and gets the same result back (``Consumed.fresh`` False) instead of a second order, ticket, review or product.
A press for another draft (an older review, a finished flow) finds nothing (``None``) and changes nothing.

A consumed draft is no flow any more: ``current_flow`` does not see it, and the next flow replaces it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from domain.ports import UnitOfWork
from domain.services import Services
from domain.usecases.conversations import CONSUMED, FlowState

TOKEN = "nonce"  # the draft's one-off token in its data (a button for this draft carries it)
_USED_TOKEN = "token"
_RESULT = "result"

Action = Callable[[UnitOfWork, FlowState], Awaitable[dict[str, Any]]]


class _Made(Protocol):
    @property
    def id(self) -> int: ...


Made = TypeVar("Made", bound=_Made)


class _Rows(Protocol[Made]):
    """The repository of what an action makes, read by id."""

    async def get(self, made_id: int, /) -> Made | None: ...


@dataclass(frozen=True)
class Consumed:
    """What the draft's action made (JSON-shaped), and whether this call made it (False: an earlier press did)."""

    result: dict[str, Any]
    fresh: bool


def matches(state: FlowState, token: str | None) -> bool:
    """A press without a token is for whatever draft of its flow; one with a token only for the draft issued it."""
    return token is None or state.data.get(TOKEN) == token


async def consume(
    svc: Services,
    *,
    user_id: int,
    flow: str,
    steps: tuple[str, ...],
    token: str | None,
    action: Action,
) -> Consumed | None:
    """Run ``action`` on the user's draft of ``flow`` waiting at one of ``steps``, once per draft.

    A ``DomainError`` the action raises rolls everything back, the draft included: the user may fix and retry.
    """
    async with svc.uow() as uow:
        found = await uow.conversations.get(user_id, for_update=True)
        state = FlowState(*found) if found else None
        if state is None or state.flow != flow:
            return None
        if state.step == CONSUMED:
            if token is not None and state.data.get(_USED_TOKEN) != token:
                return None
            return Consumed(dict(state.data.get(_RESULT) or {}), fresh=False)
        if state.step not in steps or not matches(state, token):
            return None
        result = await action(uow, state)
        used = {_USED_TOKEN: state.data.get(TOKEN), _RESULT: result}
        await uow.conversations.put(user_id, flow, CONSUMED, used)
        await uow.commit()
    return Consumed(result, fresh=True)


async def make_once(
    svc: Services,
    *,
    user_id: int,
    flow: str,
    steps: tuple[str, ...],
    key: str,
    make: Callable[[UnitOfWork, FlowState], Awaitable[Made]],
    rows: Callable[[UnitOfWork], _Rows[Made]],
) -> tuple[Made, bool] | None:
    """``consume`` for an action that makes one thing with an id (a product, review, ticket, group order): the
    thing made, now (True) or by an earlier press (False, read again by id from its repository, ``rows``), its id
    kept under ``key``. None: no such draft."""

    async def action(uow: UnitOfWork, state: FlowState) -> dict[str, Any]:
        return {key: (await make(uow, state)).id}

    consumed = await consume(svc, user_id=user_id, flow=flow, steps=steps, token=None, action=action)
    if consumed is None:
        return None
    async with svc.uow(read_only=True) as uow:
        made = await rows(uow).get(int(consumed.result[key]))
    return (made, consumed.fresh) if made is not None else None
