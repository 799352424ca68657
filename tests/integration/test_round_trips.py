"""Every aggregate comes back from storage exactly as it was saved: money, aware UTC times, lists, child rows."""

from __future__ import annotations

from datetime import UTC, timedelta
from functools import partial

from domain.events import ActorRole, StateChanged
from domain.group_buys import GroupBuyStatus
from domain.money import Money
from domain.notifications import Button, Notification, OutboxStatus
from domain.orders import OrderLine, OrderStatus, TrackingEvent
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.products import CartItem
from domain.promotions import PromotionKind, PromotionStatus, SpendTier
from domain.reviews import Review
from domain.shops import ShopStatus
from domain.tickets import TicketKind, TicketMessage, TicketReason, TicketStatus
from domain.users import Address, Language
from storage.database import Database
from tests.integration import builders as b


def assert_utc(*values: object) -> None:
    for value in values:
        assert value is None or (value.utcoffset() == timedelta(0) and value.tzinfo is UTC), value


async def test_user_round_trip_keeps_big_telegram_ids_and_returns_utc(database: Database) -> None:
    # given a user whose sign-up time was recorded in Beijing time
    original = b.user(b.BUYER_ID)
    async with database.uow() as uow:
        await uow.users.add(original)
        await uow.commit()

    # when it is read back
    async with database.uow(read_only=True) as uow:
        loaded = await uow.users.get(b.BUYER_ID)

    # then every field matches and the time is the same instant, in UTC
    assert loaded == original
    assert_utc(loaded.created_at)


async def test_user_changes_and_appointed_admins(database: Database) -> None:
    async with database.uow() as uow:
        await uow.users.add(b.user(1))
        await uow.users.add(b.user(2, username=None))
        await uow.commit()

    async with database.uow() as uow:
        user = await uow.users.get(2)
        user.is_admin, user.language, user.unreachable = True, Language.EN, True
        user.default_address_id, user.welcomed_at = 12, b.T0
        await uow.users.save(user)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert [u.id for u in await uow.users.appointed_admins()] == [2]
        loaded = await uow.users.get(2)
        assert (loaded.is_admin, loaded.language, loaded.unreachable, loaded.username) == (True, "en", True, None)
        assert (loaded.default_address_id, loaded.welcomed_at) == (12, b.T0)
        assert loaded.version == 1
        assert await uow.users.get(3) is None


async def test_addresses(database: Database) -> None:
    await b.seed(database)
    async with database.uow() as uow:
        home = await uow.addresses.add(Address(0, b.BUYER_ID, "王伟", "+86 139", "北京市", created_at=b.T0))
        work = await uow.addresses.add(Address(0, b.BUYER_ID, "Wang", "+86 138", "Office", created_at=b.T0))
        await uow.commit()

    async with database.uow() as uow:
        assert [a.text for a in await uow.addresses.list_for(b.BUYER_ID)] == ["北京市", "Office"]
        assert (await uow.addresses.get(home.id)) == home
        assert (await uow.addresses.get(home.id)).created_at == b.T0
        await uow.addresses.delete(work.id)
        home.name, home.phone, home.text = "王伟伟", "+8613900000000", "北京市朝阳区建国路 88 号"
        await uow.addresses.save(home)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.addresses.list_for(b.BUYER_ID) == [home]


async def test_shop_round_trip_with_and_without_optional_values(database: Database) -> None:
    async with database.uow() as uow:
        await uow.users.add(b.user(b.MERCHANT_ID))
        full = await uow.shops.add(b.shop())
        bare = await uow.shops.add(
            b.shop(
                status=ShopStatus.PENDING_REVIEW,
                documents=[],
                agreement_accepted_at=None,
                decided_at=None,
                decided_by=None,
                deadline_at=None,
                deposit_paid_at=None,
                deposit_balance=None,
                warned_at=None,
                reject_reason="",
            )
        )
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        loaded_full = await uow.shops.get(full.id)
        loaded_bare = await uow.shops.get(bare.id)

    assert full.id != bare.id
    assert loaded_full == full
    assert loaded_bare == bare
    assert loaded_full.deposit_balance == Money(9_500, "XTR")
    assert_utc(loaded_full.created_at, loaded_full.deadline_at, loaded_full.warned_at)


async def test_product_round_trip_and_get_many(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        plain = await uow.products.add(
            b.product(world.shop_id, title="Plain", group_price=None, group_size=None, photos=[], active=False)
        )
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        first = await uow.products.get(world.product_id)
        many = await uow.products.get_many([world.product_id, plain.id, 999_999])

    assert first == b.product(world.shop_id, id=world.product_id)
    assert many == {world.product_id: first, plain.id: plain}
    assert many[plain.id].group_price is None


async def test_the_cheapest_product_on_sale_is_found_for_the_whole_shop_floor(database: Database) -> None:
    world = await b.seed(database)  # the phone, 3,999.00
    async with database.uow(read_only=True) as uow:
        assert (await uow.products.cheapest_on_sale(world.shop_id)).id == world.product_id
    cny = partial(Money, currency="CNY")
    await b.seed_product(database, world.shop_id, title="Old case", price=cny(500), active=False)
    first = await b.seed_product(database, world.shop_id, title="Case", price=cny(1_000))
    await b.seed_product(database, world.shop_id, title="Other case", price=cny(1_000))
    async with database.uow(read_only=True) as uow:
        assert (await uow.products.cheapest_on_sale(world.shop_id)).id == first.id  # on sale, lowest id on a tie
        assert await uow.products.cheapest_on_sale(world.shop_id + 1) is None


async def test_cart_put_updates_an_existing_item(database: Database) -> None:
    world = await b.seed(database)
    second = (await b.seed_product(database, world.shop_id, title="Second")).id
    async with database.uow() as uow:
        await uow.carts.put(CartItem(b.BUYER_ID, world.product_id, 1, b.T0))
        await uow.carts.put(CartItem(b.BUYER_ID, second, 1, b.T0 + timedelta(minutes=1)))
        await uow.carts.put(CartItem(b.BUYER_ID, world.product_id, 3, b.T0))
        await uow.commit()

    async with database.uow() as uow:
        assert await uow.carts.items(b.BUYER_ID) == [
            CartItem(b.BUYER_ID, world.product_id, 3, b.T0),
            CartItem(b.BUYER_ID, second, 1, b.T0 + timedelta(minutes=1)),
        ]
        assert await uow.carts.get(b.BUYER_ID, second) == CartItem(b.BUYER_ID, second, 1, b.T0 + timedelta(minutes=1))
        await uow.carts.remove(b.BUYER_ID, second)
        assert [i.product_id for i in await uow.carts.items(b.BUYER_ID)] == [world.product_id]
        await uow.carts.clear(b.BUYER_ID)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.carts.items(b.BUYER_ID) == []
        assert await uow.carts.get(b.BUYER_ID, world.product_id) is None


async def test_order_round_trip_with_lines_adjustments_and_tracking(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.orders.get(placed.id, for_update=True)
        assert loaded == placed
        assert loaded.lines[0].unit_price == Money(399_900, "CNY")
        assert loaded.adjustments[1].product_id == world.product_id

        # when it is paid, shipped and its lines change, and tracking is added
        loaded.transition_to(OrderStatus.PAID, actor=b.buyer_actor(), at=b.T0)
        loaded.lines = [OrderLine(world.product_id, "小米手机 14", Money(399_900, "CNY"), 1, Money(419_900, "CNY"))]
        loaded.paid_at, loaded.payment_charge_id, loaded.carrier = b.T0, "charge-1", "顺丰"
        await uow.orders.save(loaded)
        arrived = TrackingEvent(placed.id, b.T0 + timedelta(hours=5), "到达北京", "sf", "in_transit")
        await uow.orders.add_tracking(arrived)
        await uow.orders.add_tracking(TrackingEvent(placed.id, b.T0 + timedelta(hours=1), "Picked up", "manual"))
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        again = await uow.orders.get(placed.id)
        tracking = await uow.orders.tracking(placed.id)

    assert again == loaded
    assert again.version == 1
    assert len(again.lines) == 1 and again.lines[0].list_price == Money(419_900, "CNY")
    assert [t.text for t in tracking] == ["Picked up", "到达北京"]
    assert tracking[1] == arrived
    assert_utc(again.paid_at, again.deadline_at, tracking[0].at)


async def test_group_buy_round_trip(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID))
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.group_buys.get(group.id)
        assert loaded == group
        loaded.transition_to(GroupBuyStatus.FAILED, actor=b.system(), at=b.T0 + timedelta(days=1))
        loaded.completed_at, loaded.deadline_at, loaded.reminder_at = b.T0, None, None
        await uow.group_buys.save(loaded)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.group_buys.get(group.id) == loaded


async def test_ticket_round_trip_keeps_messages_in_order(database: Database) -> None:
    world = await b.seed(database)
    opening = TicketMessage(b.BUYER_ID, ActorRole.BUYER, "屏幕碎了", b.T0, photos=("crack-1", "crack-2"))
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        ticket = await uow.tickets.add(
            b.ticket(
                placed.id,
                world.shop_id,
                kind=TicketKind.RETURN_REFUND,
                reason=TicketReason.DAMAGED,
                text="Screen broken",
                photos=["crack-1"],
                messages=[opening],
                deadline_at=b.T0 + timedelta(hours=48),
            )
        )
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.tickets.get(ticket.id)
        assert loaded == ticket
        reply = TicketMessage(b.MERCHANT_ID, ActorRole.MERCHANT, "请寄回", b.T0 + timedelta(hours=1))
        loaded.messages.append(reply)
        loaded.transition_to(TicketStatus.APPROVED, actor=b.system(), at=b.T0 + timedelta(hours=1))
        loaded.return_carrier, loaded.resolution, loaded.resolved_at = "EMS", "approved", b.T0
        await uow.tickets.save(loaded)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        again = await uow.tickets.get(ticket.id)
    assert again == loaded
    assert again.messages == [opening, reply]
    assert again.messages[0].photos == ("crack-1", "crack-2")


async def test_review_round_trip_reply_and_scores(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        first = await uow.reviews.add(
            Review(0, placed.id, world.product_id, b.BUYER_ID, world.shop_id, 5, 4, 3, "不错", b.T0, photos=["p"])
        )
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.reviews.get(first.id)
        assert loaded == first
        loaded.reply, loaded.replied_at = "谢谢", b.T0 + timedelta(days=1)
        await uow.reviews.save(loaded)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.reviews.get(first.id) == loaded
        assert await uow.reviews.exists(placed.id, world.product_id)
        assert not await uow.reviews.exists(placed.id, world.product_id + 1)
        assert await uow.reviews.for_product(world.product_id) == [loaded]
        assert await uow.reviews.for_shop(world.shop_id) == [loaded]
        assert await uow.reviews.product_scores(world.product_id) == (1, 4.0)
        assert await uow.reviews.shop_scores(world.shop_id) == (1, 4.0)
        assert await uow.reviews.shop_scores(world.shop_id, since=b.T0 + timedelta(seconds=1)) == (0, None)
        assert await uow.reviews.product_scores(world.product_id + 1) == (0, None)


async def test_promotions_round_trip_and_per_shop_lists(database: Database) -> None:
    world = await b.seed(database)
    flash = b.promotion(world.shop_id, product_id=world.product_id, percent_off=None, amount_off=Money(5_000, "CNY"))
    spend = b.promotion(
        world.shop_id,
        kind=PromotionKind.SPEND_OFF,
        name="满减",
        ends_at=b.T0 + timedelta(days=7),
        tiers=[
            SpendTier(Money(10_000, "CNY"), Money(1_000, "CNY")),
            SpendTier(Money(20_000, "CNY"), Money(3_000, "CNY")),
        ],
    )
    async with database.uow() as uow:
        await uow.promotions.add(flash)
        await uow.promotions.add(spend)
        await uow.commit()

    async with database.uow() as uow:
        assert await uow.promotions.get(flash.id) == flash
        assert await uow.promotions.get(spend.id) == spend
        spend.transition_to(PromotionStatus.ENDED, actor=b.system(), at=b.T0)
        await uow.promotions.save(spend)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.promotions.for_shop(world.shop_id) == [flash]
        assert await uow.promotions.for_shop(world.shop_id, include_ended=True) == [flash, spend]
        assert await uow.promotions.for_shops([world.shop_id, 999]) == {world.shop_id: [flash], 999: []}


async def test_payments_and_refunds(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        payment = Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, Money(780_800, "CNY"), "tg-charge-1", b.T0, placed.id)
        assert await uow.payments.record(payment)
        refund = await uow.payments.add_refund(
            Refund.of_payment(
                payment, reason="group_failed", method=RefundMethod.STARS, status=RefundStatus.PENDING, at=b.T0
            )
        )
        await uow.commit()

    async with database.uow() as uow:
        assert payment.id > 0
        assert await uow.payments.by_charge_id("tg-charge-1") == payment
        assert await uow.payments.for_order(placed.id) == payment
        assert await uow.payments.pending_refunds(10) == [refund]
        refund.status, refund.done_at, refund.attempts, refund.error = RefundStatus.DONE, b.T0, 2, "retried"
        await uow.payments.save_refund(refund)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.payments.refunds_for_order(placed.id) == [refund]
        assert await uow.payments.pending_refunds(10) == []
        assert await uow.payments.by_charge_id("unknown") is None


async def test_outbox_keeps_buttons_photo_and_document(database: Database, clock) -> None:
    chart = bytes(range(256))
    note = Notification(
        chat_id=b.BUYER_ID,
        key="order.paid",
        dedupe_key="order:1:paid",
        args={"order_id": 1, "title": "小米 <b>", "amount": "¥7,808.00"},
        buttons=((Button("btn.view", data="o1:v:1"), Button("btn.site", url="https://example.org", args={"n": 1})),),
        photo="photo-file-id",
        document=chart,
    )
    async with database.uow() as uow:
        assert await uow.outbox.add(note)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        [message] = await uow.outbox.pending(clock.now(), 10)
        assert message.notification == note
        assert (message.status, message.attempts, message.created_at) == (OutboxStatus.PENDING, 0, clock.now())
        assert await uow.outbox.get(message.id) == message


async def test_audit_log_lists_by_entity_and_recent_by_role(database: Database) -> None:
    events = [
        StateChanged("order", 1, "paid", "accepted", b.MERCHANT_ID, ActorRole.MERCHANT, b.T0, "", {"n": 1}),
        StateChanged("order", 1, "pending_payment", "paid", b.BUYER_ID, ActorRole.BUYER, b.T0 - timedelta(minutes=1)),
        StateChanged("shop", 1, "active", "suspended", 42, ActorRole.ADMIN, b.T0 + timedelta(minutes=1), "fraud"),
    ]
    async with database.uow() as uow:
        await uow.audit.append(events)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.audit.for_entity("order", 1) == [events[1], events[0]]
        assert await uow.audit.recent() == [events[2], events[0], events[1]]
        assert await uow.audit.recent(actor_roles=["admin"]) == [events[2]]
        assert await uow.audit.recent(offset=1, limit=1) == [events[0]]


async def test_conversation_state_is_replaced_and_cleared(database: Database) -> None:
    async with database.uow() as uow:
        await uow.conversations.put(b.BUYER_ID, "apply_shop", "name", {})
        await uow.conversations.put(b.BUYER_ID, "apply_shop", "phone", {"name": "小店", "docs": ["a", "b"]})
        await uow.commit()

    async with database.uow() as uow:
        assert await uow.conversations.get(b.BUYER_ID) == ("apply_shop", "phone", {"name": "小店", "docs": ["a", "b"]})
        assert await uow.conversations.get(b.MERCHANT_ID) is None
        await uow.conversations.clear(b.BUYER_ID)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert await uow.conversations.get(b.BUYER_ID) is None


async def test_events_recorded_before_add_are_filed_under_the_new_id(database: Database) -> None:
    world = await b.seed(database)
    draft = b.order(b.BUYER_ID, world.shop_id, world.product_id)
    draft.transition_to(OrderStatus.PAID, actor=b.buyer_actor(), at=b.T0)
    async with database.uow() as uow:
        await uow.orders.add(draft)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        [event] = await uow.audit.for_entity("order", draft.id)
    assert (event.src, event.dst, event.actor_id, event.at) == ("pending_payment", "paid", b.BUYER_ID, b.T0)
    assert draft.events == []


async def test_event_data_is_kept_as_json(database: Database) -> None:
    data = {"deadline": b.T0, "refund": Money(5, "XTR"), "note": "超时"}
    async with database.uow() as uow:
        await uow.audit.append([StateChanged("order", 2, "paid", "cancelled", None, ActorRole.SYSTEM, b.T0, "", data)])
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        [stored] = await uow.audit.for_entity("order", 2)
    # times come back as ISO text and small value objects as their fields
    assert stored.data == {"deadline": b.T0.isoformat(), "refund": {"amount": 5, "currency": "XTR"}, "note": "超时"}
