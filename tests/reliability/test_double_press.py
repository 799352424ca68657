"""A double press does one thing: Accept pressed twice accepts once and tells the buyer once, Confirm receipt
twice completes once, and a second payment for an already-paid order is recorded and refunded, not applied."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from domain.orders import OrderStatus
from storage.models import AuditEventRow, OutboxRow, PaymentRow, RefundRow
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import ADDRESS, BUYER, MERCHANT, check_out, open_market


async def _paid_order(bot: Bot) -> int:
    market = await open_market(bot)
    await check_out(bot, market, *ADDRESS)
    await bot.press(BUYER, f"b1:cfm:{(await bot.flow_data(BUYER))['nonce']}")
    (order,) = await bot.orders_of(BUYER, OrderStatus.PENDING_PAYMENT)
    await bot.pay(BUYER, order, "charge-first")
    return order.id


async def _scalar(bot: Bot, stmt) -> int:
    async with bot.runtime.database.engine.connect() as conn:
        return int(await conn.scalar(stmt) or 0)


async def _order_moves_to(bot: Bot, order_id: int, status: str) -> int:
    """How many times the audit trail saw the order change to ``status``."""
    moves = AuditEventRow.entity == "order", AuditEventRow.entity_id == order_id, AuditEventRow.dst == status
    return await _scalar(bot, select(func.count()).where(*moves))


async def test_double_presses_of_accept_confirm_and_pay_each_do_one_thing(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        order_id = await _paid_order(bot)
        (order,) = await bot.orders_of(BUYER, OrderStatus.PAID)

        # Accept, twice (two separate presses, not a redelivery)
        await bot.press(MERCHANT, f"o1:acc:{order_id}")
        await bot.press(MERCHANT, f"o1:acc:{order_id}")
        accepted_events = await _order_moves_to(bot, order_id, "accepted")
        told = await _scalar(bot, select(func.count()).where(OutboxRow.key == "notify.order.accepted"))
        assert (accepted_events, told) == (1, 1)

        # Pay, again, with a second charge: the money is recorded and refunded, the order is not paid twice
        await bot.pay(BUYER, order, "charge-second")
        payments = await _scalar(bot, select(func.count()).where(PaymentRow.order_id == order_id))
        refunds = await _scalar(bot, select(func.count()).where(RefundRow.order_id == order_id))
        assert (payments, refunds) == (2, 1)

        # Confirm receipt, twice, once shipped
        await bot.say(MERCHANT, f"/ship {order_id} SF Express SF1234567890")
        await bot.press(BUYER, f"o1:cfm:{order_id}:y")
        await bot.press(BUYER, f"o1:cfm:{order_id}:y")
        completed_events = await _order_moves_to(bot, order_id, "completed")
        (done,) = await bot.orders_of(BUYER, OrderStatus.COMPLETED)
        assert completed_events == 1 and done.id == order_id
