"""What the order use cases share: loading with a coded NOT_FOUND, cancelling with refund, paying out, telling people.

Every helper works inside the caller's unit of work and never commits.
"""

from __future__ import annotations

import asyncio
import functools
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, ParamSpec, Protocol, TypeVar

from domain.authorization import Action, admin_ids, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuy
from domain.money import Money
from domain.notifications import Button, Notification
from domain.orders import CancelReason, Order, OrderLine, OrderStatus
from domain.payments import Refund
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from domain.usecases.money_back import pay_back_owed, told
from domain.usecases.store_credit import return_credit

T = TypeVar("T")
P = ParamSpec("P")

CONFLICT_RETRIES = 5
PAYMENT_RETRIES = 10  # money has already moved: try harder (about 5 s in all) before giving up
RETRY_PAUSE = 0.005  # seconds, doubled on each retry
STARS = "XTR"

# The buttons the order messages carry.
ACCEPT, DECLINE, SHIP, TRACK = Route.ORDER_ACCEPT, Route.ORDER_DECLINE, Route.ORDER_SHIP, Route.ORDER_TRACK
CONFIRM, PAY, REVIEW = Route.ORDER_CONFIRM_RECEIPT, Route.ORDER_PAY, Route.REVIEW_NEW


async def retry_on_conflict(attempt: Callable[[], Awaitable[T]], *, tries: int = CONFLICT_RETRIES) -> T:
    """Run a whole unit of work again when another one got to the same rows first.

    The rerun sees the winner's state and decides again from there, so a payment, a deadline or a button press
    racing another does not fail for the race alone. Waits a little longer each time (the other transaction
    may still hold the row).
    """
    for attempt_no in range(1, tries + 1):
        try:
            return await attempt()
        except DomainError as error:
            if error.code is not ErrorCode.CONFLICT or attempt_no == tries:
                raise
        # Jittered: racers that collided once (twenty payers of one group) must not collide again in step.
        await asyncio.sleep(RETRY_PAUSE * 2**attempt_no * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def retrying(use_case: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Decorate a use case (one unit of work, all or nothing) to be rerun on CONFLICT."""
    return retrying_times(CONFLICT_RETRIES)(use_case)


def retrying_times(tries: int) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    def decorate(use_case: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(use_case)
        async def rerun(*args: P.args, **kwargs: P.kwargs) -> T:
            return await retry_on_conflict(lambda: use_case(*args, **kwargs), tries=tries)

        return rerun

    return decorate


async def _found(
    get: Callable[..., Awaitable[T | None]], entity_id: int, *, for_update: bool, what: str, **options: bool
) -> T:
    row = await get(entity_id, for_update=for_update, **options)
    if row is not None:
        return row
    # On PostgreSQL a locking read skips a row another worker holds (SKIP LOCKED) and finds nothing: that is a
    # race to retry, not a missing row.
    busy = for_update and await get(entity_id) is not None
    raise DomainError(ErrorCode.CONFLICT if busy else ErrorCode.NOT_FOUND, **{what: entity_id})


async def load_order(uow: UnitOfWork, order_id: int, *, for_update: bool = False) -> Order:
    return await _found(uow.orders.get, order_id, for_update=for_update, what="order_id")


async def load_shop(uow: UnitOfWork, shop_id: int, *, for_update: bool = False) -> Shop:
    return await _found(uow.shops.get, shop_id, for_update=for_update, what="shop_id")


async def load_group(uow: UnitOfWork, group_id: int, *, for_update: bool = False, wait: bool = False) -> GroupBuy:
    """``wait``: queue for the group's lock behind whoever holds it, rather than fail with CONFLICT at once."""
    return await _found(uow.group_buys.get, group_id, for_update=for_update, what="group_buy_id", wait=wait)


async def tell(
    uow: UnitOfWork,
    chat_id: int,
    key: str,
    dedupe_key: str,
    *,
    buttons: Sequence[Sequence[Button]] = (),
    **args: Any,
) -> None:
    """Queue a message in this transaction; the same dedupe key is only ever told once."""
    await uow.outbox.add(notice(chat_id, key, dedupe_key, buttons=buttons, **args))


async def tell_admins(
    uow: UnitOfWork,
    svc: Services,
    key: str,
    dedupe_key: str,
    *,
    buttons: Sequence[Sequence[Button]] = (),
    **args: Any,
) -> None:
    """``tell`` every admin (``admin_ids``), each once: their copy's dedupe key is ``<dedupe_key>:admin:<id>``."""
    for admin in await admin_ids(uow, svc.policy):
        await tell(uow, admin, key, f"{dedupe_key}:admin:{admin}", buttons=buttons, **args)


def notice(
    chat_id: int, key: str, dedupe_key: str, *, buttons: Sequence[Sequence[Button]] = (), **args: Any
) -> Notification:
    """The message ``tell`` queues, for queueing many at once with ``uow.outbox.add_many``."""
    rows = tuple(tuple(row) for row in buttons if row)
    return Notification(chat_id=chat_id, key=key, dedupe_key=dedupe_key, args=args, buttons=rows)


def button(key: str, route: Route, entity_id: int) -> Button:
    """A message's button (its label ``key``) that presses ``route`` for one order, shop, group…"""
    return Button(key=key, data=route.with_id(entity_id))


def in_lock_order(lines: Iterable[OrderLine]) -> list[OrderLine]:
    """Lines by product id. Rows are always locked in one order — group, orders, products (by id), shop — so two
    transactions never wait for each other in a circle."""
    return sorted(lines, key=lambda line: line.product_id)


def clear_deadline(order: Order) -> None:
    order.deadline_at = None
    order.reminder_at = None
    order.paused_deadline_at = None


async def cancel_in(
    uow: UnitOfWork, svc: Services, order: Order, *, actor: Actor, reason: CancelReason, note: str = ""
) -> Refund | None:
    """Cancel ``order``: put its stock back, refund what was paid for it, take its sales back; saves the order."""
    now = svc.clock.now()
    owed = order.unrefunded_total()  # less what after-sales already paid back for some of the lines
    counted_as_sold = mark_cancelled(order, actor=actor, reason=reason, note=note, now=now)
    for line in in_lock_order(order.lines):
        # Units paid back before the parcel left went back on the shelf then.
        await uow.products.release_stock(line.product_id, line.remaining_quantity)
        if counted_as_sold:
            await uow.products.add_sales(line.product_id, -line.remaining_quantity)
    refund = None
    if owes_refund(order):
        refund = told(await pay_back_owed(uow, order, owed, reason=reason.value, now=now))
        order.refunded = True
    else:
        await return_credit(uow, order)  # store credit spent on it at checkout, if it ended unpaid
        await uow.coupons.release(order.id)  # and the coupon it used
    await uow.orders.save(order)
    return refund


async def cancel_all_in(
    uow: UnitOfWork, svc: Services, cancels: Sequence[tuple[Order, CancelReason]], *, actor: Actor
) -> tuple[list[Order], dict[int, Refund]]:
    """``cancel_in`` for many orders, each with its reason, in a few round trips: (the orders cancelled, their
    refunds by order id).

    The orders are written first, with their version checked one by one: an order someone else changed since
    it was loaded is left as it is (and out of the result) while the others are cancelled; stock, sales and
    refunds then move for the cancelled ones only.
    """
    now = svc.clock.now()
    sold: dict[int, bool] = {}
    owed: dict[int, Money] = {}
    orders = [order for order, _ in cancels]
    reasons = {order.id: reason for order, reason in cancels}
    for order, reason in cancels:
        if owes_refund(order):
            owed[order.id] = order.unrefunded_total()
            order.refunded = True
        sold[order.id] = mark_cancelled(order, actor=actor, reason=reason, now=now)
    saved = await uow.orders.save_many(orders)
    cancelled = [order for order in orders if order.id in saved]
    stock: Counter[int] = Counter()
    sales: Counter[int] = Counter()
    for order in cancelled:
        for line in order.lines:
            stock[line.product_id] += line.remaining_quantity
            if sold[order.id]:
                sales[line.product_id] -= line.remaining_quantity
    await uow.products.release_stock_many(stock)
    await uow.products.add_sales_many(sales)
    refunds: dict[int, Refund] = {}
    for order in cancelled:
        if order.id not in owed:
            await return_credit(uow, order)
            await uow.coupons.release(order.id)  # and the coupon it used
        if order.id in owed:
            paid = await pay_back_owed(uow, order, owed[order.id], reason=reasons[order.id].value, now=now)
            if paid:
                refunds[order.id] = told(paid)
    return cancelled, refunds


def mark_cancelled(order: Order, *, actor: Actor, reason: CancelReason, note: str = "", now: datetime) -> bool:
    """The order's own side of a cancellation; True if it had counted as sold (its sales are to be taken back)."""
    counted_as_sold = order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED)
    order.transition_to(OrderStatus.CANCELLED, actor=actor, at=now, reason=note or reason.value)
    order.cancelled_at = now
    order.cancel_reason = reason.value
    clear_deadline(order)
    return counted_as_sold


def owes_refund(order: Order) -> bool:
    return order.paid_at is not None and not order.refunded


async def take_payment(
    uow: UnitOfWork, svc: Services, order: Order, *, payer_id: int, charge_id: str | None, now: datetime
) -> Actor:
    """The buyer's money for the unpaid ``order`` arrived (``charge_id`` None: store credit paid it all); the buyer
    as the actor of what follows."""
    buyer = Actor.buyer(payer_id)
    await authorize(uow, svc.policy, Action.PAY_ORDER, buyer, order=order)
    order.mark_paid(charge_id=charge_id, now=now)
    return buyer


async def paid_single_buy(uow: UnitOfWork, svc: Services, order: Order, *, actor: Actor) -> None:
    """A single buy is paid: its merchant has to ship it now, and the buyer is told."""
    shop = await load_shop(uow, order.shop_id)
    await start_ship_clock(uow, svc, order, shop, actor=actor)
    await tell(
        uow,
        order.buyer_id,
        "notify.order.paid.buyer",
        f"order:{order.id}:paid:buyer",
        order_id=order.id,
        shop=shop.name,
        total=order.total,
        ship_by=order.deadline_at,
    )


async def start_ship_clock(uow: UnitOfWork, svc: Services, order: Order, shop: Shop, *, actor: Actor) -> None:
    """The order is paid for good (single buy, or its group filled): the merchant now has to ship it."""
    now = svc.clock.now()
    order.transition_to(OrderStatus.PAID, actor=actor, at=now)
    order.deadline_at, order.reminder_at = svc.policy.deadlines.schedule(Deadline.SHIP, now)
    order.alert_fallback_at = svc.policy.deadlines.alert_fallback_at(now)
    for line in in_lock_order(order.lines):
        await uow.products.add_sales(line.product_id, line.quantity)
    await uow.orders.save(order)
    await uow.outbox.add(new_order_alert(order, shop))


def new_order_alert(order: Order, shop: Shop) -> Notification:
    """The merchant's alert of a new paid order (with its buttons); repeated by e-mail and SMS as the fallback."""
    return notice(
        shop.owner_id,
        "notify.order.paid.merchant",
        f"order:{order.id}:paid:merchant",
        buttons=[
            [button("notify.btn.accept", ACCEPT, order.id), button("notify.btn.decline", DECLINE, order.id)],
            [button("notify.btn.ship", SHIP, order.id)],
        ],
        order_id=order.id,
        receipt=order.receipt,
        total=order.total,
        address=order.address.one_line(),
        ship_by=order.deadline_at,
    )


class _Reminded(Protocol):
    reminder_at: datetime | None


Reminded = TypeVar("Reminded", bound=_Reminded)


class _RemindedRows(Protocol[Reminded]):
    async def get(self, row_id: int, /, *, for_update: bool = False) -> Reminded | None: ...
    async def save(self, row: Reminded, /) -> None: ...


async def claim_reminder(
    uow: UnitOfWork, svc: Services, rows: _RemindedRows[Reminded], row_id: int, now: datetime
) -> Reminded | None:
    """The order or group whose reminder has come, locked, its reminder cleared so it is sent once; None when it
    is not due (already sent, moved, or gone)."""
    found = await rows.get(row_id, for_update=True)
    if found is None or found.reminder_at is None or found.reminder_at > now:
        return None
    await authorize(uow, svc.policy, Action.SEND_REMINDER, Actor.system())
    found.reminder_at = None
    await rows.save(found)
    return found


async def send_reminder(
    svc: Services,
    rows: Callable[[UnitOfWork], _RemindedRows[Reminded]],
    row_id: int,
    remind: Callable[[UnitOfWork, Reminded], Awaitable[None]],
) -> bool:
    """The sweeper's call for a reminder: claimed (``claim_reminder``) and told by ``remind`` in one unit of work,
    so it goes once; False when it was not due."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        found = await claim_reminder(uow, svc, rows(uow), row_id, now)
        if found is None:
            return False
        await remind(uow, found)
        await uow.commit()
        return True


class _Timed(Protocol):
    @property
    def status(self) -> Any: ...
    @property
    def deadline_at(self) -> datetime | None: ...


Timed = TypeVar("Timed", bound=_Timed)


class _TimedRows(Protocol[Timed]):
    async def get(self, row_id: int, /, *, for_update: bool = False) -> Timed | None: ...


async def claim_deadline(
    uow: UnitOfWork,
    svc: Services,
    rows: _TimedRows[Timed],
    row_id: int,
    now: datetime,
    *,
    waits_in: Any,
    action: Action,
) -> Timed | None:
    """The group or shop whose deadline has passed while it still ``waits_in`` that status, locked, the system
    authorised to ``action`` it; None when nothing is due (any more: moved on, deadline cleared or moved, gone)."""
    found = await rows.get(row_id, for_update=True)
    if found is None or found.status is not waits_in or found.deadline_at is None or found.deadline_at > now:
        return None
    await authorize(uow, svc.policy, action, Actor.system())
    return found
