"""What buyers, merchants, admins and the deadline sweeper see when they list, search and browse."""

from __future__ import annotations

from datetime import timedelta

from domain.orders import OrderStatus
from domain.shops import ShopStatus
from domain.tickets import Ticket, TicketKind, TicketReason, TicketStatus
from domain.users import AddressSnapshot
from tests.contract.store import Store
from tests.integration import builders as b

OTHER_MERCHANT = 7_000_000_003


async def _second_shop(store: Store, status: ShopStatus) -> int:
    async with store.uow() as uow:
        await uow.users.add(b.user(OTHER_MERCHANT))
        other = await uow.shops.add(b.shop(OTHER_MERCHANT, name="Suspended store", status=status))
        await uow.commit()
    return other.id


async def test_browse_and_categories_show_only_active_products_of_active_shops(store: Store) -> None:
    # given an active shop with two active products and a hidden one, and a suspended shop's product
    world = await b.seed(store, category="phones", created_at=b.T0)
    newer = await b.seed_product(store, world.shop_id, category="phones", created_at=b.T0 + timedelta(hours=1))
    case = await b.seed_product(store, world.shop_id, category="cases", created_at=b.T0 + timedelta(hours=2))
    await b.seed_product(store, world.shop_id, category="phones", active=False)
    suspended = await _second_shop(store, ShopStatus.SUSPENDED)
    await b.seed_product(store, suspended, category="phones")

    async with store.uow(read_only=True) as uow:
        # then buyers see only what they can buy, newest first
        assert [p.id for p in await uow.products.browse()] == [case.id, newer.id, world.product_id]
        assert [p.id for p in await uow.products.browse(category="phones")] == [newer.id, world.product_id]
        assert [p.id for p in await uow.products.browse(offset=1, limit=1)] == [newer.id]
        assert await uow.products.browse(shop_id=suspended) == []
        assert await uow.products.count_browse() == 3
        assert await uow.products.count_browse(category="phones", shop_id=world.shop_id) == 2
        assert await uow.products.categories() == [("phones", 2), ("cases", 1)]
        # while the merchant sees every product of the shop
        assert await uow.products.count_for_shop(world.shop_id) == 4
        assert len(await uow.products.for_shop(world.shop_id, limit=10)) == 4


async def test_search_needs_every_word_and_ranks_title_then_brand_then_description(store: Store) -> None:
    world = await b.seed(store, title="Power bank", brand="Anker", description="charges a phone", sales_count=0)
    in_title = await b.seed_product(
        store, world.shop_id, title="Xiaomi PHONE 14 手机", brand="Xiaomi", description="", sales_count=1
    )
    in_brand = await b.seed_product(store, world.shop_id, title="Case", brand="PhoneCo", description="", sales_count=9)
    best_seller = await b.seed_product(
        store, world.shop_id, title="华为手机 phone", brand="Huawei", description="", sales_count=50
    )
    await b.seed_product(store, world.shop_id, title="Phone stand", active=False)
    await b.seed_product(store, world.shop_id, title="100% cotton", brand="", description="")

    async with store.uow(read_only=True) as uow:
        found = await uow.products.search(["phone"])
        assert [p.id for p in found] == [best_seller.id, in_title.id, in_brand.id, world.product_id]
        assert await uow.products.count_search(["phone"]) == 4
        assert [p.id for p in await uow.products.search(["手机"])] == [best_seller.id, in_title.id]
        assert [p.id for p in await uow.products.search(["PHONE", "xiaomi"])] == [in_title.id]
        assert [p.id for p in await uow.products.search(["phone"], offset=1, limit=2)] == [in_title.id, in_brand.id]
        assert await uow.products.search(["phone", "nothing-like-this"]) == []
        assert await uow.products.count_search(["%"]) == 1  # a literal percent sign, not a wildcard
        assert await uow.products.search(["  "]) == []


async def test_deadlines_come_due_oldest_first(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        ids = []
        for minutes in (30, 10, 20):
            due = b.T0 + timedelta(minutes=minutes)
            placed = await uow.orders.add(
                b.order(b.BUYER_ID, world.shop_id, world.product_id, deadline_at=due, reminder_at=due)
            )
            ids.append(placed.id)
        await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, deadline_at=None, reminder_at=None))
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID))
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        assert await uow.orders.due(b.T0 + timedelta(minutes=25), 10) == [ids[1], ids[2]]
        assert await uow.orders.due(b.T0 + timedelta(hours=1), 2) == [ids[1], ids[2]]
        assert await uow.orders.reminders_due(b.T0 + timedelta(minutes=15), 10) == [ids[1]]
        assert await uow.orders.due(b.T0, 10) == []
        assert await uow.group_buys.due(b.T0 + timedelta(days=1), 10) == [group.id]
        assert await uow.group_buys.reminders_due(b.T0 + timedelta(hours=22), 10) == [group.id]
        assert await uow.group_buys.reminders_due(b.T0 + timedelta(hours=21), 10) == []
        assert await uow.shops.due(b.T0 + timedelta(days=7), 10) == [world.shop_id]


async def test_orders_listed_for_buyer_shop_and_group(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID))
        first = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, group_buy_id=group.id))
        second = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, status=OrderStatus.PAID))
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        assert [o.id for o in await uow.orders.for_buyer(b.BUYER_ID)] == [second.id, first.id]
        assert [o.id for o in await uow.orders.for_buyer(b.BUYER_ID, statuses=[OrderStatus.PAID])] == [second.id]
        assert await uow.orders.count_for_buyer(b.BUYER_ID) == 2
        assert await uow.orders.count_for_buyer(b.MERCHANT_ID) == 0
        assert [o.id for o in await uow.orders.for_shop(world.shop_id, offset=1)] == [first.id]
        assert await uow.orders.count_for_shop(world.shop_id, statuses=[OrderStatus.PENDING_PAYMENT]) == 1
        in_group = await uow.orders.in_group(group.id)
        assert [o.id for o in in_group] == [first.id]
        assert len(in_group[0].lines) == 2  # lines come with orders listed in bulk too
        assert [g.id for g in await uow.group_buys.open_for_product(world.product_id)] == [group.id]


async def test_shops_for_owner_and_admin_lists(store: Store) -> None:
    async with store.uow() as uow:
        await uow.users.add(b.user(b.MERCHANT_ID))
        rejected = await uow.shops.add(b.shop(status=ShopStatus.REJECTED, name="First try"))
        pending = await uow.shops.add(b.shop(status=ShopStatus.PENDING_REVIEW, name="Second 100%"))
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        assert (await uow.shops.live_for_owner(b.MERCHANT_ID)).id == pending.id
        assert (await uow.shops.latest_for_owner(b.MERCHANT_ID)).id == pending.id
        assert await uow.shops.live_for_owner(b.BUYER_ID) is None
        assert [s.id for s in await uow.shops.list()] == [rejected.id, pending.id]
        assert [s.id for s in await uow.shops.list(statuses=[ShopStatus.REJECTED])] == [rejected.id]
        assert [s.id for s in await uow.shops.list(query="SECOND")] == [pending.id]
        assert await uow.shops.count(query="100%") == 1
        assert await uow.shops.count(query="%") == 1
        assert await uow.shops.count(statuses=[ShopStatus.ACTIVE]) == 0


async def test_tickets_listed_for_order_shop_buyer_and_admin_queue(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        tickets = []
        for status in (TicketStatus.ESCALATED, TicketStatus.REQUESTED, TicketStatus.ESCALATED):
            ticket = Ticket(
                0, placed.id, b.BUYER_ID, world.shop_id, TicketKind.COMPLAINT, TicketReason.OTHER, "?", status, b.T0
            )
            ticket.deadline_at = b.T0 + timedelta(hours=len(tickets))
            tickets.append(await uow.tickets.add(ticket))
        await uow.commit()
    first, second, third = (t.id for t in tickets)

    async with store.uow(read_only=True) as uow:
        assert [t.id for t in await uow.tickets.for_order(placed.id)] == [first, second, third]
        assert [t.id for t in await uow.tickets.for_buyer(b.BUYER_ID, limit=2)] == [third, second]
        assert [t.id for t in await uow.tickets.for_shop(world.shop_id, statuses=[TicketStatus.REQUESTED])] == [second]
        assert [t.id for t in await uow.tickets.with_status([TicketStatus.ESCALATED])] == [first, third]
        assert await uow.tickets.count(shop_id=world.shop_id) == 3
        assert await uow.tickets.count(statuses=[TicketStatus.ESCALATED]) == 2
        assert await uow.tickets.count(shop_id=world.shop_id + 1) == 0
        assert await uow.tickets.due(b.T0 + timedelta(hours=1), 10) == [first, second]


async def test_orders_delivered_to_given_phones_or_addresses_are_found_newest_first(store: Store) -> None:
    # given a shop's orders to three addresses, and one of another shop to the first phone
    world = await b.seed(store)
    other_shop = await _second_shop(store, ShopStatus.ACTIVE)
    home = AddressSnapshot("Wang", "+8613911112222", "1 Home Road")
    office = AddressSnapshot("Wang", "+8613933334444", "2 Office Road")
    stranger = AddressSnapshot("Li", "+8613955556666", "3 Far Road")
    async with store.uow() as uow:
        to_home = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, address=home))
        to_office = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, address=office))
        await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, address=stranger))
        await uow.orders.add(b.order(b.BUYER_ID, other_shop, world.product_id, address=home))
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        # then a phone or an address text matches (exactly), within the shop, newest first
        found = await uow.orders.delivered_to(world.shop_id, phones=[home.phone], texts=[office.text])
        assert [order.id for order in found] == [to_office.id, to_home.id]
        assert [o.id for o in await uow.orders.delivered_to(world.shop_id, phones=[home.phone], texts=[], limit=1)] == [
            to_home.id
        ]
        assert await uow.orders.delivered_to(world.shop_id, phones=["+8610000000"], texts=["1 home road"]) == []
        assert await uow.orders.delivered_to(world.shop_id, phones=[], texts=[]) == []
