"""What a merchant looks at: the dashboard, their orders by state, their products, one product to edit.

Read models only: each use case opens a read-only unit of work on the actor's own shop. Nothing here lets a
merchant reach another shop's orders or products: lists are always of ``own_shop``, and a single product is
authorised against its shop's owner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.tickets import OPEN_TICKET_STATUSES
from domain.usecases.catalog import Page, clamped_offset
from domain.usecases.evaluation import current_score
from domain.usecases.merchant_shop import own_shop, own_shop_for, working_shop_for

ORDERS_PAGE = 5
PRODUCTS_PAGE = 6


class OrderFilter(StrEnum):
    """The order lists a merchant can ask for (``/orders <filter>``)."""

    NEEDS_ACTION = "todo"  # everything waiting for the merchant: to accept and to ship
    TO_ACCEPT = "new"
    TO_SHIP = "accepted"
    SHIPPED = "shipped"
    GROUPING = "grouping"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    ALL = "all"


FILTER_STATUSES: dict[OrderFilter, tuple[OrderStatus, ...]] = {
    OrderFilter.NEEDS_ACTION: (OrderStatus.PAID, OrderStatus.ACCEPTED),
    OrderFilter.TO_ACCEPT: (OrderStatus.PAID,),
    OrderFilter.TO_SHIP: (OrderStatus.ACCEPTED,),
    OrderFilter.SHIPPED: (OrderStatus.SHIPPED,),
    OrderFilter.GROUPING: (OrderStatus.GROUPING,),
    OrderFilter.COMPLETED: (OrderStatus.COMPLETED,),
    OrderFilter.CANCELLED: (OrderStatus.CANCELLED,),
    OrderFilter.REFUNDED: (OrderStatus.REFUNDED,),
    # Unpaid checkouts are the buyer's business until they pay; a merchant never acts on them.
    OrderFilter.ALL: tuple(s for s in OrderStatus if s is not OrderStatus.PENDING_PAYMENT),
}

# Words merchants type for a filter, besides the filter's own name.
FILTER_ALIASES: dict[str, OrderFilter] = {
    "paid": OrderFilter.TO_ACCEPT,
    "to_accept": OrderFilter.TO_ACCEPT,
    "to_ship": OrderFilter.TO_SHIP,
    "open": OrderFilter.NEEDS_ACTION,
    "done": OrderFilter.COMPLETED,
    "待接单": OrderFilter.TO_ACCEPT,
    "待发货": OrderFilter.TO_SHIP,
    "已发货": OrderFilter.SHIPPED,
    "拼团中": OrderFilter.GROUPING,
    "已完成": OrderFilter.COMPLETED,
    "已取消": OrderFilter.CANCELLED,
    "已退款": OrderFilter.REFUNDED,
    "全部": OrderFilter.ALL,
}


def parse_order_filter(text: str | None) -> OrderFilter:
    """``None`` or blank → the to-do list; a filter name or alias; anything else → INVALID_TEXT."""
    word = (text or "").strip().lower()
    if not word:
        return OrderFilter.NEEDS_ACTION
    try:
        return OrderFilter(word)
    except ValueError:
        pass
    if word in FILTER_ALIASES:
        return FILTER_ALIASES[word]
    raise DomainError(ErrorCode.INVALID_TEXT, field="order_filter", value=text[:40] if text else "")


@dataclass(frozen=True)
class Dashboard:
    shop: Shop
    to_accept: int
    to_ship: int
    shipped: int
    open_tickets: int
    products: int
    score: int | None = None  # evaluation.current_score: None while not rated


@dataclass(frozen=True)
class ShopOrders:
    shop: Shop
    filter: OrderFilter
    orders: tuple[Order, ...]
    page: Page


@dataclass(frozen=True)
class ShopProducts:
    shop: Shop
    products: tuple[Product, ...]
    page: Page
    sku_stock: Mapping[int, int] = field(default_factory=dict)  # a product with variants → its SKUs' stock in all

    def stock(self, product: Product) -> int:
        """Units the product has to sell: its own, or its SKUs'."""
        return self.sku_stock.get(product.id, product.stock)


async def latest_shop(svc: Services, *, actor: Actor) -> Shop | None:
    """The actor's most recent shop or application, whatever its state (None if they never applied)."""
    if actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    async with svc.uow(read_only=True) as uow:
        return await uow.shops.latest_for_owner(actor.user_id)


async def shop_for_new_products(svc: Services, *, actor: Actor) -> Shop:
    """The actor's shop if it may list products now (active); NO_SHOP or SHOP_NOT_ACTIVE otherwise."""
    async with svc.uow(read_only=True) as uow:
        return await own_shop_for(uow, svc.policy, actor, Action.ADD_PRODUCT)


async def deposit_due(svc: Services, *, actor: Actor, shop_id: int) -> Shop:
    """The shop whose deposit the actor is about to pay: theirs, approved, and still within the deadline."""
    async with svc.uow(read_only=True) as uow:
        shop = await uow.shops.get(shop_id)
        if shop is None:
            raise DomainError(ErrorCode.NOT_FOUND, shop_id=shop_id)
        await authorize(uow, svc.policy, Action.PAY_DEPOSIT, actor, shop=shop)
        if shop.status is ShopStatus.ACTIVE and shop.deposit_paid_at is not None:
            raise DomainError(ErrorCode.ALREADY_DONE, shop_id=shop.id)
        if shop.status is not ShopStatus.AWAITING_DEPOSIT:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="shop", src=shop.status.value, dst="active")
        if shop.deadline_at is not None and shop.deadline_at <= svc.clock.now():
            raise DomainError(ErrorCode.PAYMENT_EXPIRED, shop_id=shop.id)
        return shop


async def shop_dashboard(svc: Services, *, actor: Actor) -> Dashboard:
    async with svc.uow(read_only=True) as uow:
        shop = await working_shop_for(uow, svc.policy, actor, Action.VIEW_STATS)
        waiting = (OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED)
        counts = await uow.orders.counts_by_status_for_shop(shop.id, waiting)
        return Dashboard(
            shop=shop,
            to_accept=counts[OrderStatus.PAID],
            to_ship=counts[OrderStatus.ACCEPTED],
            shipped=counts[OrderStatus.SHIPPED],
            open_tickets=await uow.tickets.count(shop_id=shop.id, statuses=tuple(OPEN_TICKET_STATUSES)),
            products=await uow.products.count_for_shop(shop.id),
            score=await current_score(uow, shop.id, svc.clock.now(), svc.policy.currency),
        )


async def shop_orders(
    svc: Services,
    *,
    actor: Actor,
    order_filter: OrderFilter = OrderFilter.NEEDS_ACTION,
    offset: int = 0,
    limit: int = ORDERS_PAGE,
) -> ShopOrders:
    """One page of the actor's shop's orders in the filter's states, newest first."""
    statuses: Sequence[OrderStatus] = FILTER_STATUSES[order_filter]
    async with svc.uow(read_only=True) as uow:
        shop = await working_shop_for(uow, svc.policy, actor, Action.VIEW_ORDER)
        total = await uow.orders.count_for_shop(shop.id, statuses=statuses)
        start = clamped_offset(offset, limit, total)
        orders = await uow.orders.for_shop(shop.id, statuses=statuses, offset=start, limit=limit)
    return ShopOrders(shop, order_filter, tuple(orders), Page(offset=start, limit=limit, total=total))


async def shop_order(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """One order of the actor's own shop (the order card); another shop's order is FORBIDDEN."""
    async with svc.uow(read_only=True) as uow:
        order = await uow.orders.get(order_id)
        if order is None:
            raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id)
        shop = await uow.shops.get(order.shop_id)
        if actor.role is not ActorRole.MERCHANT:
            raise DomainError(ErrorCode.FORBIDDEN)
        await authorize(uow, svc.policy, Action.VIEW_ORDER, actor, order=order, shop=shop)
        return order


async def shop_products(svc: Services, *, actor: Actor, offset: int = 0, limit: int = PRODUCTS_PAGE) -> ShopProducts:
    """One page of all the actor's shop's products, on sale or not."""
    async with svc.uow(read_only=True) as uow:
        shop = await own_shop(uow, actor)
        total = await uow.products.count_for_shop(shop.id)
        start = clamped_offset(offset, limit, total)
        products = await uow.products.for_shop(shop.id, offset=start, limit=limit)
        with_options = [p.id for p in products if p.has_options]
        sku_stock = await uow.products.sku_stock(with_options) if with_options else {}
    return ShopProducts(shop, tuple(products), Page(offset=start, limit=limit, total=total), sku_stock)


async def shop_product(svc: Services, *, actor: Actor, product_id: int) -> Product:
    """One of the actor's own products, to look at or edit; another shop's product is FORBIDDEN."""
    async with svc.uow(read_only=True) as uow:
        product = await uow.products.get(product_id)
        if product is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        shop = await uow.shops.get(product.shop_id)
        await authorize(uow, svc.policy, Action.UPDATE_PRODUCT, actor, shop=shop)
        return product
