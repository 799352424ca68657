"""Opening a shop: application, admin review, deposit, expiry; admins suspending, reinstating and closing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import OrderStatus
from domain.payments import PaymentPurpose, RefundStatus
from domain.shops import ShopStatus, ShopType
from domain.usecases.shops import (
    apply_for_shop,
    approve_shop,
    close_shop,
    expire_shop_deposit,
    pay_deposit,
    reinstate_shop,
    reject_shop,
    suspend_shop,
    validate_deposit_payment,
)
from tests.fakes import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

APPLICATION = {
    "name": "Tea House",
    "business_scope": "Tea and teaware",
    "shop_type": ShopType.ENTERPRISE,
    "contact_phone": "+86 139 0000 0000",
    "documents": ["licence-file", "id-front"],
    "agreement_accepted": True,
}


async def _apply(world: World, owner: int = MERCHANT, **changes: object):
    return await apply_for_shop(world.svc, actor=Actor.buyer(owner), **{**APPLICATION, **changes})


async def _approved(world: World):
    shop = await _apply(world)
    return await approve_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id)


async def _deposit(world: World, shop, *, payer: int = MERCHANT, amount: int | None = None, charge: str = "dep-1"):
    return await pay_deposit(
        world.svc,
        shop_id=shop.id,
        payer_id=payer,
        charge_id=charge,
        amount=shop.deposit.amount if amount is None else amount,
        currency=shop.deposit.currency,
    )


# --- applying ------------------------------------------------------------------------------------------------------


async def test_an_application_waits_for_review_and_every_admin_gets_approve_and_reject_buttons() -> None:
    world = World()
    shop = await _apply(world)
    stored = world.shop(shop.id)
    assert stored.status is ShopStatus.PENDING_REVIEW
    assert (stored.name, stored.contact_phone, stored.documents) == (
        "Tea House",
        "+8613900000000",
        APPLICATION["documents"],
    )
    assert stored.agreement_accepted_at == world.clock.now()
    assert stored.deposit == world.policy.deposit_for(ShopType.ENTERPRISE)
    for admin in (ADMIN, APPOINTED_ADMIN):
        message = world.message(admin, "notify.shop.applied.admin")
        assert [[b.data for b in row] for row in message.buttons] == [[f"a1:ap:{shop.id}", f"a1:rj:{shop.id}"]]
        assert message.args["name"] == "Tea House"
    assert world.sent(MERCHANT) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": "  "}, ErrorCode.INVALID_TEXT),
        ({"name": "x" * 41}, ErrorCode.TEXT_TOO_LONG),
        ({"business_scope": ""}, ErrorCode.INVALID_TEXT),
        ({"contact_phone": "call me"}, ErrorCode.INVALID_PHONE),
        ({"documents": []}, ErrorCode.DOCUMENTS_REQUIRED),
        ({"agreement_accepted": False}, ErrorCode.AGREEMENT_REQUIRED),
    ],
)
async def test_an_incomplete_application_is_refused_and_nothing_is_stored(changes: dict, code: ErrorCode) -> None:
    world = World()
    with refused_unchanged(world, code):
        await _apply(world, **changes)


async def test_one_live_shop_per_owner() -> None:
    world = World()
    await _apply(world)
    with refused_unchanged(world, ErrorCode.SHOP_ALREADY_EXISTS):
        await _apply(world, name="Second shop")


async def test_after_a_rejection_the_same_shop_goes_back_to_review_with_the_new_details() -> None:
    world = World()
    shop = await _apply(world)
    await reject_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Licence unreadable")
    assert world.message(MERCHANT, "notify.shop.rejected").args["reason"] == "Licence unreadable"

    again = await _apply(world, name="Tea House 2", documents=["clear-licence"])

    assert again.id == shop.id
    stored = world.shop(shop.id)
    assert (stored.status, stored.name, stored.documents, stored.reject_reason) == (
        ShopStatus.PENDING_REVIEW,
        "Tea House 2",
        ["clear-licence"],
        "",
    )
    assert world.sent(ADMIN).count("notify.shop.applied.admin") == 2  # asked again, not deduplicated away
    assert [(e.src, e.dst) for e in world.audit("shop", shop.id)] == [
        ("pending_review", "rejected"),
        ("rejected", "pending_review"),
    ]


# --- review --------------------------------------------------------------------------------------------------------


async def test_approval_asks_for_the_deposit_of_the_shop_type_by_the_deadline() -> None:
    world = World()
    shop = await _approved(world)
    assert shop.status is ShopStatus.AWAITING_DEPOSIT
    assert shop.deadline_at == world.clock.now() + world.policy.deadlines.deposit
    assert (shop.decided_by, shop.deposit) == (ADMIN, world.policy.deposit_for(ShopType.ENTERPRISE))
    message = world.message(MERCHANT, "notify.shop.approved")
    assert message.buttons[0][0].data == f"m1:dep:{shop.id}"
    assert message.args["deposit"] == shop.deposit


async def test_an_appointed_admin_may_decide() -> None:
    world = World()
    shop = await _apply(world)
    assert (await approve_shop(world.svc, actor=Actor.admin(APPOINTED_ADMIN), shop_id=shop.id)).status is (
        ShopStatus.AWAITING_DEPOSIT
    )


@pytest.mark.parametrize("actor", [Actor.admin(BUYER), Actor.merchant(MERCHANT), Actor.buyer(ADMIN)])
async def test_only_admins_decide_applications(actor: Actor) -> None:
    world = World()
    shop = await _apply(world)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await approve_shop(world.svc, actor=actor, shop_id=shop.id)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await reject_shop(world.svc, actor=actor, shop_id=shop.id, reason="no")


async def test_a_second_decision_is_already_done() -> None:
    world = World()
    shop = await _approved(world)
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await reject_shop(world.svc, actor=Actor.admin(APPOINTED_ADMIN), shop_id=shop.id, reason="too late")


@pytest.mark.parametrize("for_update", ["block", "skip_locked", "ignore"])
async def test_two_admins_deciding_at_once_one_wins(for_update: str) -> None:
    world = World(for_update=for_update)
    shop = await _apply(world)
    results = await asyncio.gather(
        approve_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id),
        reject_shop(world.svc, actor=Actor.admin(APPOINTED_ADMIN), shop_id=shop.id, reason="no"),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1
    assert failures[0].code is ErrorCode.ALREADY_DONE  # type: ignore[attr-defined]
    assert world.shop(shop.id).status in (ShopStatus.AWAITING_DEPOSIT, ShopStatus.REJECTED)
    assert len(world.sent(MERCHANT)) == 1


async def test_rejection_needs_a_reason() -> None:
    world = World()
    shop = await _apply(world)
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):
        await reject_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="   ")


# --- deposit -------------------------------------------------------------------------------------------------------


async def test_paying_the_deposit_opens_the_shop_once() -> None:
    world = World()
    shop = await _approved(world)
    await validate_deposit_payment(
        world.svc, shop_id=shop.id, payer_id=MERCHANT, amount=shop.deposit.amount, currency=shop.deposit.currency
    )
    opened = await _deposit(world, shop)
    again = await _deposit(world, shop)  # Telegram redelivers the payment

    assert opened.status is again.status is ShopStatus.ACTIVE
    stored = world.shop(shop.id)
    assert (stored.deposit_paid_at, stored.deposit_balance, stored.deadline_at) == (
        world.clock.now(),
        shop.deposit,
        None,
    )
    (payment,) = world.payments()
    assert (payment.purpose, payment.shop_id, payment.amount) == (PaymentPurpose.DEPOSIT, shop.id, shop.deposit)
    assert world.sent(MERCHANT).count("notify.shop.active") == 1
    assert world.refunds() == []


async def test_a_deposit_that_cannot_open_the_shop_is_refunded() -> None:
    world = World()
    shop = await _approved(world)
    await _deposit(world, shop, amount=shop.deposit.amount - 1)
    assert world.shop(shop.id).status is ShopStatus.AWAITING_DEPOSIT
    (refund,) = world.refunds()
    assert (refund.user_id, refund.amount.amount, refund.status) == (
        MERCHANT,
        shop.deposit.amount - 1,
        RefundStatus.PENDING,
    )
    assert "notify.deposit.refunded" in world.sent(MERCHANT)


@pytest.mark.parametrize(
    ("payer", "amount_delta", "code"),
    [(OTHER_MERCHANT, 0, ErrorCode.FORBIDDEN), (MERCHANT, 1, ErrorCode.PAYMENT_MISMATCH)],
)
async def test_deposit_pre_checkout_refuses(payer: int, amount_delta: int, code: ErrorCode) -> None:
    world = World()
    shop = await _approved(world)
    with refused(code):
        await validate_deposit_payment(
            world.svc, shop_id=shop.id, payer_id=payer, amount=shop.deposit.amount + amount_delta, currency="XTR"
        )


async def test_the_approval_lapses_when_the_deposit_deadline_passes() -> None:
    world = World()
    shop = await _approved(world)
    world.clock.advance(world.policy.deadlines.deposit - timedelta(seconds=1))
    assert await expire_shop_deposit(world.svc, shop.id) is False
    with refused(ErrorCode.PAYMENT_EXPIRED):
        world.clock.advance(timedelta(seconds=1))
        await validate_deposit_payment(world.svc, shop_id=shop.id, payer_id=MERCHANT, amount=5000, currency="XTR")

    assert await expire_shop_deposit(world.svc, shop.id) is True
    assert await expire_shop_deposit(world.svc, shop.id) is False  # a second sweep does nothing
    assert world.shop(shop.id).status is ShopStatus.EXPIRED
    assert world.sent(MERCHANT).count("notify.shop.expired") == 1
    event = world.audit("shop", shop.id)[-1]
    assert (event.dst, event.actor_role) == ("expired", ActorRole.SYSTEM)
    # and the owner may apply again
    assert (await _apply(world)).id == shop.id


# --- admin actions on open shops -----------------------------------------------------------------------------------


async def test_suspend_and_reinstate_tell_the_merchant_the_reason() -> None:
    world = World()
    shop = world.add_shop()
    suspended = await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Fake goods")
    assert (suspended.status, suspended.suspend_reason) == (ShopStatus.SUSPENDED, "Fake goods")
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="again")
    reinstated = await reinstate_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Appeal upheld")
    assert (reinstated.status, reinstated.suspend_reason) == (ShopStatus.ACTIVE, "")
    assert world.sent(MERCHANT) == ["notify.shop.suspended", "notify.shop.reinstated"]


async def test_merchants_cannot_suspend_or_close_shops() -> None:
    world = World()
    shop = world.add_shop()
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await suspend_shop(world.svc, actor=Actor.merchant(MERCHANT), shop_id=shop.id, reason="x")
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await close_shop(world.svc, actor=Actor.admin(MERCHANT), shop_id=shop.id, reason="x")


async def test_closing_a_shop_with_open_orders_needs_force_which_cancels_and_refunds_them() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop, stock=10)
    unpaid = await world.buy(tea, 2, buyer=BUYER)
    paid = await world.paid_order(tea, 3, buyer=OTHER_BUYER)

    with refused_unchanged(world, ErrorCode.SHOP_HAS_OPEN_ORDERS):
        await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Fraud")

    closed = await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Fraud", force=True)

    assert closed.status is ShopStatus.CLOSED
    assert world.order(unpaid.id).status is world.order(paid.id).status is OrderStatus.CANCELLED
    assert world.product(tea.id).stock == 10
    (refund,) = world.refunds()
    assert (refund.order_id, refund.amount) == (paid.id, paid.total)
    assert "notify.order.cancelled.shop_closed_unpaid" in world.sent(BUYER)
    assert "notify.order.cancelled.shop_closed" in world.sent(OTHER_BUYER)
    assert world.sent(MERCHANT)[-2:] == ["notify.shop.closed", "@commands"]  # and the merchant menu goes


async def test_a_closed_shop_takes_no_more_orders() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop)
    await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="Owner retired")
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await world.buy(tea)
