"""Updates given up: kept raw (with the error) so the bot moves on, counted for admins, replayed by an operator.

An update is given up when it cannot be read, or when its handlers failed ``SHOPBOT_UPDATE_MAX_ATTEMPTS`` times
(handlers/delivery.py decides). Giving up records it as processed in the same transaction, so a redelivery of it
is skipped; a replay (``shopbot updates replay ID``) runs it again once the cause is fixed, and is marked done
only when it went through.
"""

from __future__ import annotations

from domain.authorization import Action, authorize
from domain.dead_letters import DeadLetter, DeadLetterKind
from domain.events import Actor
from domain.services import Services

MAX_ERROR_CHARS = 2000


async def give_up_update(
    svc: Services, *, update_id: int, kind: DeadLetterKind, payload: str, error: str, attempts: int
) -> bool:
    """Keep the update given up and record it as processed; False if it had been given up before."""
    async with svc.uow() as uow:
        added = await uow.dead_letter_updates.add(
            update_id=update_id, kind=kind, payload=payload, error=error[:MAX_ERROR_CHARS], attempts=attempts
        )
        await uow.processed_updates.claim(update_id)
        await uow.commit()
        return added


async def given_up_updates(svc: Services, *, include_replayed: bool = False, limit: int = 50) -> list[DeadLetter]:
    """For operators (``shopbot updates list``): the newest first."""
    async with svc.uow(read_only=True) as uow:
        return await uow.dead_letter_updates.latest(include_replayed=include_replayed, limit=limit)


async def count_given_up(svc: Services) -> int:
    """How many updates given up wait for a replay (``shopbot jobs``)."""
    async with svc.uow(read_only=True) as uow:
        return await uow.dead_letter_updates.count_open()


async def count_given_up_for_admin(svc: Services, *, actor: Actor) -> int:
    """The same count, on the admin console's front page."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        return await uow.dead_letter_updates.count_open()


async def dead_letter(svc: Services, letter_id: int) -> DeadLetter | None:
    async with svc.uow(read_only=True) as uow:
        return await uow.dead_letter_updates.get(letter_id)


async def replay_done(svc: Services, letter_id: int) -> bool:
    """A replay went through; False if another replay had already done it."""
    async with svc.uow() as uow:
        done = await uow.dead_letter_updates.mark_replayed(letter_id)
        await uow.commit()
        return done


async def replay_failed(svc: Services, letter_id: int, error: str) -> None:
    async with svc.uow() as uow:
        await uow.dead_letter_updates.note_replay_failed(letter_id, error[:MAX_ERROR_CHARS])
        await uow.commit()
