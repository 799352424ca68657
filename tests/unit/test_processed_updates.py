"""Redelivered updates are recognised for a week; older records are dropped by the daily clean-up."""

from __future__ import annotations

from datetime import timedelta

from domain.usecases.users import begin_update, finish_update, forget_processed_updates
from tests.fakes.world import World


async def test_a_finished_update_is_skipped_when_delivered_again_until_its_record_expires() -> None:
    world = World()
    first, _ = await begin_update(world.svc, update_id=7, user_id=1001, first_name="Alice")
    await finish_update(world.svc, update_id=7)
    again, _ = await begin_update(world.svc, update_id=7, user_id=1001, first_name="Alice")

    world.clock.advance(timedelta(days=8))
    forgotten = await forget_processed_updates(world.svc)

    assert (first, again, forgotten) == (True, False, 1)


async def test_an_update_cut_short_before_it_finished_is_processed_again() -> None:
    world = World()
    await begin_update(world.svc, update_id=8, user_id=1001, first_name="Alice")  # the process dies here
    again, _ = await begin_update(world.svc, update_id=8, user_id=1001, first_name="Alice")
    assert again is True
