"""Group buys (拼团): start or join one with an order, fill it by paying, fail it when its deadline passes.

A seat is only taken by paying (``group_buys.claim_seat`` is atomic, so a group is never over-filled however
many pay at once); a joiner who pays for a seat that is no longer there is refunded on the spot.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.authorization import Action, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import MIN_GROUP_SIZE, GroupBuy, GroupBuyStatus
from domain.money import Money
from domain.orders import CancelReason, Order, OrderStatus
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.pricing import PricedItem, as_group_sku, price_items
from domain.products import Product
from domain.routes import Route
from domain.services import Services
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.coupons import usable_at, use_claims
from domain.usecases.orders_common import (
    button,
    cancel_in,
    claim_deadline,
    clear_deadline,
    load_group,
    load_order,
    load_shop,
    retrying,
    send_reminder,
    start_ship_clock,
    take_payment,
    tell,
)
from domain.usecases.orders_placing import (
    active_shop,
    check_expected,
    load_for_sale,
    new_order,
    ready_to_buy,
    reserve_lines,
    resolve_address,
)
from domain.usecases.store_credit import spend_credit
from domain.usecases.units import own_or_given
from domain.users import AddressSnapshot
from domain.validation import check_quantity


async def place_group_order(
    svc: Services,
    *,
    actor: Actor,
    product_id: int,
    group_buy_id: int | None = None,
    quantity: int = 1,
    address_id: int | None = None,
    address: AddressSnapshot | None = None,
    expected_total: Money | None = None,
    expected_credit: Money | None = None,
    uow: UnitOfWork | None = None,
) -> Order:
    """An order at the group price: starting a new group (``group_buy_id`` None) or joining an open one.

    The buyer's store credit is spent on it (``expected_credit``: what the buyer was shown spent, else
    CREDIT_CHANGED); credit that pays it all pays it at once, which starts the group or takes the seat.
    """
    async with own_or_given(svc, uow) as uow:
        now = svc.clock.now()
        await ready_to_buy(uow, svc, actor)
        check_quantity(quantity)
        snapshot = await resolve_address(uow, actor, address_id, address)
        product = (await load_for_sale(uow, [product_id]))[product_id]
        shop = await active_shop(uow, product.shop_id)
        check(Action.PLACE_ORDER, actor, shop=shop)  # not in one's own shop's group (self-dealing)
        group = await load_group(uow, group_buy_id) if group_buy_id is not None else None
        if group is not None:
            await _check_joinable(uow, group, actor, now)
        product = await group_priced(uow, product, group)
        promotions = await uow.promotions.for_shops([shop.id])
        items = [PricedItem(product, quantity)]
        buyer_id = actor.user_id
        assert buyer_id is not None
        receipt = price_items(
            shop.id,
            svc.policy.currency,
            items,
            promotions.get(shop.id, []),
            now,
            group_buy=True,
            shipping=shop.shipping,
            region=snapshot.delivery_region,
            coupons=await usable_at(uow, buyer_id, shop.id, now),  # the best shop and platform coupon apply
        )
        check_expected(receipt, shop, expected_total)
        order = new_order(svc, actor, receipt, snapshot)
        order.group_buy_id = group_buy_id
        order.starts_group = group_buy_id is None
        await reserve_lines(uow, order.lines)
        await uow.orders.add(order)
        await use_claims(uow, [order])
        credit = {shop.id: expected_credit} if expected_credit is not None else None
        for paid in await spend_credit(uow, [order], expected=credit):
            buyer = await take_payment(uow, svc, paid, payer_id=paid.buyer_id, charge_id=None, now=now)
            await seat_on_payment(uow, svc, paid, actor=buyer)
        return order


async def place_group_from_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...], address_id: int
) -> tuple[Order, bool] | None:
    """Start or join the group of the buyer's draft (``data``: ``product_id``, ``group_id`` or None, ``expected``
    total and ``credit`` to spend shown) once: the draft is consumed with the order, and a press again gets that
    order back (with False: not placed now). None: no such draft (a finished or older one)."""
    assert actor.user_id is not None

    async def place(uow: UnitOfWork, state: FlowState) -> Order:
        group_id = state.data.get("group_id")
        return await place_group_order(
            svc,
            actor=actor,
            product_id=int(state.data["product_id"]),
            group_buy_id=int(group_id) if group_id is not None else None,
            address_id=address_id,
            expected_total=Money(int(state.data["expected"]), svc.policy.currency),
            expected_credit=Money(int(state.data.get("credit", 0)), svc.policy.currency),
            uow=uow,
        )

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="order", make=place, rows=lambda uow: uow.orders
    )


async def group_priced(uow: UnitOfWork, product: Product, group: GroupBuy | None) -> Product:
    """``product`` (sold as itself, or one SKU of a product with options) with the group price and size a member
    is charged: starting a group (``group`` None) at the product's settings now, or joining ``group``.

    Joiners pay what the group was opened with, even if the merchant has changed it (or stopped offering new
    groups) since: an open group keeps its price, or for a group of SKUs its amount off each SKU's price
    (``pricing.as_group_sku``), and its size. NO_GROUP_PRICE: no new groups offered; CHOOSE_OPTIONS: a group of
    SKUs is joined with one; NOT_FOUND: not the group's product; GROUP_CLOSED: a group opened on the product sold
    as itself, which has options now (nobody can join it: it fails at its deadline and refunds its members).
    """
    parent = await uow.products.get(product.parent_id) if product.parent_id is not None else None
    own = parent if parent is not None else product  # the product groups are of
    if group is not None:
        if group.product_id != own.id:
            raise DomainError(ErrorCode.NOT_FOUND, group_buy_id=group.id)
        if group.group_off is not None:
            if parent is None:
                raise DomainError(ErrorCode.CHOOSE_OPTIONS, title=own.title, product_id=own.id)
            return as_group_sku(product, group.group_off, group.size)
        if parent is not None:
            raise DomainError(ErrorCode.GROUP_CLOSED, group_buy_id=group.id)
        return replace(product, group_price=group.price, group_size=group.size)
    if not own.has_group_buy:
        raise DomainError(ErrorCode.NO_GROUP_PRICE, product_id=own.id, title=own.title)
    if parent is not None:
        assert parent.group_off is not None and parent.group_size is not None
        return as_group_sku(product, parent.group_off, parent.group_size)
    return product


async def _check_joinable(uow: UnitOfWork, group: GroupBuy, actor: Actor, now: datetime) -> None:
    if group.status is not GroupBuyStatus.OPEN or (group.deadline_at is not None and group.deadline_at <= now):
        raise DomainError(ErrorCode.GROUP_CLOSED, group_buy_id=group.id)
    if group.is_full:
        raise DomainError(ErrorCode.GROUP_FULL, group_buy_id=group.id)
    members = await uow.orders.in_group(group.id)
    if group.leader_id == actor.user_id or any(
        member.buyer_id == actor.user_id and member.status is not OrderStatus.CANCELLED for member in members
    ):
        raise DomainError(ErrorCode.ALREADY_IN_GROUP, group_buy_id=group.id)


async def seat_on_payment(uow: UnitOfWork, svc: Services, order: Order, *, actor: Actor) -> None:
    """A group order was just paid (``paid_at`` set): open its group, or take a seat in it, or refund."""
    if order.starts_group and order.group_buy_id is None:
        await _open_group(uow, svc, order, actor=actor)
        return
    assert order.group_buy_id is not None
    group_id = order.group_buy_id
    if not await uow.group_buys.claim_seat(group_id):
        group = await uow.group_buys.get(group_id)
        full = group is not None and group.status is not GroupBuyStatus.FAILED and group.is_full
        reason = CancelReason.GROUP_FULL if full else CancelReason.GROUP_FAILED
        await cancel_in(uow, svc, order, actor=actor, reason=reason)
        await tell(
            uow,
            order.buyer_id,
            "notify.payment.refunded.group_full" if full else "notify.payment.refunded.group_closed",
            f"order:{order.id}:seat_refused:{order.payment_charge_id}",
            order_id=order.id,
            amount=order.total,
        )
        return
    if await _holds_another_seat(uow, order):
        await _refuse_second_seat(uow, svc, order, actor=actor)
        return
    order.transition_to(OrderStatus.GROUPING, actor=actor, at=svc.clock.now())
    clear_deadline(order)  # the group's deadline rules from here on
    await uow.orders.save(order)
    group = await load_group(uow, group_id, for_update=True)
    if group.is_full:
        await _complete(uow, svc, group)
        return
    # The joiner and the leader hear the same facts, each with the group's page a press away (the joiner's title
    # names the SKU they picked; the leader's names the product a group of SKUs is of).
    opened = [[button("group.btn.open", Route.GROUP_PAGE, group.id)]]
    facts = {"group_id": group.id, "title": order.lines[0].title, "missing": group.missing}
    joined = f"order:{order.id}:group_joined"
    await tell(uow, order.buyer_id, "notify.group.joined", joined, buttons=opened, deadline=group.deadline_at, **facts)
    if group.of_skus:
        product = await uow.products.get(group.product_id)
        facts["title"] = product.title if product is not None else facts["title"]
    member_joined = f"group:{group.id}:joined:{order.id}"
    await tell(uow, group.leader_id, "notify.group.member_joined", member_joined, buttons=opened, **facts)


async def _holds_another_seat(uow: UnitOfWork, order: Order) -> bool:
    """The buyer already paid into this group with another order: two joins raced past the placing check.

    Asked once the seat is claimed, i.e. holding the group's row lock, so a racing payment of the same buyer
    has either committed (and is seen here) or waits for this one.
    """
    return any(
        other.id != order.id
        and other.buyer_id == order.buyer_id
        and other.paid_at is not None
        and other.status is not OrderStatus.CANCELLED
        for other in await uow.orders.in_group(order.group_buy_id or 0)
    )


async def _refuse_second_seat(uow: UnitOfWork, svc: Services, order: Order, *, actor: Actor) -> None:
    """Give back the seat just claimed, cancel this order and refund it: one buyer, one seat."""
    assert order.group_buy_id is not None
    group = await load_group(uow, order.group_buy_id, for_update=True)
    group.member_count -= 1
    await uow.group_buys.save(group)
    refund = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.ALREADY_IN_GROUP)
    await tell(
        uow,
        order.buyer_id,
        "group.notify.second_seat_refunded",
        f"order:{order.id}:second_seat:{order.payment_charge_id}",
        group_id=group.id,
        order_id=order.id,
        amount=refund.amount if refund is not None else order.total,
    )


async def _open_group(uow: UnitOfWork, svc: Services, order: Order, *, actor: Actor) -> None:
    now = svc.clock.now()
    line = order.lines[0]
    product = await uow.products.get(line.product_id)
    off = None
    if product is not None and product.parent_id is not None:  # a SKU: the group is of its product
        product = await uow.products.get(product.parent_id)
        assert product is not None
        # The amount off the product offers now, or (turned off since the order) the leader's own saving.
        off = product.group_off or (line.list_price or line.unit_price) - line.unit_price
    size = product.group_size if product is not None and product.group_size else MIN_GROUP_SIZE
    deadline, reminder_at = svc.policy.deadlines.schedule(Deadline.GROUP_FILL, now)
    group = GroupBuy(
        id=0,
        product_id=product.id if product is not None else line.product_id,
        group_off=off,
        shop_id=order.shop_id,
        leader_id=order.buyer_id,
        size=size,
        price=line.unit_price,
        status=GroupBuyStatus.OPEN,
        created_at=now,
        deadline_at=deadline,
        member_count=1,  # the leader's seat, paid for right now
        reminder_at=reminder_at,
    )
    await uow.group_buys.add(group)
    order.group_buy_id = group.id
    order.transition_to(OrderStatus.GROUPING, actor=actor, at=now)
    clear_deadline(order)
    await uow.orders.save(order)
    await tell(
        uow,
        order.buyer_id,
        "notify.group.opened",
        f"group:{group.id}:opened",
        buttons=[[button("group.btn.open", Route.GROUP_PAGE, group.id)]],
        group_id=group.id,
        title=line.title,
        size=group.size,
        missing=group.missing,
        deadline=deadline,
    )


async def _complete(uow: UnitOfWork, svc: Services, group: GroupBuy) -> None:
    """The last seat was taken: every paid member's order goes to the merchant; unpaid joiners are let go."""
    now = svc.clock.now()
    system = Actor.system()
    group.end(GroupBuyStatus.COMPLETE, actor=system, at=now)
    group.completed_at = now
    await uow.group_buys.save(group)
    shop = await load_shop(uow, group.shop_id)
    for member in await _members(uow, group.id):
        if member.status is OrderStatus.GROUPING:
            await start_ship_clock(uow, svc, member, shop, actor=system)
            await _tell_member(
                uow, group, member, "notify.group.complete", "group_complete", ship_by=member.deadline_at
            )
        elif member.status is OrderStatus.PENDING_PAYMENT:
            await cancel_in(uow, svc, member, actor=system, reason=CancelReason.GROUP_FULL)
            await _tell_member(uow, group, member, "notify.group.full_before_payment", "group_full")


async def _tell_member(uow: UnitOfWork, group: GroupBuy, member: Order, key: str, event: str, **args: Any) -> None:
    """A member hears what happened to their order in the group (once per ``event``)."""
    await tell(
        uow,
        member.buyer_id,
        key,
        f"order:{member.id}:{event}",
        group_id=group.id,
        order_id=member.id,
        title=member.lines[0].title,
        **args,
    )


async def _members(uow: UnitOfWork, group_id: int) -> list[Order]:
    """The group's orders, each re-read under its row lock (the caller holds the group's lock already)."""
    return [await load_order(uow, listed.id, for_update=True) for listed in await uow.orders.in_group(group_id)]


@retrying
async def expire_group_buy(svc: Services, group_id: int) -> bool:
    """The group did not fill in time: it fails, every member's order is cancelled, paid ones refunded."""
    now = svc.clock.now()
    system = Actor.system()
    async with svc.uow() as uow:
        group = await claim_deadline(
            uow, svc, uow.group_buys, group_id, now, waits_in=GroupBuyStatus.OPEN, action=Action.EXPIRE_GROUP_BUY
        )
        if group is None:
            return False
        group.end(GroupBuyStatus.FAILED, actor=system, at=now, reason="deadline")
        await uow.group_buys.save(group)
        for member in await _members(uow, group.id):
            if member.status not in (OrderStatus.GROUPING, OrderStatus.PENDING_PAYMENT):
                continue
            refund = await cancel_in(uow, svc, member, actor=system, reason=CancelReason.GROUP_FAILED)
            await _tell_member(
                uow,
                group,
                member,
                "notify.group.failed" if refund is not None else "notify.group.failed.unpaid",
                "group_failed",
                amount=refund.amount if refund is not None else member.total,
            )
        await uow.commit()
        return True


@retrying
async def remind_group(svc: Services, group_id: int) -> bool:
    """Once, some time before the deadline: tell the members how many people are still missing."""
    return await send_reminder(svc, lambda uow: uow.group_buys, group_id, _remind)


async def _remind(uow: UnitOfWork, group: GroupBuy) -> None:
    if group.status is not GroupBuyStatus.OPEN:
        return
    for member in await uow.orders.in_group(group.id):
        if member.status is OrderStatus.GROUPING:
            await tell(
                uow,
                member.buyer_id,
                "notify.group.remind",
                f"group:{group.id}:remind:{member.id}",
                group_id=group.id,
                title=member.lines[0].title,
                missing=group.missing,
                deadline=group.deadline_at,
            )
