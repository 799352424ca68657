"""The refund executor pays Stars back through Telegram once, retries hiccups, and hands hopeless ones to admins;
the refund use cases record each attempt, and a refund's failure and the admins' notices commit together."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from telegram.error import BadRequest, NetworkError

from domain.payments import RefundMethod, RefundStatus
from domain.usecases.orders import expire_order
from domain.usecases.refunds import refund_attempt_failed, star_refunds_owed
from jobs.refunds import RefundExecutor
from tests.fakes import ADMIN, BUYER, World
from tests.fakes.repositories import FakeOutbox
from tests.jobs.telegram_double import RecordingBot


async def refunded_order(world: World) -> int:
    """A paid order the merchant never shipped: the ship-by deadline cancels it and owes the buyer their Stars."""
    product = world.add_product(world.add_shop())
    order = await world.paid_order(product)
    world.clock.advance(world.policy.deadlines.ship)
    assert await expire_order(world.svc, order.id)
    return order.id


async def test_a_pending_refund_is_paid_back_once() -> None:
    world = World()
    order_id = await refunded_order(world)
    bot = RecordingBot()
    executor = RefundExecutor(world.svc, bot)

    first = await executor.run()
    second = await executor.run()

    (refund,) = world.refunds(order_id)
    assert (first.done, second.done) == (1, 0)
    assert bot.refunds == [(BUYER, refund.charge_id)]
    assert (refund.status, refund.attempts, refund.done_at) == (RefundStatus.DONE, 1, world.clock.now())


async def test_a_network_error_is_retried_after_a_backoff_and_the_error_is_kept_meanwhile() -> None:
    world = World()
    order_id = await refunded_order(world)
    bot = RecordingBot(refund_failures=[NetworkError("connection reset")])
    executor = RefundExecutor(world.svc, bot, backoff_base=timedelta(seconds=5))

    failed = await executor.run()
    (refund,) = world.refunds(order_id)
    assert failed.retrying == 1 and (refund.status, refund.attempts) == (RefundStatus.PENDING, 1)
    assert "connection reset" in refund.error

    world.clock.advance(timedelta(seconds=4))
    assert (await executor.run()).done == 0
    world.clock.advance(timedelta(seconds=1))
    assert (await executor.run()).done == 1
    assert world.refunds(order_id)[0].status is RefundStatus.DONE and len(bot.refunds) == 1


async def test_after_the_last_attempt_the_refund_fails_and_the_admins_are_told() -> None:
    world = World()
    order_id = await refunded_order(world)
    bot = RecordingBot(refund_failures=[NetworkError("down")] * 3)
    executor = RefundExecutor(world.svc, bot, max_attempts=3, backoff_base=timedelta(seconds=1))

    for _ in range(3):
        await executor.run()
        world.clock.advance(timedelta(minutes=1))

    (refund,) = world.refunds(order_id)
    assert (refund.status, refund.attempts) == (RefundStatus.FAILED, 3)
    alert = world.message(ADMIN, "jobs.refund_failed")
    assert alert.args["refund_id"] == refund.id and "down" in alert.args["error"]


async def test_telegram_saying_it_was_already_refunded_counts_as_done() -> None:
    # e.g. the bot died after Telegram refunded but before the refund was marked done
    world = World()
    order_id = await refunded_order(world)
    bot = RecordingBot(refund_failures=[BadRequest("CHARGE_ALREADY_REFUNDED")])

    await RefundExecutor(world.svc, bot).run()

    assert world.refunds(order_id)[0].status is RefundStatus.DONE


async def test_a_refund_telegram_rejects_fails_at_once() -> None:
    world = World()
    order_id = await refunded_order(world)
    bot = RecordingBot(refund_failures=[BadRequest("CHARGE_NOT_FOUND")])

    report = await RefundExecutor(world.svc, bot).run()

    (refund,) = world.refunds(order_id)
    assert report.failed == 1 and refund.status is RefundStatus.FAILED and "CHARGE_NOT_FOUND" in refund.error


async def test_only_stars_refunds_are_owed_through_telegram() -> None:
    world = World()
    order_id = await refunded_order(world)
    (stars,) = world.refunds(order_id)
    async with world.svc.uow() as uow:
        await uow.payments.add_refund(replace(stars, id=0, charge_id="", method=RefundMethod.RECORDED))
        await uow.commit()

    owed = await star_refunds_owed(world.svc, limit=10)

    assert [refund.id for refund in owed] == [stars.id]


async def test_a_failed_attempt_before_the_last_keeps_the_refund_pending_and_tells_nobody() -> None:
    world = World()
    (refund,) = world.refunds(await refunded_order(world))

    recorded = await refund_attempt_failed(world.svc, refund, "x" * 5000, permanent=False, max_attempts=2)

    assert (recorded.status, recorded.attempts, len(recorded.error)) == (RefundStatus.PENDING, 1, 1000)
    assert world.refunds(refund.order_id) == [recorded]
    assert [m for m in world.messages(ADMIN) if m.key == "jobs.refund_failed"] == []


async def test_a_refund_does_not_fail_without_its_admin_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the outbox refusing to queue anything
    world = World()
    (refund,) = world.refunds(await refunded_order(world))

    async def refuse(self: FakeOutbox, notification: object) -> bool:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(FakeOutbox, "add", refuse)

    # when Telegram rejects the refund for good
    with pytest.raises(RuntimeError):
        await refund_attempt_failed(world.svc, refund, "bad request: CHARGE_NOT_FOUND", permanent=True, max_attempts=8)

    # then the refund is still pending, untouched, to be tried (and reported) again
    (stored,) = world.refunds(refund.order_id)
    assert (stored.status, stored.attempts, stored.error) == (RefundStatus.PENDING, 0, "")
