"""The buyer's cart: add, change quantities, remove, clear, and see it priced per shop as checkout would.

A cart line is only a wish: stock is reserved when the order is placed, not here. The cart view therefore flags
lines that could not be ordered right now (off sale, shop closed, not enough stock) instead of hiding them, and
prices only the lines that could. ``checkout_quote`` is the same pricing, but refuses while any line has a
problem, and gives the per-shop totals the buyer confirms (``place_order(expected_totals=...)``) and the store
credit checkout will spend on each (``expected_credit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.authorization import Action, check
from domain.coupons import Coupon
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.ports import UnitOfWork
from domain.pricing import PricedItem, SpendOffHint, next_spend_off, platform_target, price_items
from domain.products import CartItem, Product
from domain.promotions import Promotion
from domain.receipts import Receipt
from domain.regions import OTHER
from domain.services import Services
from domain.shops import Shop
from domain.usecases.coupons import PLATFORM, usable_coupons
from domain.usecases.store_credit import available_credit, plan_credit
from domain.validation import MAX_QUANTITY, check_quantity

MAX_CART_LINES = 20  # four buttons a line must stay under Telegram's 100 per keyboard


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int
    problem: DomainError | None = None  # why this line cannot be ordered right now

    @property
    def orderable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class ShopCart:
    """One shop's part of the cart, priced over its orderable lines."""

    shop: Shop
    lines: tuple[CartLine, ...]
    receipt: Receipt | None  # None when no line of this shop can be ordered
    hint: SpendOffHint | None = None  # "spend X more to get Y off"

    @property
    def total(self) -> Money | None:
        return self.receipt.total if self.receipt else None


@dataclass(frozen=True)
class CartView:
    shops: tuple[ShopCart, ...]
    currency: str

    @property
    def is_empty(self) -> bool:
        return not self.shops

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(line for shop in self.shops for line in shop.lines)

    @property
    def problems(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self.lines if not line.orderable)

    @property
    def total(self) -> Money:
        return sum((s.receipt.total for s in self.shops if s.receipt), Money.zero(self.currency))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class Quote:
    """What checkout will charge, per shop; the buyer confirms exactly these totals."""

    shops: tuple[ShopCart, ...]
    currency: str
    items: tuple[tuple[int, int], ...]  # (product id, quantity) as priced
    balance: Money | None = None  # the buyer's store credit, spent on the orders in this order at checkout
    coupons: Mapping[int, Sequence[Coupon]] = field(default_factory=dict)  # shop id → the buyer's usable coupons

    @property
    def expected_totals(self) -> dict[int, Money]:
        return {s.shop.id: s.receipt.total for s in self.shops if s.receipt}

    @property
    def expected_credit(self) -> dict[int, Money]:
        """Shop id → the store credit checkout spends on its order (``store_credit.plan_credit``, same order)."""
        totals = self.expected_totals
        balance = self.balance if self.balance is not None else Money.zero(self.currency)
        return dict(zip(totals, plan_credit(balance, list(totals.values())), strict=True))

    def receipt_of(self, shop: ShopCart) -> Receipt | None:
        """``shop``'s receipt as checkout will keep it: with the store credit spent on it, if any."""
        credit = self.expected_credit.get(shop.shop.id)
        if shop.receipt is None or credit is None or not credit.amount:
            return shop.receipt
        return replace(shop.receipt, paid_from_credit=credit)

    @property
    def total(self) -> Money:
        return sum(self.expected_totals.values(), Money.zero(self.currency))

    @property
    def credit(self) -> Money:
        """The store credit checkout spends in all."""
        return sum(self.expected_credit.values(), Money.zero(self.currency))

    @property
    def to_pay(self) -> Money:
        """What the invoices ask for in all: the total less the store credit spent."""
        return self.total - self.credit


@dataclass(frozen=True)
class Added:
    product: Product
    quantity: int  # now in the cart


def _buyer_id(actor: Actor) -> int:
    # A merchant shopping elsewhere acts as a buyer; the system and admins have no cart.
    if actor.role not in (ActorRole.BUYER, ActorRole.MERCHANT) or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, action="cart")
    return actor.user_id


def line_problem(product: Product, shop: Shop | None, quantity: int) -> DomainError | None:
    """Why ``quantity`` of ``product`` could not be ordered now, or None if it could."""
    if shop is None or not shop.is_open_for_business:
        return DomainError(ErrorCode.SHOP_NOT_ACTIVE, shop_id=product.shop_id, shop=shop.name if shop else "")
    if not product.active:
        return DomainError(ErrorCode.PRODUCT_INACTIVE, title=product.title, product_id=product.id)
    if product.has_options:  # sold as one of its SKUs (domain/variants.py)
        return DomainError(ErrorCode.CHOOSE_OPTIONS, title=product.title, product_id=product.id)
    if quantity > product.stock:
        return DomainError(ErrorCode.OUT_OF_STOCK, title=product.title, available=product.stock, product_id=product.id)
    return None


async def _sellable(uow: UnitOfWork, product_id: int) -> tuple[Product, Shop]:
    product = await uow.products.get(product_id)
    if product is None:
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    shop = await uow.shops.get(product.shop_id)
    problem = line_problem(product, shop, 0)
    if problem is not None:
        raise problem
    assert shop is not None
    return product, shop


def _check_stock(product: Product, quantity: int) -> None:
    check_quantity(quantity, MAX_QUANTITY)
    if quantity > product.stock:
        raise DomainError(ErrorCode.OUT_OF_STOCK, title=product.title, available=product.stock, product_id=product.id)


async def _price(
    uow: UnitOfWork,
    svc: Services,
    wanted: Sequence[tuple[int, int]],
    *,
    with_hints: bool,
    buyer: tuple[int, int | None] | None = None,
    coupons: Mapping[int, Sequence[Coupon]] | None = None,
) -> tuple[ShopCart, ...]:
    """Group (product id, quantity) pairs by shop, flag what cannot be ordered and price the rest (shipping to
    the region of ``buyer``'s (user id, address id) address: looked up only when a shop charges by region)."""
    now: datetime = svc.clock.now()
    products = await uow.products.get_many([product_id for product_id, _ in wanted])
    by_shop: dict[int, list[CartLine]] = {}
    shops: dict[int, Shop | None] = {}
    for product_id, quantity in wanted:
        product = products.get(product_id)
        if product is None:
            continue  # deleted outright; nothing left to show
        if product.shop_id not in shops:
            shops[product.shop_id] = await uow.shops.get(product.shop_id)
        line = CartLine(product, quantity, line_problem(product, shops[product.shop_id], quantity))
        by_shop.setdefault(product.shop_id, []).append(line)
    promotions: dict[int, list[Promotion]] = await uow.promotions.for_shops(sorted(by_shop)) if by_shop else {}
    by_region = any(shop is not None and shop.shipping is not None and shop.shipping.regions for shop in shops.values())
    region = await delivery_region(uow, *buyer) if buyer is not None and by_region else OTHER
    held = coupons or {}

    def price(shop: Shop, lines: Sequence[CartLine], platform: Sequence[Coupon] = ()) -> Receipt | None:
        items = [PricedItem(line.product, line.quantity) for line in lines if line.orderable]
        if not items:
            return None
        shop_coupons = (*held.get(shop.id, ()), *platform)
        return price_items(
            shop.id,
            svc.policy.currency,
            items,
            promotions.get(shop.id, []),
            now,
            shipping=shop.shipping,
            region=region,
            coupons=shop_coupons,
        )

    receipts = {shop_id: price(shop, by_shop[shop_id]) for shop_id, shop in shops.items() if shop is not None}
    target = platform_target([r for r in receipts.values() if r], held.get(PLATFORM, ()), now)
    priced = []
    for shop_id, lines in by_shop.items():
        shop = shops[shop_id]
        if shop is None:
            continue
        receipt = price(shop, lines, held[PLATFORM]) if shop_id == target else receipts[shop_id]
        hint = next_spend_off(receipt, promotions.get(shop_id, []), now) if receipt and with_hints else None
        priced.append(ShopCart(shop, tuple(lines), receipt, hint))
    return tuple(priced)


async def _view(uow: UnitOfWork, svc: Services, user_id: int) -> CartView:
    items: list[CartItem] = await uow.carts.items(user_id)
    wanted = [(i.product_id, i.quantity) for i in items]
    shops = await _price(uow, svc, wanted, with_hints=True, buyer=(user_id, None))
    return CartView(shops, svc.policy.currency)


async def view_cart(svc: Services, *, actor: Actor) -> CartView:
    user_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        return await _view(uow, svc, user_id)


async def add_to_cart(svc: Services, *, actor: Actor, product_id: int, quantity: int = 1) -> Added:
    """Put ``quantity`` more of a product in the cart; never more than is in stock."""
    user_id = _buyer_id(actor)
    check_quantity(quantity, MAX_QUANTITY)
    async with svc.uow() as uow:
        product, _ = await _sellable(uow, product_id)
        existing = await uow.carts.get(user_id, product_id)
        if existing is None and len(await uow.carts.items(user_id)) >= MAX_CART_LINES:
            raise DomainError(ErrorCode.CART_FULL, max=MAX_CART_LINES)
        total = quantity + (existing.quantity if existing else 0)
        _check_stock(product, total)
        added_at = existing.added_at if existing else svc.clock.now()
        await uow.carts.put(CartItem(user_id, product_id, total, added_at))
        await uow.commit()
        return Added(product, total)


async def _existing(uow: UnitOfWork, user_id: int, product_id: int) -> CartItem:
    item = await uow.carts.get(user_id, product_id)
    if item is None:  # a button from an older cart message
        raise DomainError(ErrorCode.NOT_IN_CART, product_id=product_id)
    return item


async def set_cart_quantity(svc: Services, *, actor: Actor, product_id: int, quantity: int) -> CartView:
    """Set a line's quantity (1..stock); to take it out, remove it."""
    user_id = _buyer_id(actor)
    check_quantity(quantity, MAX_QUANTITY)
    async with svc.uow() as uow:
        item = await _existing(uow, user_id, product_id)
        product = await uow.products.get(product_id)
        if product is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        # Going down is always allowed (stock may have shrunk under the line); going up needs the stock.
        if quantity > item.quantity:
            _check_stock(product, quantity)
        await uow.carts.put(CartItem(user_id, product_id, quantity, item.added_at))
        view = await _view(uow, svc, user_id)
        await uow.commit()
        return view


async def change_cart_quantity(svc: Services, *, actor: Actor, product_id: int, delta: int) -> CartView:
    """The ➕/➖ buttons: one more or one fewer, never below one."""
    user_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        item = await _existing(uow, user_id, product_id)
    return await set_cart_quantity(svc, actor=actor, product_id=product_id, quantity=item.quantity + delta)


async def remove_from_cart(svc: Services, *, actor: Actor, product_id: int) -> CartView:
    user_id = _buyer_id(actor)
    async with svc.uow() as uow:
        await _existing(uow, user_id, product_id)
        await uow.carts.remove(user_id, product_id)
        view = await _view(uow, svc, user_id)
        await uow.commit()
        return view


async def clear_cart(svc: Services, *, actor: Actor) -> CartView:
    user_id = _buyer_id(actor)
    async with svc.uow() as uow:
        await uow.carts.clear(user_id)
        await uow.commit()
    return CartView((), svc.policy.currency)


async def delivery_region(uow: UnitOfWork, user_id: int, address_id: int | None) -> str:
    """The shipping region of the buyer's address ``address_id`` (None: their first saved one, "other" if none)."""
    if address_id is not None:
        address = await uow.addresses.get(address_id)
        if address is None or address.user_id != user_id:
            raise DomainError(ErrorCode.NOT_FOUND, address_id=address_id)
        return address.delivery_region
    saved = await uow.addresses.list_for(user_id)
    return saved[0].delivery_region if saved else OTHER


async def checkout_quote(
    svc: Services,
    *,
    actor: Actor,
    items: Sequence[tuple[int, int]] | None = None,
    address_id: int | None = None,
    coupons: Mapping[int, int] | None = None,
) -> Quote:
    """Price ``items`` (or the whole cart) for checkout, shipping to ``address_id``, with the best usable coupon
    per shop or the one ``coupons`` picks (shop id → coupon id, ``NO_COUPON``: none); refuses with the first line
    that cannot be ordered."""
    user_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        if items is None:
            items = [(i.product_id, i.quantity) for i in await uow.carts.items(user_id)]
        else:
            for product_id, quantity in items:
                check_quantity(quantity, MAX_QUANTITY)
                if await uow.products.get(product_id) is None:
                    raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        if not items:
            raise DomainError(ErrorCode.CART_EMPTY)
        if address_id is not None:
            await delivery_region(uow, user_id, address_id)  # the buyer's own address, or NOT_FOUND
        product_shops = {p.shop_id for p in (await uow.products.get_many([pid for pid, _ in items])).values()}
        usable = await usable_coupons(uow, user_id, sorted(product_shops), svc.clock.now())
        picked = await usable_coupons(uow, user_id, sorted(product_shops), svc.clock.now(), coupons)
        shops = await _price(uow, svc, list(items), with_hints=False, buyer=(user_id, address_id), coupons=picked)
        balance = await available_credit(uow, user_id, svc.policy.currency)
    for shop in shops:
        for line in shop.lines:
            if line.problem is not None:
                raise line.problem
    if not shops:
        raise DomainError(ErrorCode.CART_EMPTY)
    for shop in shops:
        check(Action.PLACE_ORDER, actor, shop=shop.shop)  # refused at the start, not only at Confirm
    return Quote(shops, svc.policy.currency, tuple((pid, qty) for pid, qty in items), balance, usable)
