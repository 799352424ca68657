"""Redelivered updates are recognised for a week; older records are dropped by the daily clean-up."""

from __future__ import annotations

from datetime import timedelta

from domain.usecases.processed_updates import ProcessedRecords
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


async def _seen(world: World, update_id: int) -> bool:
    is_new, _ = await begin_update(world.svc, update_id=update_id, user_id=1001, first_name="Alice")
    return not is_new


async def test_records_harmless_to_redo_wait_and_go_with_the_next_record_written_at_once() -> None:
    world = World()
    records = ProcessedRecords(world.svc)
    records.defer(10)  # a list was shown
    records.defer(11)  # a product page
    waiting = (records.pending(10), await _seen(world, 10), await _seen(world, 11))

    await records.record(12)  # an order was placed: written now, with the two waiting
    written = [await _seen(world, n) for n in (10, 11, 12)]

    assert waiting == (True, False, False)
    assert written == [True, True, True] and not records.pending(10)


async def test_a_full_batch_of_waiting_records_is_written_without_waiting_for_more() -> None:
    world = World()
    records = ProcessedRecords(world.svc, batch=3)
    for update_id in (20, 21, 22):
        records.defer(update_id)
    await records.flush()  # lets the write the third record started finish
    assert [await _seen(world, n) for n in (20, 21, 22)] == [True, True, True]


async def test_a_crash_loses_only_records_harmless_to_redo() -> None:
    world = World()
    before_crash = ProcessedRecords(world.svc)
    before_crash.defer(30)  # a screen shown
    await before_crash.record(31)  # a cart line added (and the waiting screen written with it)
    before_crash.defer(32)  # another screen; then the process dies before writing it
    after_restart = ProcessedRecords(world.svc)

    assert not after_restart.pending(32)
    assert [await _seen(world, n) for n in (30, 31, 32)] == [True, True, False]


async def test_shutting_down_writes_what_waits() -> None:
    world = World()
    records = ProcessedRecords(world.svc)
    records.defer(40)
    await records.close()
    assert await _seen(world, 40) and records.waiting == 0
