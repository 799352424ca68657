"""In-memory repositories implementing every Protocol of domain/ports.py over a FakeUnitOfWork's rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.coupons import Coupon, CouponClaim, CouponStatus
from domain.dead_letters import DeadLetter, DeadLetterKind
from domain.events import StateChanged
from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.imports import ImportJob, ImportRowError, ImportStatus
from domain.listing import Listing, ListingView, Sort, in_range, view_key
from domain.notifications import Notification, OutboxMessage, OutboxStatus
from domain.orders import Order, OrderStatus, TrackingEvent
from domain.payments import Payment, Refund, RefundMethod, RefundStatus
from domain.payouts import Payout, PayoutStatus
from domain.pricing import unit_price_now
from domain.products import CartItem, Product
from domain.promotions import Promotion, PromotionStatus
from domain.reviews import Review, ReviewFilter, ReviewSummary, is_low
from domain.shops import LIVE_SHOP_STATUSES, Shop, ShopStatus
from domain.tickets import Ticket, TicketStatus
from domain.users import Address, User

if TYPE_CHECKING:
    from tests.fakes.unit_of_work import FakeUnitOfWork

_CALLBACK = re.compile(r"[A-Za-z0-9_.\-]+(:[A-Za-z0-9_.\-]*)+")


def _page(rows: list[Any], offset: int, limit: int) -> list[Any]:
    return rows[offset : offset + limit]


def _due(rows: list[Any], field: str, now: datetime, limit: int) -> list[int]:
    due = [row for row in rows if getattr(row, field) is not None and getattr(row, field) <= now]
    return [row.id for row in sorted(due, key=lambda row: (getattr(row, field), row.id))][:limit]


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def _read_many(self, table: str, ids: Sequence[int], *, for_update: bool = False) -> dict[int, Any]:
        """Rows by id, each read (and locked) as ``get`` would, in id order; what is missing or skipped is absent."""
        rows = {key: await self.uow.read(table, key, for_update=for_update) for key in sorted(set(ids))}
        return {key: row for key, row in rows.items() if row is not None}


class FakeUsers(_Repo):
    async def get(self, user_id: int) -> User | None:
        return await self.uow.read("users", user_id)

    async def add(self, user: User) -> User:
        return await self.uow.insert("users", user, key=user.id)

    async def save(self, user: User) -> None:
        await self.uow.update("users", user)

    async def appointed_admins(self) -> list[User]:
        return self.uow.select("users", lambda user: user.is_admin)


class FakeAddresses(_Repo):
    async def list_for(self, user_id: int) -> list[Address]:
        return self.uow.select("addresses", lambda address: address.user_id == user_id)

    async def get(self, address_id: int) -> Address | None:
        return await self.uow.read("addresses", address_id)

    async def add(self, address: Address) -> Address:
        return await self.uow.insert("addresses", address)

    async def save(self, address: Address) -> None:
        await self.uow.update("addresses", address)

    async def delete(self, address_id: int) -> None:
        await self.uow.delete("addresses", address_id)


class FakeShops(_Repo):
    async def get(self, shop_id: int, *, for_update: bool = False) -> Shop | None:
        return await self.uow.read("shops", shop_id, for_update=for_update)

    async def get_many(self, shop_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Shop]:
        return await self._read_many("shops", shop_ids, for_update=for_update)

    async def live_for_owner(self, owner_id: int) -> Shop | None:
        live = self.uow.select("shops", lambda s: s.owner_id == owner_id and s.status in LIVE_SHOP_STATUSES)
        return live[-1] if live else None

    async def latest_for_owner(self, owner_id: int) -> Shop | None:
        shops = self.uow.select("shops", lambda shop: shop.owner_id == owner_id)
        return shops[-1] if shops else None

    async def add(self, shop: Shop) -> Shop:
        return await self.uow.insert("shops", shop)

    async def save(self, shop: Shop) -> None:
        await self.uow.update("shops", shop)

    def _matching(self, statuses: Sequence[ShopStatus], query: str) -> list[Shop]:
        needle = query.strip().casefold()
        return self.uow.select(
            "shops", lambda s: (not statuses or s.status in statuses) and needle in s.name.casefold()
        )

    async def list(
        self, *, statuses: Sequence[ShopStatus] = (), query: str = "", offset: int = 0, limit: int = 10
    ) -> list[Shop]:
        return _page(self._matching(statuses, query), offset, limit)

    async def count(self, *, statuses: Sequence[ShopStatus] = (), query: str = "") -> int:
        return len(self._matching(statuses, query))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("shops"), "deadline_at", now, limit)

    async def deposit_returns_due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("shops"), "deposit_return_at", now, limit)

    async def lock_money(self, shop_id: int) -> None:
        self.uow._writable()
        await self.uow.lock("shops", shop_id)  # waits, as SELECT ... FOR UPDATE does


class FakeProducts(_Repo):
    async def get(self, product_id: int) -> Product | None:
        return await self.uow.read("products", product_id)

    async def get_many(self, product_ids: Sequence[int]) -> dict[int, Product]:
        wanted = set(product_ids)
        return {product.id: product for product in self.uow.select("products", lambda p: p.id in wanted)}

    async def add(self, product: Product) -> Product:
        return await self.uow.insert("products", product)

    async def add_many(self, products: Sequence[Product]) -> list[Product]:
        return [await self.add(product) for product in products]

    async def save(self, product: Product) -> None:
        await self.uow.update("products", product)

    async def reserve_stock(self, product_id: int, quantity: int) -> bool:
        def take(product: Product) -> bool:
            if quantity < 1 or product.stock < quantity or not product.active:
                return False
            product.stock -= quantity
            return True

        return await self.uow.change("products", product_id, take)

    async def release_stock(self, product_id: int, quantity: int) -> None:
        def give_back(product: Product) -> bool:
            product.stock += quantity
            return True

        await self.uow.change("products", product_id, give_back)

    async def add_sales(self, product_id: int, quantity: int) -> None:
        def count(product: Product) -> bool:
            product.sales_count = max(product.sales_count + quantity, 0)
            return True

        await self.uow.change("products", product_id, count)

    async def release_stock_many(self, quantities: Mapping[int, int]) -> None:
        for product_id in sorted(quantities):
            await self.release_stock(product_id, quantities[product_id])

    async def add_sales_many(self, quantities: Mapping[int, int]) -> None:
        for product_id in sorted(quantities):
            await self.add_sales(product_id, quantities[product_id])

    def _browsable(self, category: str | None = None, shop_id: int | None = None) -> list[Product]:
        def on_sale(product: Product) -> bool:
            shop = self.uow.visible("shops", product.shop_id)
            return (
                product.active
                and product.parent_id is None
                and shop is not None
                and shop.status is ShopStatus.ACTIVE
                and (category is None or product.category == category)
                and (shop_id is None or product.shop_id == shop_id)
            )

        return sorted(self.uow.select("products", on_sale), key=lambda p: (p.created_at, p.id), reverse=True)

    async def skus(self, product_id: int) -> list[Product]:
        mine = self.uow.select("products", lambda p: p.parent_id == product_id and bool(p.option_values))
        return sorted(mine, key=lambda p: p.id)

    async def sku_stock(self, product_ids: Sequence[int]) -> dict[int, int]:
        totals: dict[int, int] = {}
        for sku in self.uow.select("products", lambda p: p.parent_id in set(product_ids) and p.active):
            assert sku.parent_id is not None
            totals[sku.parent_id] = totals.get(sku.parent_id, 0) + sku.stock
        return totals

    def _in_stock(self, product: Product) -> bool:
        return product.stock > 0 or bool(
            self.uow.select("products", lambda p: p.parent_id == product.id and p.active and p.stock > 0)
        )

    async def browse(
        self, *, category: str | None = None, shop_id: int | None = None, offset: int = 0, limit: int = 10
    ) -> list[Product]:
        return _page(self._browsable(category, shop_id), offset, limit)

    async def count_browse(self, *, category: str | None = None, shop_id: int | None = None) -> int:
        return len(self._browsable(category, shop_id))

    def _listed(self, listing: Listing) -> list[Product]:
        """As storage/ lists (domain/listing.py): every word in the title, brand or description (not the category),
        any case; the filters on the price ``unit_price_now`` gives; the sort, then the highest id."""
        needles = [needle.casefold() for needle in (word.strip() for word in listing.words) if needle]

        def hits(text: str) -> int:
            return sum(needle in text.casefold() for needle in needles)

        def matches(product: Product) -> bool:
            fields = (product.title, product.brand, product.description)
            return all(any(needle in field.casefold() for field in fields) for needle in needles)

        now = self.uow.db.clock.now()
        promotions = self.uow.select("promotions")
        price = {p.id: unit_price_now(p, promotions, now)[0].amount for p in self._browsable()}
        found = [
            p
            for p in self._browsable(listing.category, listing.shop_id)
            if matches(p)
            and (not listing.in_stock or self._in_stock(p))
            and in_range(price[p.id], listing.low, listing.high)
        ]
        keys: dict[Sort, Callable[[Product], tuple[Any, ...]]] = {
            Sort.RELEVANCE: lambda p: (hits(p.title), hits(p.brand), p.sales_count, p.id),
            Sort.SALES: lambda p: (p.sales_count, p.id),
            Sort.PRICE_UP: lambda p: (-price[p.id], p.id),
            Sort.PRICE_DOWN: lambda p: (price[p.id], p.id),
            Sort.NEWEST: lambda p: (p.created_at, p.id),
        }
        return sorted(found, key=keys[listing.sort], reverse=True)

    async def listing(
        self, listing: Listing, *, offset: int = 0, limit: int = 10, candidates: int | None = None
    ) -> list[Product]:
        if candidates is not None and listing.words and listing.sort is Sort.RELEVANCE:
            newest = sorted(self._listed(listing), key=lambda p: p.id, reverse=True)[:candidates]
            ranked = {p.id for p in newest}
            return _page([p for p in self._listed(listing) if p.id in ranked], offset, limit)
        return _page(self._listed(listing), offset, limit)

    async def count_listing(self, listing: Listing, *, at_most: int | None = None) -> int:
        found = len(self._listed(listing))
        return min(found, at_most) if at_most is not None and listing.words else found

    async def search(self, words: Sequence[str], *, offset: int = 0, limit: int = 10) -> list[Product]:
        if not any(word.strip() for word in words):
            return []
        return await self.listing(Listing.of(words=tuple(words)), offset=offset, limit=limit)

    async def count_search(self, words: Sequence[str]) -> int:
        return await self.count_listing(Listing.of(words=tuple(words))) if any(w.strip() for w in words) else 0

    async def categories(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for product in self._browsable():
            if product.category:
                counts[product.category] = counts.get(product.category, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    async def for_shop(self, shop_id: int, *, offset: int = 0, limit: int = 10) -> list[Product]:
        mine = self.uow.select("products", lambda p: p.shop_id == shop_id and p.parent_id is None)
        return _page(sorted(mine, key=lambda p: (p.created_at, p.id), reverse=True), offset, limit)

    async def count_for_shop(self, shop_id: int) -> int:
        return len(self.uow.select("products", lambda p: p.shop_id == shop_id and p.parent_id is None))

    async def cheapest_on_sale(self, shop_id: int) -> Product | None:
        on_sale = self.uow.select("products", lambda p: p.shop_id == shop_id and p.active and p.parent_id is None)
        return min(on_sale, key=lambda product: (product.price.amount, product.id), default=None)


class FakeCarts(_Repo):
    async def items(self, user_id: int) -> list[CartItem]:
        mine = self.uow.select("carts", lambda item: item.user_id == user_id)
        return sorted(mine, key=lambda item: (item.added_at, item.product_id))

    async def get(self, user_id: int, product_id: int) -> CartItem | None:
        return await self.uow.read("carts", (user_id, product_id))

    async def put(self, item: CartItem) -> None:
        key = (item.user_id, item.product_id)
        if self.uow.visible("carts", key) is None:
            await self.uow.insert("carts", item, key=key)
        else:
            await self.uow.update("carts", item, key=key)

    async def remove(self, user_id: int, product_id: int) -> None:
        if self.uow.visible("carts", (user_id, product_id)) is not None:
            await self.uow.delete("carts", (user_id, product_id))

    async def clear(self, user_id: int) -> None:
        for item in await self.items(user_id):
            await self.remove(user_id, item.product_id)


class FakeOrders(_Repo):
    async def get(self, order_id: int, *, for_update: bool = False) -> Order | None:
        return await self.uow.read("orders", order_id, for_update=for_update)

    async def get_many(self, order_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Order]:
        return await self._read_many("orders", order_ids, for_update=for_update)

    async def add(self, order: Order) -> Order:
        return await self.uow.insert("orders", order)

    async def save(self, order: Order) -> None:
        await self.uow.update("orders", order)

    async def save_many(self, orders: Sequence[Order]) -> set[int]:
        saved = set()
        for order in orders:
            await self.uow.lock("orders", order.id)  # as the SQL version reads the versions with a row lock
            current = self.uow.visible("orders", order.id)
            if current is not None and current.version == order.version:
                await self.uow.update("orders", order)
                saved.add(order.id)
        return saved

    def _of(self, field: str, value: int, statuses: Sequence[OrderStatus]) -> list[Order]:
        rows = self.uow.select(
            "orders", lambda o: getattr(o, field) == value and (not statuses or o.status in statuses)
        )
        return sorted(rows, key=lambda order: order.id, reverse=True)

    async def for_buyer(
        self, buyer_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        return _page(self._of("buyer_id", buyer_id, statuses), offset, limit)

    async def count_for_buyer(self, buyer_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        return len(self._of("buyer_id", buyer_id, statuses))

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        return _page(self._of("shop_id", shop_id, statuses), offset, limit)

    async def delivered_to(
        self, shop_id: int, *, phones: Sequence[str], texts: Sequence[str], limit: int = 10
    ) -> list[Order]:
        near = [o for o in self._of("shop_id", shop_id, ()) if o.address.phone in phones or o.address.text in texts]
        return near[:limit]

    async def count_for_shop(self, shop_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        return len(self._of("shop_id", shop_id, statuses))

    async def counts_by_status_for_shop(self, shop_id: int, statuses: Sequence[OrderStatus]) -> dict[OrderStatus, int]:
        return {status: await self.count_for_shop(shop_id, statuses=(status,)) for status in statuses}

    async def in_group(self, group_buy_id: int) -> list[Order]:
        return self.uow.select("orders", lambda order: order.group_buy_id == group_buy_id)

    async def due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("orders"), "deadline_at", now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("orders"), "reminder_at", now, limit)

    async def alert_fallbacks_due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("orders"), "alert_fallback_at", now, limit)

    async def releases_due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("orders"), "release_at", now, limit)

    async def latest_release_at(self, shop_id: int) -> datetime | None:
        times = [o.release_at for o in self.uow.select("orders", lambda o: o.shop_id == shop_id) if o.release_at]
        return max(times, default=None)

    async def add_tracking(self, event: TrackingEvent) -> None:
        await self.uow.insert("tracking", event, key=self.uow.db.next_id("tracking"))

    async def tracking(self, order_id: int) -> list[TrackingEvent]:
        return sorted(self.uow.select("tracking", lambda event: event.order_id == order_id), key=lambda e: e.at)


class FakeGroupBuys(_Repo):
    async def get(self, group_id: int, *, for_update: bool = False, wait: bool = False) -> GroupBuy | None:
        return await self.uow.read("group_buys", group_id, for_update=for_update, wait=wait)

    async def add(self, group: GroupBuy) -> GroupBuy:
        return await self.uow.insert("group_buys", group)

    async def save(self, group: GroupBuy) -> None:
        await self.uow.update("group_buys", group)

    async def claim_seat(self, group_id: int) -> bool:
        def sit(group: GroupBuy) -> bool:
            if group.status is not GroupBuyStatus.OPEN or group.is_full:
                return False
            group.member_count += 1
            return True

        return await self.uow.change("group_buys", group_id, sit)

    def _open(self) -> list[GroupBuy]:
        return self.uow.select("group_buys", lambda group: group.status is GroupBuyStatus.OPEN)

    async def open_for_product(self, product_id: int, *, limit: int = 5) -> list[GroupBuy]:
        """Open groups with a free seat, those closest to filling first (as storage/ orders them)."""
        groups = [group for group in self._open() if group.product_id == product_id and not group.is_full]
        closest = sorted(groups, key=lambda g: (g.size - g.member_count, g.deadline_at is None, g.deadline_at, g.id))
        return closest[:limit]

    async def due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("group_buys"), "deadline_at", now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("group_buys"), "reminder_at", now, limit)


class FakeTickets(_Repo):
    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        return await self.uow.read("tickets", ticket_id, for_update=for_update)

    async def add(self, ticket: Ticket) -> Ticket:
        return await self.uow.insert("tickets", ticket)

    async def save(self, ticket: Ticket) -> None:
        await self.uow.update("tickets", ticket)

    def _where(self, *, statuses: Sequence[TicketStatus] = (), **fields: Any) -> list[Ticket]:
        def hit(ticket: Ticket) -> bool:
            return (not statuses or ticket.status in statuses) and all(
                getattr(ticket, name) == value for name, value in fields.items() if value is not None
            )

        return sorted(self.uow.select("tickets", hit), key=lambda ticket: ticket.id, reverse=True)

    async def for_order(self, order_id: int) -> list[Ticket]:
        return sorted(self._where(order_id=order_id), key=lambda ticket: ticket.id)

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[TicketStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Ticket]:
        return _page(self._where(statuses=statuses, shop_id=shop_id), offset, limit)

    async def for_buyer(self, buyer_id: int, *, offset: int = 0, limit: int = 10) -> list[Ticket]:
        return _page(self._where(buyer_id=buyer_id), offset, limit)

    async def with_status(self, statuses: Sequence[TicketStatus], *, offset: int = 0, limit: int = 10) -> list[Ticket]:
        return _page(
            sorted(self._where(statuses=statuses), key=lambda ticket: ticket.id), offset, limit
        )  # oldest first

    async def count(self, *, shop_id: int | None = None, statuses: Sequence[TicketStatus] = ()) -> int:
        return len(self._where(statuses=statuses, shop_id=shop_id))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return _due(self.uow.select("tickets"), "deadline_at", now, limit)


class FakeReviews(_Repo):
    async def get(self, review_id: int) -> Review | None:
        return await self.uow.read("reviews", review_id)

    async def add(self, review: Review) -> Review:
        return await self.uow.insert("reviews", review)

    async def save(self, review: Review) -> None:
        await self.uow.update("reviews", review)

    async def exists(self, order_id: int, product_id: int) -> bool:
        return bool(self.uow.select("reviews", lambda r: (r.order_id, r.product_id) == (order_id, product_id)))

    def _newest(self, field: str, value: int) -> list[Review]:
        rows = self.uow.select("reviews", lambda review: getattr(review, field) == value)
        return sorted(rows, key=lambda review: review.id, reverse=True)

    def _of_product(self, product_id: int) -> list[Review]:
        """The product's reviews and its SKUs' (domain/variants.py), newest first."""
        skus = {p.id for p in self.uow.select("products", lambda p: p.parent_id == product_id)}
        rows = self.uow.select("reviews", lambda review: review.product_id == product_id or review.product_id in skus)
        return sorted(rows, key=lambda review: review.id, reverse=True)

    async def for_product(self, product_id: int, *, limit: int = 3) -> list[Review]:
        return self._of_product(product_id)[:limit]

    async def for_shop(self, shop_id: int, *, offset: int = 0, limit: int = 10) -> list[Review]:
        return _page(self._newest("shop_id", shop_id), offset, limit)

    @staticmethod
    def _scores(reviews: list[Review]) -> tuple[int, float | None]:
        if not reviews:
            return 0, None
        return len(reviews), sum(review.average for review in reviews) / len(reviews)

    async def product_scores(self, product_id: int) -> tuple[int, float | None]:
        return self._scores(self._of_product(product_id))

    async def shop_scores(self, shop_id: int, since: datetime | None = None) -> tuple[int, float | None]:
        reviews = [r for r in self._newest("shop_id", shop_id) if since is None or r.created_at >= since]
        return self._scores(reviews)

    async def product_summary(self, product_id: int) -> ReviewSummary:
        reviews = self._of_product(product_id)

        def mean(field: str) -> float | None:
            return sum(getattr(r, field) for r in reviews) / len(reviews) if reviews else None

        return ReviewSummary(
            len(reviews),
            mean("quality"),
            mean("shipping"),
            mean("service"),
            sum(1 for r in reviews if r.photos),
            sum(1 for r in reviews if is_low(r)),
        )

    async def product_list(
        self, product_id: int, which: ReviewFilter, *, offset: int = 0, limit: int = 5
    ) -> list[Review]:
        keep = {
            ReviewFilter.ALL: lambda r: True,
            ReviewFilter.PHOTOS: lambda r: bool(r.photos),
            ReviewFilter.LOW: is_low,
        }
        return _page([r for r in self._of_product(product_id) if keep[which](r)], offset, limit)


class FakePromotions(_Repo):
    async def get(self, promotion_id: int) -> Promotion | None:
        return await self.uow.read("promotions", promotion_id)

    async def add(self, promotion: Promotion) -> Promotion:
        return await self.uow.insert("promotions", promotion)

    async def save(self, promotion: Promotion) -> None:
        await self.uow.update("promotions", promotion)

    async def for_shop(self, shop_id: int, *, include_ended: bool = False) -> list[Promotion]:
        return self.uow.select(
            "promotions",
            lambda p: p.shop_id == shop_id and (include_ended or p.status is not PromotionStatus.ENDED),
        )

    async def for_shops(self, shop_ids: Sequence[int]) -> dict[int, list[Promotion]]:
        return {shop_id: await self.for_shop(shop_id) for shop_id in shop_ids}


class FakeCoupons(_Repo):
    async def get(self, coupon_id: int) -> Coupon | None:
        return await self.uow.read("coupons", coupon_id)

    async def by_code(self, code: str) -> Coupon | None:
        return next(iter(self.uow.select("coupons", lambda c: c.code == code)), None)

    async def add(self, coupon: Coupon) -> Coupon:
        return await self.uow.insert("coupons", coupon)

    async def save(self, coupon: Coupon) -> None:
        await self.uow.update("coupons", coupon)

    async def for_shop(self, shop_id: int, *, include_ended: bool = False) -> list[Coupon]:
        return self.uow.select(
            "coupons", lambda c: c.shop_id == shop_id and (include_ended or c.status is not CouponStatus.ENDED)
        )

    async def take_copy(self, coupon_id: int) -> bool:
        def take(coupon: Coupon) -> bool:
            if coupon.claimed >= coupon.total or coupon.status is not CouponStatus.ACTIVE:
                return False
            coupon.claimed += 1
            return True

        return await self.uow.change("coupons", coupon_id, take)

    async def add_claim(self, claim: CouponClaim) -> CouponClaim:
        return await self.uow.insert("coupon_claims", claim)

    async def claims_of(self, user_id: int, coupon_id: int | None = None) -> list[CouponClaim]:
        return self.uow.select("coupon_claims", lambda c: c.user_id == user_id and coupon_id in (None, c.coupon_id))

    async def use_claim(self, claim_id: int, order_id: int) -> bool:
        def use(claim: CouponClaim) -> bool:
            if claim.order_id is not None:
                return False
            claim.order_id = order_id
            return True

        return await self.uow.change("coupon_claims", claim_id, use)

    async def release(self, order_id: int) -> list[int]:
        freed = []
        for claim in self.uow.select("coupon_claims", lambda c: c.order_id == order_id):
            await self.uow.change("coupon_claims", claim.id, lambda c: setattr(c, "order_id", None) is None)
            freed.append(claim.coupon_id)
        return freed


class FakePayments(_Repo):
    async def record(self, payment: Payment) -> bool:
        # The unique charge id: a second writer of the same id waits for the first, then finds it taken.
        await self.uow.lock("payment_charge", payment.charge_id)
        if await self.by_charge_id(payment.charge_id) is not None:
            return False
        await self.uow.insert("payments", payment)
        return True

    async def by_charge_id(self, charge_id: str) -> Payment | None:
        found = self.uow.select("payments", lambda payment: payment.charge_id == charge_id)
        return found[0] if found else None

    async def for_order(self, order_id: int) -> Payment | None:
        found = self.uow.select("payments", lambda payment: payment.order_id == order_id)
        return found[-1] if found else None  # the latest, as storage/ answers

    async def by_charge_ids(self, charge_ids: Sequence[str]) -> dict[str, Payment]:
        wanted = set(charge_ids)
        return {p.charge_id: p for p in self.uow.select("payments", lambda payment: payment.charge_id in wanted)}

    async def for_orders(self, order_ids: Sequence[int]) -> dict[int, Payment]:
        found = {order_id: await self.for_order(order_id) for order_id in order_ids}
        return {order_id: payment for order_id, payment in found.items() if payment is not None}

    async def add_refund(self, refund: Refund) -> Refund:
        return await self.uow.insert("refunds", refund)

    async def add_refunds(self, refunds: Sequence[Refund]) -> list[Refund]:
        return [await self.add_refund(refund) for refund in refunds]

    async def save_refund(self, refund: Refund) -> None:
        await self.uow.update("refunds", refund)

    async def refunds_for_order(self, order_id: int) -> list[Refund]:
        return self.uow.select("refunds", lambda refund: refund.order_id == order_id)

    async def pending_refunds(self, limit: int) -> list[Refund]:
        owed = self.uow.select("refunds", lambda r: r.status is RefundStatus.PENDING)
        return [refund for refund in owed if refund.method is not RefundMethod.RECORDED][:limit]


class FakePayouts(_Repo):
    async def get(self, payout_id: int, *, for_update: bool = False) -> Payout | None:
        return await self.uow.read("payouts", payout_id, for_update=for_update)

    async def add(self, payout: Payout) -> Payout:
        return await self.uow.insert("payouts", payout)

    async def save(self, payout: Payout) -> None:
        await self.uow.update("payouts", payout)

    def _in(self, status: PayoutStatus) -> list[Payout]:
        found = self.uow.select("payouts", lambda payout: payout.status is status)
        return sorted(found, key=lambda payout: (payout.requested_at, payout.id))

    async def with_status(self, status: PayoutStatus, *, offset: int = 0, limit: int = 10) -> list[Payout]:
        return _page(self._in(status), offset, limit)

    async def count(self, status: PayoutStatus) -> int:
        return len(self._in(status))


class FakeImports(_Repo):
    """Jobs in "imports" (the file beside them in "import_files"), refused rows in "import_errors"."""

    async def add(self, job: ImportJob, content: bytes) -> ImportJob | None:
        key = (job.merchant_id, job.file_unique_id)
        await self.uow.lock("import_key", key)
        if await self.find(*key):
            return None
        await self.uow.insert("imports", job)
        await self.uow.insert("import_files", content, key=job.id)
        return job

    async def find(self, merchant_id: int, file_unique_id: str) -> ImportJob | None:
        found = self.uow.select(
            "imports", lambda job: job.merchant_id == merchant_id and job.file_unique_id == file_unique_id
        )
        return found[0] if found else None

    async def get(self, job_id: int, *, for_update: bool = False) -> ImportJob | None:
        return await self.uow.read("imports", job_id, for_update=for_update)

    async def save(self, job: ImportJob) -> None:
        await self.uow.update("imports", job)

    async def content(self, job_id: int) -> bytes:
        return bytes(self.uow.visible("import_files", job_id))

    async def add_errors(self, errors: Sequence[ImportRowError]) -> None:
        for error in errors:
            await self.uow.insert("import_errors", error, key=self.uow.db.next_id("import_errors"))

    async def errors(self, job_id: int, *, limit: int | None = None) -> list[ImportRowError]:
        found = sorted(self.uow.select("import_errors", lambda e: e.job_id == job_id), key=lambda e: e.line)
        return found if limit is None else found[:limit]

    async def for_merchant(self, merchant_id: int, *, offset: int = 0, limit: int = 10) -> list[ImportJob]:
        found = self.uow.select("imports", lambda job: job.merchant_id == merchant_id)
        return _page(sorted(found, key=lambda job: -job.id), offset, limit)

    async def count_for_merchant(self, merchant_id: int) -> int:
        return len(self.uow.select("imports", lambda job: job.merchant_id == merchant_id))

    async def running(self, limit: int) -> list[int]:
        return [job.id for job in self.uow.select("imports", lambda job: job.status is ImportStatus.RUNNING)][:limit]


class FakeOutbox(_Repo):
    async def add(self, notification: Notification) -> bool:
        if self.uow.db.check_messages:
            check_renders(notification)
        await self.uow.lock("outbox_key", notification.dedupe_key)
        if self.uow.select("outbox", lambda row: row.notification.dedupe_key == notification.dedupe_key):
            return False
        now = self.uow.db.clock.now()
        await self.uow.insert(
            "outbox", OutboxMessage(id=0, notification=notification, status=OutboxStatus.PENDING, created_at=now)
        )
        return True

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            await self.add(notification)

    async def drop_pending(self, chat_id: int, channel: str, reason: str) -> int:
        rows = self.uow.select(
            "outbox",
            lambda row: (
                row.status is OutboxStatus.PENDING
                and (row.notification.chat_id, row.notification.channel) == (chat_id, channel)
            ),
        )
        for row in rows:
            row.status, row.last_error = OutboxStatus.SKIPPED, reason
        return len(rows)


class FakeAudit(_Repo):
    async def append(self, events: Sequence[StateChanged]) -> None:
        self.uow.append_audit(list(events))

    async def for_entity(self, entity: str, entity_id: int) -> list[StateChanged]:
        return self.uow.select("audit", lambda event: (event.entity, event.entity_id) == (entity, entity_id))

    async def recent(self, *, actor_roles: Sequence[str] = (), offset: int = 0, limit: int = 20) -> list[StateChanged]:
        events = self.uow.select("audit", lambda event: not actor_roles or event.actor_role in actor_roles)
        return _page(list(reversed(events)), offset, limit)


class FakeConversations(_Repo):
    async def get(self, user_id: int, *, for_update: bool = False) -> tuple[str, str, dict[str, Any]] | None:
        if for_update and not self.uow.read_only:
            await self.uow.lock("conversations", user_id)  # waits, like SELECT ... FOR UPDATE (never skips)
        return await self.uow.read("conversations", user_id)

    async def put(self, user_id: int, flow: str, step: str, data: dict[str, Any]) -> None:
        await self.uow.insert("conversations", (flow, step, dict(data)), key=user_id)

    async def clear(self, user_id: int) -> None:
        await self.uow.delete("conversations", user_id)


class FakeListingViews(_Repo):
    async def forget_before(self, when: datetime) -> int:
        stale = self.uow.select("listing_views", lambda view: view.created_at < when)
        for view in stale:
            await self.uow.delete("listing_views", view.id)
        return len(stale)

    async def get(self, view_id: int) -> ListingView | None:
        return await self.uow.read("listing_views", view_id)

    async def save(self, user_id: int, listing: Listing) -> int:
        key = view_key(user_id, listing)
        await self.uow.lock("listing_view_key", key)  # the unique key: a second writer waits, then finds it
        same = self.uow.select("listing_views", lambda view: view_key(view.user_id, view.listing) == key)
        if same:
            return int(same[0].id)
        made = ListingView(0, user_id, listing, self.uow.db.clock.now())
        return int((await self.uow.insert("listing_views", made)).id)


class FakeProcessedUpdates(_Repo):
    async def forget_before(self, when: datetime) -> int:
        stale = self.uow.select("processed_updates", lambda row: row[1] < when)
        for update_id, _ in stale:
            await self.uow.delete("processed_updates", update_id)
        return len(stale)

    async def seen(self, update_id: int) -> bool:
        return self.uow.visible("processed_updates", update_id) is not None

    async def arrival(self, update_id: int, user_id: int | None) -> tuple[bool, User | None]:
        return await self.seen(update_id), await self.uow.users.get(user_id) if user_id is not None else None

    async def claim(self, update_id: int) -> bool:
        await self.uow.lock("processed_updates", update_id)
        if self.uow.visible("processed_updates", update_id) is not None:
            return False
        await self.uow.insert("processed_updates", (update_id, self.uow.db.clock.now()), key=update_id)
        return True

    async def claim_many(self, update_ids: Sequence[int]) -> None:
        for update_id in update_ids:
            await self.claim(update_id)


def check_renders(notification: Notification) -> None:
    """Fail loudly if a use case queued a message the sender could not render or a button Telegram would refuse."""
    from i18n import has, t

    if notification.key.startswith("@"):  # control rows (e.g. "@commands") are not rendered as text
        return
    texts = [(notification.key, notification.args)]
    for row in notification.buttons:
        for button in row:
            texts.append((button.key, button.args))
            data = button.data.encode()
            if button.data and (len(data) > 64 or _CALLBACK.fullmatch(button.data) is None):
                raise AssertionError(f"callback data {button.data!r} is not codec-shaped or over 64 bytes")
    for key, args in texts:
        if not has(key):
            raise AssertionError(f"message key {key!r} is not in the i18n catalogue")
        for lang in ("en", "zh"):
            try:
                t(lang, key, **args)
            except (KeyError, IndexError) as error:
                raise AssertionError(f"{key!r} ({lang}) cannot be rendered with {sorted(args)}: {error!r}") from error


class FakeDeadLetterUpdates(_Repo):
    async def add(self, *, update_id: int, kind: DeadLetterKind, payload: str, error: str, attempts: int) -> bool:
        await self.uow.lock("dead_letter_updates", ("update", update_id))
        if self.uow.select("dead_letter_updates", lambda row: row.update_id == update_id):
            return False
        letter_id = self.uow.db.next_id("dead_letter_updates")
        letter = DeadLetter(letter_id, update_id, kind, payload, error, attempts, self.uow.db.clock.now())
        await self.uow.insert("dead_letter_updates", letter, key=letter_id)
        return True

    async def get(self, letter_id: int) -> DeadLetter | None:
        return await self.uow.read("dead_letter_updates", letter_id)

    async def latest(self, *, include_replayed: bool = False, limit: int = 50) -> list[DeadLetter]:
        rows = self.uow.select("dead_letter_updates", lambda row: include_replayed or row.replayed_at is None)
        return list(reversed(rows))[:limit]

    async def count_open(self) -> int:
        return len(self.uow.select("dead_letter_updates", lambda row: row.replayed_at is None))

    async def mark_replayed(self, letter_id: int) -> bool:
        now = self.uow.db.clock.now()

        def replayed(row: DeadLetter) -> bool:
            if row.replayed_at is not None:
                return False
            row.replayed_at, row.replay_error = now, ""
            return True

        return await self.uow.change("dead_letter_updates", letter_id, replayed)

    async def note_replay_failed(self, letter_id: int, error: str) -> None:
        def failed(row: DeadLetter) -> bool:
            row.replay_error = error
            return True

        await self.uow.change("dead_letter_updates", letter_id, failed)
