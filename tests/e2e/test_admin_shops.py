"""Admins disciplining shops: suspend (the buyer can no longer buy) and reinstate; the evaluation suspending a shop
that never ships; the platform's stats and the audit trail of it all."""

from __future__ import annotations

from datetime import timedelta

from domain.events import Actor
from domain.shops import Shop, ShopStatus
from domain.usecases.addresses import add_address
from domain.usecases.orders_placing import buy_now
from domain.users import AddressSnapshot
from tests.e2e import admin_steps, factories
from tests.e2e.admin_steps import ADA, ALICE, BOB, status_of
from tests.e2e.buyer_steps import alerts, find, labels, last, paid_order, registered, text_of
from tests.e2e.harness import Stack

stack = admin_steps.stack  # the quicker stack (see admin_steps)


async def open_shop_page(stack: Stack, shop: Shop) -> None:
    await stack.settle()  # notices already due (the shop's application) reach Ada before the page she opens
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🏪 Shops")
    await stack.press(ADA, f"#{shop.id} {shop.name}")


async def bobs_mango(stack: Stack, *, paid_orders: int = 0) -> Shop:
    """Bob's active shop selling a mango at 120 ⭐, and ``paid_orders`` paid orders of Alice for it."""
    bob = await factories.active_shop(stack)
    mango = await factories.product(stack, bob, title="Sweet mango", price=120)
    for _ in range(paid_orders):
        await paid_order(stack, mango, buyer=ALICE)
    return bob


async def test_a_suspended_shop_cannot_sell_until_it_is_reinstated(stack: Stack) -> None:
    bob = await factories.active_shop(stack)
    mango = await factories.product(stack, bob, title="Sweet mango", price=120)
    await stack.say(ALICE, f"/start p{mango.id}")
    product_page = await last(stack, ALICE)
    assert "🛒 Add to cart" in labels(product_page)

    # Ada suspends Bob's shop with a preset reason
    await open_shop_page(stack, bob)
    await stack.press(ADA, "⛔ Suspend")
    await stack.press(ADA, "Orders not shipped on time")
    assert "is suspended" in await stack.last_text(ADA)
    assert "Orders not shipped on time" in text_of(await find(stack, BOB, "has been suspended"))

    # Alice, on the page she already had open, is refused; searching no longer finds the mango
    await stack.press(ALICE, "🛒 Add to cart", message_id=product_page["message_id"])
    assert "not open for business" in (await alerts(stack, ALICE))[-1]
    assert "Sweet mango" not in await stack.answer(ALICE, "/search mango")

    # Ada reinstates it (confirmed first); Alice can buy again
    await stack.press(ADA, "🏪 Open the shop's page")
    await stack.press(ADA, "✅ Reinstate")
    await stack.press(ADA, "✅ Yes, reinstate it")
    assert "open for business again" in await stack.last_text(ADA)
    assert "open for business again" in text_of(await find(stack, BOB, "open for business again"))
    await stack.press(ALICE, "🛒 Add to cart", message_id=product_page["message_id"])
    assert "not open for business" not in (await alerts(stack, ALICE))[-1]
    assert await status_of(stack, bob) is ShopStatus.ACTIVE


async def test_the_evaluation_suspends_a_shop_that_never_ships(stack: Stack) -> None:
    bob = await bobs_mango(stack, paid_orders=3)
    await stack.advance(stack.svc.policy.deadlines.ship + timedelta(minutes=1))  # all three time out unshipped

    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🩺 Shop evaluation")
    await stack.press(ADA, "▶️ Run it now")

    report = text_of(await find(stack, ADA, "Evaluation done"))
    assert "Suspended: 1" in report and f"#{bob.id} Bob's Fruit: 35 ⛔ suspended" in report
    assert "scored 35/100" in text_of(await find(stack, BOB, "has been suspended"))
    assert "The shop evaluation suspended" in text_of(await find(stack, ADA, "The shop evaluation suspended"))
    assert await status_of(stack, bob) is ShopStatus.SUSPENDED

    await stack.press(ADA, f"🏪 #{bob.id} Bob's Fruit")
    page = text_of(await find(stack, ADA, "Score:"))
    assert "Score: 35/100" in page and "Late or cancelled shipments: 3 of 3 (−40)" in page
    assert "Refunded orders: 3 of 3 (−25)" in page


async def test_platform_stats_with_a_chart_and_the_audit_trail(stack: Stack) -> None:
    bob = await bobs_mango(stack, paid_orders=1)

    await stack.say(ADA, "/admin")
    await stack.press(ADA, "📊 Platform stats")
    chart = await last(stack, ADA)
    assert chart.get("photo") and "GMV per day" in text_of(chart)
    figures = (await stack.texts(ADA))[-2]
    assert "Active: 1" in figures and "Orders paid: 1 · GMV: 120 ⭐" in figures

    await stack.press(ADA, "🏠 Admin menu")
    await stack.press(ADA, "📜 Audit log")
    audit = await stack.last_text(ADA)
    assert f"Admin Ada (@ada_admin) approved {bob.name}" in audit  # in words, not states
    assert "pending_review" not in audit and "awaiting_deposit" not in audit


async def test_closing_a_shop_with_open_orders_takes_a_second_confirmation(stack: Stack) -> None:
    bob = await bobs_mango(stack, paid_orders=1)

    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🔎 Find a shop")
    await stack.say(ADA, "fruit")
    await stack.press(ADA, f"#{bob.id} Bob's Fruit")
    await stack.press(ADA, "🔒 Close")
    assert "Open orders: 1" in await stack.last_text(ADA)
    await stack.press(ADA, "🔒 Yes, close it for good")
    assert "still has 1 open order" in await stack.last_text(ADA)
    assert await status_of(stack, bob) is ShopStatus.ACTIVE  # nothing happened yet

    await stack.press(ADA, "🔒 Cancel and refund them, then close")
    assert "unshipped orders were cancelled and are being refunded" in text_of(await find(stack, ADA, "is closed"))
    assert "has closed" in text_of(await find(stack, ALICE, "has closed"))
    assert "has been closed" in text_of(await find(stack, BOB, "has been closed"))
    assert await status_of(stack, bob) is ShopStatus.CLOSED


async def test_the_shop_page_flags_orders_sent_to_the_merchants_own_phone_or_address(stack: Stack) -> None:
    # Given Bob's shop (contact phone +8613900000000) and a saved address of his own
    bob = await factories.active_shop(stack)
    mango = await factories.product(stack, bob, title="Sweet mango", price=120)
    bobs_home = await add_address(
        stack.svc, actor=Actor.buyer(BOB), name="Bob", phone="+8613711112222", text="9 Orchard Lane"
    )
    # and three orders: one to his contact phone, one to his home address, one to a stranger elsewhere
    await registered(stack, ALICE)
    sent_to = [
        AddressSnapshot("Alice", bob.contact_phone, "1 Nanjing Road"),
        AddressSnapshot("Alice", "+8613800000001", bobs_home.text),
        AddressSnapshot("Alice", "+8613800000002", "3 Other Street"),
    ]
    orders = [
        await buy_now(stack.svc, actor=Actor.buyer(ALICE), product_id=mango.id, address=address) for address in sent_to
    ]

    # When Ada opens the shop's page
    await open_shop_page(stack, bob)

    # Then the two orders sent to Bob himself are flagged, the stranger's is not
    page = await stack.last_text(ADA)
    assert "Possible self-dealing" in page
    assert f"Order #{orders[0].id} " in page and f"Order #{orders[1].id} " in page
    assert f"Order #{orders[2].id} " not in page


async def shop_list_item(stack: Stack, shop: Shop) -> str:
    """The shop's button on the admins' shop list."""
    await stack.settle()  # notices already due (the shop's application) reach Ada before the list she opens
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🏪 Shops")
    listing = await find(stack, ADA, "Shops —")
    return next(item for item in labels(listing) if item.startswith(f"#{shop.id} "))


async def test_one_score_on_the_list_the_page_and_the_merchants_dashboard(stack: Stack) -> None:
    bob = await bobs_mango(stack)

    # a new shop is "not rated" everywhere (too few paid orders to judge)
    assert (await shop_list_item(stack, bob)).endswith("· not rated")
    await stack.press(ADA, f"#{bob.id} {bob.name}")
    assert "Score: not rated" in await stack.last_text(ADA)
    assert "Score: not rated" in await stack.answer(BOB, "/shop")

    # three paid orders that all missed their ship-by time: the same 35 on every screen, before any nightly run
    mango = await factories.product(stack, bob, title="Ripe mango", price=90)
    for _ in range(3):
        await paid_order(stack, mango, buyer=ALICE)
    await stack.advance(stack.svc.policy.deadlines.ship + timedelta(minutes=1))
    assert (await shop_list_item(stack, bob)).endswith("· 35/100")
    await stack.press(ADA, f"#{bob.id} {bob.name}")
    assert "Score: 35/100" in await stack.last_text(ADA)
    assert "Score: 35/100" in await stack.answer(BOB, "/shop")
