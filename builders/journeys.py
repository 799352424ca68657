"""Shops, products and orders made through the use cases the bot runs, on whatever unit of work ``svc`` holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.events import Actor
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.reviews import Review
from domain.services import Services
from domain.shops import Shop, ShopType
from domain.tickets import Ticket, TicketKind, TicketReason
from domain.usecases.orders import accept_order, buy_now, cancel_order, confirm_receipt, pay_order, ship_order
from domain.usecases.products import add_product
from domain.usecases.reviews import leave_review
from domain.usecases.shops import apply_for_shop, approve_shop, pay_deposit
from domain.usecases.tickets import Remedy, approve_ticket, open_ticket
from domain.usecases.users import register_user
from domain.users import AddressSnapshot

ADDRESS = AddressSnapshot("Li Lei", "+8613800000000", "1 Tea Street, Hangzhou")


async def apply(
    svc: Services,
    actor: Actor,
    *,
    name: str = "Tea House",
    business_scope: str = "Tea",
    shop_type: ShopType = ShopType.INDIVIDUAL,
    contact_phone: str = "+8613900000000",
    documents: Sequence[str] = ("licence-file",),
) -> Shop:
    """A shop application waiting for review, made by ``actor`` who has accepted the agreement."""
    return await apply_for_shop(
        svc,
        actor=actor,
        name=name,
        business_scope=business_scope,
        shop_type=shop_type,
        contact_phone=contact_phone,
        documents=documents,
        agreement_accepted=True,
    )


async def open_shop(
    svc: Services,
    owner_id: int,
    *,
    admin_id: int | None = None,
    owner_name: str | None = None,
    owner_username: str | None = None,
    deposit_charge_id: str | None = None,
    **application: Any,
) -> Shop:
    """An active shop as the bot makes one: its owner starts the bot and applies, an admin (the first one in the
    policy unless told) approves, the deposit is paid (charge ``deposit-<shop id>`` unless told). The
    ``application`` (name, business_scope, ...) is as :func:`apply` takes it."""
    first_name = owner_name or f"Merchant {owner_id}"
    await register_user(svc, user_id=owner_id, first_name=first_name, username=owner_username, language_code="en")
    applied = await apply(svc, Actor.merchant(owner_id), **application)
    admin = admin_id if admin_id is not None else min(svc.policy.root_admin_ids)
    approved = await approve_shop(svc, actor=Actor.admin(admin), shop_id=applied.id)
    charge = deposit_charge_id or f"deposit-{approved.id}"
    return await pay_deposit(svc, shop_id=approved.id, payer_id=owner_id, charge_id=charge, **_paying(approved.deposit))


async def list_product(
    svc: Services,
    shop: Shop,
    *,
    title: str = "Green tea",
    price: int = 100,
    stock: int = 10,
    category: str = "Tea",
    brand: str = "",
    description: str = "",
    photos: Sequence[str] = (),
) -> Product:
    """The shop's owner lists a product at ``price`` minor units of the policy's currency."""
    return await add_product(
        svc,
        actor=Actor.merchant(shop.owner_id),
        shop_id=shop.id,
        title=title,
        price=Money(price, svc.policy.currency),
        stock=stock,
        category=category,
        brand=brand,
        description=description,
        photos=photos,
    )


async def order_in(
    svc: Services,
    product: Product,
    status: OrderStatus,
    *,
    buyer_id: int,
    quantity: int = 1,
    address: AddressSnapshot = ADDRESS,
    charge_id: str | None = None,
) -> Order:
    """A buyer's order of one product, taken to ``status`` the way people do: bought; paid (charge
    ``charge-<order id>`` unless told); accepted by the shop's owner, or shipped straight away; confirmed by the
    buyer. Cancelled: by the buyer, before paying. Group-buy states are not made here."""
    if status is OrderStatus.GROUPING:
        raise ValueError("order_in makes no group-buy orders")
    buyer = Actor.buyer(buyer_id)
    order = await buy_now(svc, actor=buyer, product_id=product.id, quantity=quantity, address=address)
    if status is OrderStatus.CANCELLED:
        return await cancel_order(svc, actor=buyer, order_id=order.id)
    if status is OrderStatus.PENDING_PAYMENT:
        return order
    charge = charge_id or f"charge-{order.id}"
    if order.to_pay.amount:  # else the buyer's store credit paid it all at checkout
        order = await pay_order(svc, order_id=order.id, payer_id=buyer_id, charge_id=charge, **_paying(order.to_pay))
    if status is OrderStatus.PAID:
        return order
    merchant = Actor.merchant(await _owner_of(svc, product.shop_id))
    if status is OrderStatus.ACCEPTED:
        return await accept_order(svc, actor=merchant, order_id=order.id)
    if status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        order = await ship_order(svc, actor=merchant, order_id=order.id, carrier="SF", tracking_number="SF1234567890")
    if status is OrderStatus.COMPLETED:
        order = await confirm_receipt(svc, actor=buyer, order_id=order.id)
    return order


async def ask_after_sales(
    svc: Services,
    order: Order,
    *,
    kind: TicketKind = TicketKind.REFUND_ONLY,
    reason: TicketReason = TicketReason.DAMAGED,
    text: str = "Crushed in transit",
    items: Mapping[int, int] | None = None,
    photos: Sequence[str] = (),
) -> Ticket:
    """The buyer of ``order`` opens an after-sales ticket: money back for a parcel crushed in transit unless told;
    ``items`` (product id → units; everything when None) as ``open_ticket`` takes them."""
    buyer = Actor.buyer(order.buyer_id)
    return await open_ticket(
        svc, actor=buyer, order_id=order.id, kind=kind, reason=reason, text=text, photos=photos, items=items
    )


async def refunded_without_return(svc: Services, order: Order, items: Mapping[int, int] | None = None) -> Ticket:
    """The buyer asks ``items`` of ``order`` (everything when None) paid back, crushed in transit, and the shop's
    owner pays them back without asking for the parcel: store credit, or a refund, as the order was paid."""
    ticket = await ask_after_sales(svc, order, items=items)
    owner = Actor.merchant(await _owner_of(svc, order.shop_id))
    return await approve_ticket(svc, actor=owner, ticket_id=ticket.id, remedy=Remedy.REFUND)


async def reviewed(
    svc: Services,
    order: Order,
    *,
    scores: tuple[int, int, int] = (5, 5, 5),
    text: str = "",
    product_id: int | None = None,
    photos: Sequence[str] = (),
) -> Review:
    """The buyer of a completed ``order`` reviews its first product (or ``product_id``): ``scores`` are quality,
    shipping and service, 1 to 5; ``photos`` are Telegram file ids."""
    quality, shipping, service = scores
    return await leave_review(
        svc,
        actor=Actor.buyer(order.buyer_id),
        order_id=order.id,
        product_id=product_id if product_id is not None else order.lines[0].product_id,
        quality=quality,
        shipping=shipping,
        service=service,
        text=text,
        photos=photos,
    )


async def _owner_of(svc: Services, shop_id: int) -> int:
    async with svc.uow(read_only=True) as uow:
        shop = await uow.shops.get(shop_id)
    if shop is None:
        raise ValueError(f"no shop {shop_id}")
    return shop.owner_id


def _paying(money: Money) -> dict[str, Any]:
    """A payment's amount and currency, as Telegram reports them to the payment use cases."""
    return {"amount": money.amount, "currency": money.currency}
