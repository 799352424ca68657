"""What a buyer sees of group buys (拼团): one group's page, and the open groups of a product they could join.

Read models only (a read-only unit of work each). The price shown is the receipt placing the order would make
right now, priced as ``place_group_order`` prices it (a joiner pays the price the group was opened at, or a lower
live discount; a spend-off the single item reaches counts too), so the buyer is never charged a surprise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.authorization import Action, authorize, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.ports import UnitOfWork
from domain.pricing import PricedItem, price_items, quote_one
from domain.products import Product
from domain.promotions import Promotion
from domain.receipts import Receipt
from domain.regions import OTHER
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.usecases.cart import delivery_region
from domain.usecases.catalog import SkuOffer, cheapest_sku, product_on_sale, sku_group_quotes
from domain.usecases.coupons import usable_at
from domain.usecases.group_buys import _check_joinable, group_priced  # who may join, at what price
from domain.usecases.orders_common import load_group
from domain.usecases.orders_placing import active_shop, load_for_sale
from domain.usecases.store_credit import available_credit, plan_credit

OPEN_GROUPS_SHOWN = 5


@dataclass(frozen=True)
class GroupPage:
    group: GroupBuy
    product: Product
    shop: Shop
    members: tuple[str, ...]  # first names of those who hold a seat, the leader first
    receipt: Receipt  # what joining costs now (one item, everything applied; a group of SKUs: the cheapest SKU)
    normal_price: Money  # one item bought on its own now (everything applied; a group of SKUs: the cheapest SKU)
    now: datetime
    viewer_order: Order | None  # the viewer's own order in this group, paid or not (never a cancelled one)
    for_sale: bool  # the product and its shop still take orders
    member_skus: tuple[str, ...] = ()  # a group of SKUs: each seated member's pick ("Black · M"), as ``members``
    skus: tuple[SkuOffer, ...] = ()  # a group of SKUs: the SKUs on sale, each at what joining with it costs now

    @property
    def price(self) -> Money:
        """What joining costs now (a group of SKUs: from, its cheapest SKU in stock)."""
        return self.receipt.total

    @property
    def from_price(self) -> bool:
        """The price is the lowest of several: each joiner picks a SKU."""
        return self.group.of_skus and len({offer.price for offer in self.skus}) > 1

    def sku(self, values: Sequence[str]) -> SkuOffer | None:
        """The SKU of these values (one per option), if there is one on sale (the joiner's pick)."""
        return next((offer for offer in self.skus if tuple(offer.sku.option_values) == tuple(values)), None)

    @property
    def is_open(self) -> bool:
        deadline = self.group.deadline_at
        return self.group.status is GroupBuyStatus.OPEN and (deadline is None or deadline > self.now)

    @property
    def time_left(self) -> timedelta | None:
        deadline = self.group.deadline_at
        return max(deadline - self.now, timedelta(0)) if deadline is not None and self.is_open else None

    @property
    def viewer_in(self) -> bool:
        """The viewer holds a seat (they paid)."""
        order = self.viewer_order
        return order is not None and order.paid_at is not None

    @property
    def viewer_unpaid(self) -> Order | None:
        order = self.viewer_order
        return order if order is not None and order.status is OrderStatus.PENDING_PAYMENT else None

    @property
    def joinable(self) -> bool:
        return self.is_open and not self.group.is_full and self.viewer_order is None and self.for_sale


@dataclass(frozen=True)
class GroupCard:
    """One open group in a product's list."""

    group_id: int
    leader: str
    missing: int
    size: int
    deadline_at: datetime | None
    price: Money
    viewer_in: bool


@dataclass(frozen=True)
class ProductGroups:
    product: Product
    shop: Shop
    start_price: Money | None  # what starting a new group costs now (with options: from); None: no group buy
    normal_price: Money  # one item bought on its own now (everything applied; with options: that cheapest SKU)
    groups: tuple[GroupCard, ...]
    now: datetime

    @property
    def saving(self) -> Money | None:
        return self.normal_price - self.start_price if self.start_price is not None else None


@dataclass(frozen=True)
class GroupQuote:
    """What a group order would cost right now; placing it with ``expected_total=total`` and
    ``expected_credit=credit`` charges exactly this (the receipt shows the store credit spent, if any)."""

    product_id: int
    group_id: int | None  # None: starting a new group
    title: str
    receipt: Receipt

    @property
    def total(self) -> Money:
        return self.receipt.total

    @property
    def credit(self) -> Money:
        """The buyer's store credit placing the order spends on it."""
        return self.receipt.credit

    @property
    def to_pay(self) -> Money:
        return self.receipt.to_pay


async def quote_group_order(
    svc: Services, *, actor: Actor, product_id: int | None = None, group_id: int | None = None
) -> GroupQuote:
    """Before asking for an address: may the actor start a group of ``product_id`` (a product sold as itself or one
    SKU) / join ``group_id`` (with ``product_id`` the SKU picked, for a group of a product with options), and at
    what price? Refused with the same codes ``place_group_order`` would use (a sold-out SKU: OUT_OF_STOCK)."""
    if product_id is None and group_id is None:
        raise ValueError("quote either a new group (product_id) or joining one (group_id)")
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.PLACE_ORDER, actor)
        group = await load_group(uow, group_id) if group_id is not None else None
        wanted = product_id if product_id is not None else group.product_id if group is not None else None
        assert wanted is not None
        product = (await load_for_sale(uow, [wanted]))[wanted]
        shop = await active_shop(uow, product.shop_id)
        check(Action.PLACE_ORDER, actor, shop=shop)  # not in one's own shop's group (self-dealing)
        if group is not None:
            await _check_joinable(uow, group, actor, now)
        product = await group_priced(uow, product, group)
        if product.stock < 1:
            raise DomainError(ErrorCode.OUT_OF_STOCK, title=product.title, available=0, product_id=product.id)
        promotions = await _promotions(uow, shop.id)
        assert actor.user_id is not None
        balance = await available_credit(uow, actor.user_id, svc.policy.currency)
        coupons = await usable_at(uow, actor.user_id, shop.id, now)
        by_region = shop.shipping is not None and shop.shipping.regions
        region = await delivery_region(uow, actor.user_id, None) if by_region else OTHER
    # Shipping as the buyer's first saved address is charged (checkout prices the address they pick).
    one = [PricedItem(product, 1)]
    receipt = price_items(
        shop.id,
        svc.policy.currency,
        one,
        promotions,
        now,
        group_buy=True,
        shipping=shop.shipping,
        region=region,
        coupons=coupons,
    )
    (credit,) = plan_credit(balance, [receipt.total])
    if credit.amount:
        receipt = replace(receipt, paid_from_credit=credit)
    return GroupQuote(product.id, group_id, product.title, receipt)


async def group_page(svc: Services, *, group_id: int, viewer_id: int | None = None) -> GroupPage:
    """One group as a visitor (e.g. a friend following the share link) or a member sees it."""
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        group = await uow.group_buys.get(group_id)
        if group is None:
            raise DomainError(ErrorCode.NOT_FOUND, group_buy_id=group_id)
        product = await uow.products.get(group.product_id)
        shop = await uow.shops.get(group.shop_id)
        if product is None or shop is None:
            raise DomainError(ErrorCode.NOT_FOUND, group_buy_id=group_id)
        promotions = await _promotions(uow, shop.id)
        members = [order for order in await uow.orders.in_group(group.id) if order.status is not OrderStatus.CANCELLED]
        seated = _seated(members, group.leader_id)
        names = await _names(uow, [order.buyer_id for order in seated])
        skus = await uow.products.skus(product.id) if group.group_off is not None else []
        picks = await _picks(uow, seated) if group.group_off is not None else ()
    viewer_order = next((order for order in members if viewer_id is not None and order.buyer_id == viewer_id), None)
    # A group opened on the product sold as itself takes nobody once the product has options (``group_priced``).
    for_sale = product.active and shop.status is ShopStatus.ACTIVE and (group.of_skus or not product.has_options)
    offers: tuple[SkuOffer, ...] = ()
    if group.group_off is None:
        # Priced as the product sold as itself, as the group was opened (it may have options by now).
        joiner = replace(product, group_price=group.price, group_size=group.size, options=[])
        receipt, normal = quote_one(joiner, promotions, now, group_buy=True), quote_one(product, promotions, now).total
    else:
        quotes = sku_group_quotes(skus, group.group_off, group.size, promotions, now)
        offers = tuple(SkuOffer(sku, quote.total) for sku, quote in quotes)
        cheapest = cheapest_sku(quotes)
        if cheapest is None:  # every SKU taken off sale: the page still shows the group, nothing to join with
            for_sale, cheapest = False, (product, quote_one(product, promotions, now))
        sku, receipt = cheapest
        normal = quote_one(sku, promotions, now).total
    return GroupPage(
        group=group,
        product=product,
        shop=shop,
        members=names,
        receipt=receipt,
        normal_price=normal,
        now=now,
        viewer_order=viewer_order,
        for_sale=for_sale,
        member_skus=picks,
        skus=offers,
    )


async def _picks(uow: UnitOfWork, seated: Sequence[Order]) -> tuple[str, ...]:
    """Each seated member's SKU as its values ("Black · M"); a SKU retired since by its line's title."""
    ids = [order.lines[0].product_id for order in seated]
    skus = await uow.products.get_many(ids) if ids else {}
    picks = []
    for order in seated:
        sku = skus.get(order.lines[0].product_id)
        picks.append(sku.sku_label if sku is not None and sku.option_values else order.lines[0].title)
    return tuple(picks)


async def product_groups(
    svc: Services, *, product_id: int, viewer_id: int | None = None, limit: int = OPEN_GROUPS_SHOWN
) -> ProductGroups:
    """The product's open groups with a free seat (closest to filling first) and the price of starting one."""
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        product, shop = await product_on_sale(uow, product_id)
        promotions = await _promotions(uow, shop.id)
        # A few more than shown: groups past their deadline wait for the sweeper but can no longer be joined.
        found = [g for g in await uow.group_buys.open_for_product(product.id, limit=limit * 2) if _open(g, now)]
        found.sort(key=_closest_to_filling)
        skus = await uow.products.skus(product.id) if product.has_options else []
        cards = []
        for group in found[:limit]:
            members = await uow.orders.in_group(group.id)
            viewer_in = viewer_id is not None and any(
                order.buyer_id == viewer_id and order.status is not OrderStatus.CANCELLED for order in members
            )
            (leader,) = await _names(uow, [group.leader_id])
            if group.group_off is not None:
                cheapest = cheapest_sku(sku_group_quotes(skus, group.group_off, group.size, promotions, now))
                if cheapest is None:
                    continue
                price = cheapest[1].total
            elif product.has_options:  # opened before the product had options: nobody can join it any more
                continue
            else:
                joiner = replace(product, group_price=group.price, group_size=group.size)
                price = quote_one(joiner, promotions, now, group_buy=True).total
            cards.append(GroupCard(group.id, leader, group.missing, group.size, group.deadline_at, price, viewer_in))
    normal_price = quote_one(product, promotions, now).total
    start_price = None
    if product.has_group_buy and product.group_off is not None and product.group_size is not None:
        cheapest = cheapest_sku(sku_group_quotes(skus, product.group_off, product.group_size, promotions, now))
        if cheapest is not None:
            start_price, normal_price = cheapest[1].total, quote_one(cheapest[0], promotions, now).total
    elif product.has_group_buy:
        start_price = quote_one(product, promotions, now, group_buy=True).total
    return ProductGroups(
        product=product,
        shop=shop,
        start_price=start_price,
        normal_price=normal_price,
        groups=tuple(cards),
        now=now,
    )


def _open(group: GroupBuy, now: datetime) -> bool:
    return (
        group.status is GroupBuyStatus.OPEN
        and not group.is_full
        and (group.deadline_at is None or group.deadline_at > now)
    )


def _closest_to_filling(group: GroupBuy) -> tuple[int, datetime | None, int]:
    return (group.missing, group.deadline_at, group.id)


def _seated(members: list[Order], leader_id: int) -> list[Order]:
    """Members who paid for their seat, the leader first, then in the order they joined."""
    paid = [order for order in members if order.paid_at is not None]
    return sorted(paid, key=lambda order: (order.buyer_id != leader_id, order.paid_at, order.id))


async def _names(uow: UnitOfWork, user_ids: list[int]) -> tuple[str, ...]:
    names = []
    for user_id in user_ids:
        user = await uow.users.get(user_id)
        # First names only: a group page is shown to strangers following a shared link.
        names.append(user.first_name if user is not None and user.first_name else "👤")
    return tuple(names)


async def _promotions(uow: UnitOfWork, shop_id: int) -> list[Promotion]:
    return (await uow.promotions.for_shops([shop_id])).get(shop_id, [])
