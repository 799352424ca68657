"""Coupons on the real databases (SQLite and PostgreSQL): one claim used by two checkouts at once goes to one order;
the last copy of a coupon claimed by two buyers at once goes to one of them; an order ending unpaid gives it back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.clock import ManualClock
from domain.coupons import Coupon
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import CancelReason
from domain.policy import Policy
from domain.receipts import AdjustmentKind
from domain.services import Services
from domain.usecases.addresses import add_address
from domain.usecases.cart import checkout_quote
from domain.usecases.coupons import claim_coupon, my_coupons
from domain.usecases.orders_common import cancel_in
from domain.usecases.orders_placing import buy_now
from storage.database import Database
from tests.integration import builders as b

OTHER_BUYER = 7_000_000_003


async def _coupon(database: Database, shop_id: int | None, now, *, total: int, code: str = "RACE0001") -> Coupon:
    async with database.uow() as uow:
        coupon = await uow.coupons.add(
            Coupon(
                id=0,
                shop_id=shop_id,
                code=code,
                min_spend=Money(0, "CNY"),
                amount_off=Money(1, "CNY"),
                percent_off=None,
                cap=None,
                total=total,
                claimed=0,
                per_user=1,
                starts_at=now - timedelta(hours=1),
                ends_at=now + timedelta(days=1),
                created_at=now,
            )
        )
        await uow.commit()
    return coupon


async def _outcomes(calls) -> list[object]:
    return list(await asyncio.gather(*calls, return_exceptions=True))


async def test_two_checkouts_using_one_claim_at_once_one_wins(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database, stock=20)
    buyer = Actor.buyer(world.buyer_id)
    address = await add_address(svc, actor=buyer, name="Li Lei", phone="+8613800000000", text="1 Tea Street")
    coupon = await _coupon(database, world.shop_id, clock.now(), total=5)
    await claim_coupon(svc, actor=buyer, coupon_id=coupon.id)

    # both confirm the total the review showed with the coupon
    quote = await checkout_quote(svc, actor=buyer, items=[(world.product_id, 1)], address_id=address.id)
    (shown,) = quote.expected_totals.values()
    assert quote.shops[0].receipt is not None and quote.shops[0].receipt.coupon_id == coupon.id
    results = await _outcomes(
        buy_now(svc, actor=buyer, product_id=world.product_id, address_id=address.id, expected_total=shown)
        for _ in range(2)
    )

    placed = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(placed) == 1 and len(refused) == 1, results
    # refused at the claim (both priced it at once) or at the price (the claim was gone when it priced)
    assert isinstance(refused[0], DomainError)
    assert refused[0].code in (ErrorCode.COUPON_USED, ErrorCode.PRICE_CHANGED)
    (order,) = placed
    assert [a.kind for a in order.adjustments if a.is_order_level] == [AdjustmentKind.COUPON]
    (held,) = await my_coupons(svc, actor=buyer)
    assert held.claim.order_id == order.id

    # the order ends unpaid: the coupon is the buyer's to use again
    async with database.uow() as uow:
        loaded = await uow.orders.get(order.id)
        await cancel_in(uow, svc, loaded, actor=Actor.system(), reason=CancelReason.PAYMENT_TIMEOUT)
        await uow.commit()
    (held,) = await my_coupons(svc, actor=buyer)
    assert held.claim.order_id is None


async def test_the_last_copy_claimed_by_two_at_once_goes_to_one(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database)
    async with database.uow() as uow:
        await uow.users.add(b.user(OTHER_BUYER))
        await uow.commit()
    coupon = await _coupon(database, world.shop_id, clock.now(), total=1)

    results = await _outcomes(
        claim_coupon(svc, actor=Actor.buyer(user_id), coupon_id=coupon.id) for user_id in (world.buyer_id, OTHER_BUYER)
    )

    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code is ErrorCode.COUPON_GONE, results
    async with database.uow(read_only=True) as uow:
        stored = await uow.coupons.get(coupon.id)
        claims = await uow.coupons.claims_of(world.buyer_id) + await uow.coupons.claims_of(OTHER_BUYER)
    assert stored is not None and stored.claimed == 1 and len(claims) == 1


@pytest.mark.parametrize("per_user", [1])
async def test_a_buyer_cannot_claim_more_than_the_limit(database: Database, clock: ManualClock, per_user: int) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database)
    coupon = await _coupon(database, world.shop_id, clock.now(), total=5)
    buyer = Actor.buyer(world.buyer_id)
    await claim_coupon(svc, actor=buyer, coupon_id=coupon.id)
    with pytest.raises(DomainError) as raised:
        await claim_coupon(svc, actor=buyer, coupon_id=coupon.id)
    assert raised.value.code is ErrorCode.COUPON_LIMIT
    async with database.uow(read_only=True) as uow:
        assert (await uow.coupons.get(coupon.id)).claimed == per_user  # the refused claim took no copy


async def test_the_last_platform_copy_claimed_by_two_goes_to_one(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database)
    async with database.uow() as uow:
        await uow.users.add(b.user(OTHER_BUYER))
        await uow.commit()
    coupon = await _coupon(database, None, clock.now(), total=1, code="PLAT0001")

    results = await _outcomes(
        claim_coupon(svc, actor=Actor.buyer(user_id), code="PLAT0001") for user_id in (world.buyer_id, OTHER_BUYER)
    )

    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code is ErrorCode.COUPON_GONE, results
    async with database.uow(read_only=True) as uow:
        stored = await uow.coupons.get(coupon.id)
        claims = await uow.coupons.claims_of(world.buyer_id) + await uow.coupons.claims_of(OTHER_BUYER)
        assert [c.code for c in await uow.coupons.for_shop(None)] == ["PLAT0001"]
    assert stored is not None and stored.claimed == 1 and len(claims) == 1


async def test_an_order_using_a_shop_and_a_platform_coupon_gives_both_back_when_it_ends_unpaid(
    database: Database, clock: ManualClock
) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database, stock=20)
    buyer = Actor.buyer(world.buyer_id)
    address = await add_address(svc, actor=buyer, name="Li Lei", phone="+8613800000000", text="1 Tea Street")
    shop_coupon = await _coupon(database, world.shop_id, clock.now(), total=5)
    platform = await _coupon(database, None, clock.now(), total=5, code="PLAT0002")
    for coupon in (shop_coupon, platform):
        await claim_coupon(svc, actor=buyer, coupon_id=coupon.id)

    quote = await checkout_quote(svc, actor=buyer, items=[(world.product_id, 1)], address_id=address.id)
    (shown,) = quote.expected_totals.values()
    order = await buy_now(svc, actor=buyer, product_id=world.product_id, address_id=address.id, expected_total=shown)
    kinds = [a.kind for a in order.adjustments if a.is_order_level]
    assert kinds == [AdjustmentKind.COUPON, AdjustmentKind.PLATFORM_COUPON]
    assert {held.claim.order_id for held in await my_coupons(svc, actor=buyer)} == {order.id}

    async with database.uow() as uow:
        loaded = await uow.orders.get(order.id)
        await cancel_in(uow, svc, loaded, actor=Actor.system(), reason=CancelReason.PAYMENT_TIMEOUT)
        await uow.commit()
    assert {held.claim.order_id for held in await my_coupons(svc, actor=buyer)} == {None}
