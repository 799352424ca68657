"""Checkout: one order per shop, priced with the shop's live promotions, stock reserved atomically.

If any line cannot be had (inactive, closed shop, sold out, price moved under the buyer's eyes) the whole
checkout is refused and nothing is reserved: the unit of work rolls every reservation back.

The buyer's store credit is spent on the new orders in the same unit of work (``domain.usecases.store_credit``):
an order it pays in full is paid at once, the others are invoiced for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.authorization import Action, authorize, check
from domain.coupons import Coupon
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import Order, OrderLine
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.pricing import PricedItem, platform_target, price_items
from domain.products import Product
from domain.receipts import Receipt
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.coupons import PLATFORM, usable_coupons, use_claims
from domain.usecases.orders_common import in_lock_order, paid_single_buy, take_payment
from domain.usecases.store_credit import hold_credit, spend_credit
from domain.usecases.units import own_or_given
from domain.users import AddressSnapshot
from domain.validation import MAX_QUANTITY, check_quantity


async def place_order(
    svc: Services,
    *,
    actor: Actor,
    items: Sequence[tuple[int, int]] | None = None,
    address_id: int | None = None,
    address: AddressSnapshot | None = None,
    expected_totals: Mapping[int, Money] | None = None,
    expected_credit: Mapping[int, Money] | None = None,
    coupons: Mapping[int, int] | None = None,
    uow: UnitOfWork | None = None,
) -> list[Order]:
    """Order ``items`` ((product id, quantity) pairs), or the whole cart when None; one order per shop.

    ``expected_totals`` (shop id → total the buyer was shown) refuses with PRICE_CHANGED if pricing moved, and
    ``expected_credit`` (shop id → store credit shown spent on it) with CREDIT_CHANGED if the balance moved.
    ``coupons`` (shop id → coupon id, or ``NO_COUPON``) is the buyer's pick; a shop left out gets the best usable
    coupon (``domain.usecases.coupons``). The bought products leave the cart.
    """
    async with own_or_given(svc, uow) as uow:
        buyer_id = await ready_to_buy(uow, svc, actor)
        if items is None:
            items = [(item.product_id, item.quantity) for item in await uow.carts.items(buyer_id)]
        wanted = merge_quantities(items)
        snapshot = await resolve_address(uow, actor, address_id, address)
        orders = await _checkout(uow, svc, actor, wanted, snapshot, expected_totals or {}, coupons)
        await _spend_credit(uow, svc, orders, expected_credit)
        for product_id in wanted:
            await uow.carts.remove(buyer_id, product_id)
        return orders


async def buy_now(
    svc: Services,
    *,
    actor: Actor,
    product_id: int,
    quantity: int = 1,
    address_id: int | None = None,
    address: AddressSnapshot | None = None,
    expected_total: Money | None = None,
    expected_credit: Money | None = None,
    coupons: Mapping[int, int] | None = None,
    uow: UnitOfWork | None = None,
) -> Order:
    """Order one product straight from its page; the cart is left alone."""
    async with own_or_given(svc, uow) as uow:
        await ready_to_buy(uow, svc, actor)
        wanted = merge_quantities([(product_id, quantity)])
        snapshot = await resolve_address(uow, actor, address_id, address)
        products = await load_for_sale(uow, list(wanted))
        shop_id = products[product_id].shop_id
        expected = {shop_id: expected_total} if expected_total is not None else {}
        (order,) = await _checkout(uow, svc, actor, wanted, snapshot, expected, coupons)
        credit = {shop_id: expected_credit} if expected_credit is not None else None
        await _spend_credit(uow, svc, [order], credit)
        return order


async def ready_to_buy(uow: UnitOfWork, svc: Services, actor: Actor) -> int:
    """The buyer's id, once they may place orders and their store credit is held for this unit of work."""
    await authorize(uow, svc.policy, Action.PLACE_ORDER, actor)
    assert actor.user_id is not None
    await hold_credit(uow, actor.user_id, svc.policy.currency)
    return actor.user_id


async def _spend_credit(
    uow: UnitOfWork, svc: Services, orders: Sequence[Order], expected: Mapping[int, Money] | None
) -> None:
    """Spend the buyer's store credit on the new single-buy orders; those it paid in full are paid now."""
    now = svc.clock.now()
    for order in await spend_credit(uow, orders, expected=expected):
        buyer = await take_payment(uow, svc, order, payer_id=order.buyer_id, charge_id=None, now=now)
        await paid_single_buy(uow, svc, order, actor=buyer)


def merge_quantities(items: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Quantities per product, in first-seen order; each given and each summed quantity is 1..999."""
    if not items:
        raise DomainError(ErrorCode.CART_EMPTY)
    wanted: dict[int, int] = {}
    for product_id, quantity in items:
        wanted[product_id] = wanted.get(product_id, 0) + check_quantity(quantity)
    for quantity in wanted.values():
        check_quantity(quantity, MAX_QUANTITY)
    return wanted


async def resolve_address(
    uow: UnitOfWork, actor: Actor, address_id: int | None, address: AddressSnapshot | None
) -> AddressSnapshot:
    """The delivery address as it is now: a saved one of the buyer's, or one given for this checkout."""
    if address_id is not None:
        saved = await uow.addresses.get(address_id)
        if saved is None:
            raise DomainError(ErrorCode.NOT_FOUND, address_id=address_id)
        if saved.user_id != actor.user_id:
            raise DomainError(ErrorCode.FORBIDDEN, address_id=address_id)
        return saved.snapshot()
    if address is None or not all(part.strip() for part in (address.name, address.phone, address.text)):
        raise DomainError(ErrorCode.ADDRESS_REQUIRED)
    return address


async def load_for_sale(uow: UnitOfWork, product_ids: Sequence[int]) -> dict[int, Product]:
    """The products, each on sale in an active shop (NOT_FOUND / PRODUCT_INACTIVE / SHOP_NOT_ACTIVE), none a product
    with options (CHOOSE_OPTIONS: its SKUs are what is sold)."""
    products = await uow.products.get_many(product_ids)
    for product_id in product_ids:
        product = products.get(product_id)
        if product is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        if not product.active:
            raise DomainError(ErrorCode.PRODUCT_INACTIVE, title=product.title, product_id=product_id)
        if product.has_options:  # sold as one of its SKUs (domain/variants.py)
            raise DomainError(ErrorCode.CHOOSE_OPTIONS, title=product.title, product_id=product_id)
    return products


async def active_shop(uow: UnitOfWork, shop_id: int) -> Shop:
    shop = await uow.shops.get(shop_id)
    if shop is None or shop.status is not ShopStatus.ACTIVE:
        raise DomainError(ErrorCode.SHOP_NOT_ACTIVE, shop_id=shop_id, shop=shop.name if shop else "")
    return shop


def check_expected(receipt: Receipt, shop: Shop, expected: Money | None) -> None:
    """The buyer confirmed a total; if pricing has moved since, they must look again."""
    if expected is None or expected == receipt.total:
        return
    title = receipt.lines[0].title if len(receipt.lines) == 1 else shop.name
    raise DomainError(
        ErrorCode.PRICE_CHANGED, title=title, price=receipt.total.format(), expected=expected.format(), shop_id=shop.id
    )


def new_order(svc: Services, actor: Actor, receipt: Receipt, address: AddressSnapshot) -> Order:
    """A pending order for one shop's receipt, due to be paid within the pay deadline."""
    assert actor.user_id is not None
    now = svc.clock.now()
    deadline_at, reminder_at = svc.policy.deadlines.schedule(Deadline.PAY, now)
    return Order.from_receipt(
        receipt,
        buyer_id=actor.user_id,
        address=address,
        created_at=now,
        deadline_at=deadline_at,
        reminder_at=reminder_at,
    )


async def reserve_lines(uow: UnitOfWork, lines: Iterable[OrderLine]) -> None:
    """Take the quantities from stock, each atomically; OUT_OF_STOCK names what is left."""
    for line in in_lock_order(lines):
        if not await uow.products.reserve_stock(line.product_id, line.quantity):
            product = await uow.products.get(line.product_id)
            available = product.stock if product is not None else 0
            raise DomainError(ErrorCode.OUT_OF_STOCK, title=line.title, available=available, product_id=line.product_id)


async def _checkout(
    uow: UnitOfWork,
    svc: Services,
    actor: Actor,
    wanted: Mapping[int, int],
    address: AddressSnapshot,
    expected_totals: Mapping[int, Money],
    coupon_choice: Mapping[int, int] | None = None,
) -> list[Order]:
    assert actor.user_id is not None
    now = svc.clock.now()
    products = await load_for_sale(uow, list(wanted))
    by_shop: dict[int, list[PricedItem]] = {}
    for product_id, quantity in wanted.items():
        product = products[product_id]
        by_shop.setdefault(product.shop_id, []).append(PricedItem(product, quantity))
    shops = [await active_shop(uow, shop_id) for shop_id in by_shop]
    for shop in shops:
        check(Action.PLACE_ORDER, actor, shop=shop)  # not from one's own shop (self-dealing)
    promotions = await uow.promotions.for_shops(list(by_shop))
    coupons = await usable_coupons(uow, actor.user_id, list(by_shop), now, coupon_choice)
    orders = []
    region = address.delivery_region

    def price(shop: Shop, platform: Sequence[Coupon] = ()) -> Receipt:
        return price_items(
            shop.id,
            svc.policy.currency,
            by_shop[shop.id],
            promotions.get(shop.id, []),
            now,
            shipping=shop.shipping,
            region=region,
            coupons=(*coupons[shop.id], *platform),
        )

    receipts = {shop.id: price(shop) for shop in shops}
    target = platform_target(list(receipts.values()), coupons[PLATFORM], now)  # rule 10 of domain.pricing
    for shop in shops:
        receipt = price(shop, coupons[PLATFORM]) if shop.id == target else receipts[shop.id]
        check_expected(receipt, shop, expected_totals.get(shop.id))
        orders.append(new_order(svc, actor, receipt, address))
    await reserve_lines(uow, [line for order in orders for line in order.lines])
    for order in orders:
        await uow.orders.add(order)
    await use_claims(uow, orders)
    return orders


@dataclass(frozen=True)
class PlacedCheckout:
    """The orders a checkout draft became; ``fresh`` False when an earlier press (or delivery) placed them."""

    orders: list[Order]
    fresh: bool


async def confirm_checkout(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...], nonce: str
) -> PlacedCheckout | None:
    """Place the orders of the buyer's checkout draft (the review they confirm, named by ``nonce``), once.

    The draft (``data``: ``mode`` "now" with ``product_id``, else the cart; ``items`` [[product id, quantity]];
    ``expected`` {shop id: total shown}; ``credit`` {shop id: store credit shown spent}; ``coupons`` {shop id:
    coupon id or 0, the buyer's pick}; ``address_id``) is consumed in the same unit of work as the orders are
    placed; any later press of the same Confirm gets those orders back. None: no such draft (an older review).
    """
    assert actor.user_id is not None

    async def place(uow: UnitOfWork, state: FlowState) -> dict[str, Any]:
        data = state.data
        currency = svc.policy.currency
        expected = {int(shop_id): Money(int(amount), currency) for shop_id, amount in data["expected"].items()}
        # A review shown before store credit was spent at checkout showed none: the balance is checked against that.
        credit = {int(shop_id): Money(int(amount), currency) for shop_id, amount in data.get("credit", {}).items()}
        items = [(int(pid), int(qty)) for pid, qty in data["items"]]
        address_id = int(data["address_id"])
        coupons = {int(shop_id): int(coupon_id) for shop_id, coupon_id in data.get("coupons", {}).items()}
        if data.get("mode") == "now":
            (product_id, quantity), (shop_id, total) = items[0], next(iter(expected.items()))
            one = await buy_now(
                svc,
                actor=actor,
                product_id=product_id,
                quantity=quantity,
                address_id=address_id,
                expected_total=total,
                expected_credit=credit.get(shop_id, Money.zero(currency)),
                coupons=coupons,
                uow=uow,
            )
            return {"orders": [one.id]}
        orders = await place_order(
            svc,
            actor=actor,
            items=items,
            address_id=address_id,
            expected_totals=expected,
            expected_credit=credit,
            coupons=coupons,
            uow=uow,
        )
        return {"orders": [order.id for order in orders]}

    consumed = await drafts.consume(svc, user_id=actor.user_id, flow=flow, steps=steps, token=nonce, action=place)
    if consumed is None:
        return None
    ids = [int(order_id) for order_id in consumed.result.get("orders", [])]
    async with svc.uow(read_only=True) as uow:
        found = await uow.orders.get_many(ids)
    return PlacedCheckout([found[order_id] for order_id in ids if order_id in found], consumed.fresh)
