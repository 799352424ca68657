"""Exchanging for another SKU: which SKUs an exchange may ask for (the same one, or another at the same price and in
stock), checked again by the use case whatever the buttons sent, and what the shop is told and may ship."""

from __future__ import annotations

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.tickets import Ticket, TicketKind
from domain.usecases import variants
from domain.usecases.tickets import (
    Remedy,
    approve_ticket,
    exchange_choice,
    open_ticket,
    replacement_plan,
    ship_replacement,
)
from tests.fakes import BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused_unchanged

ME_BUYER, ME_MERCHANT = Actor.buyer(BUYER), Actor.merchant(MERCHANT)
OTHER_BUYER = 9_000_000_777


async def _shirt(world: World) -> tuple[Product, dict[str, Product]]:
    """A shirt in Red or Blue, S or M: 40 each, the Red · S 60, the Blue · M sold out."""
    shop = world.add_shop()
    shirt = world.add_product(shop, title="Shirt", price=50)
    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, ME_MERCHANT, shirt.id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with world.svc.uow() as uow:
        await variants.set_skus(uow, world.svc, ME_MERCHANT, shirt.id, "* = 40 3\nRed / S = 60 1\nBlue / M = 40 0")
        await uow.commit()
    async with world.svc.uow(read_only=True) as uow:
        return world.product(shirt.id), {sku.sku_label: sku for sku in await uow.products.skus(shirt.id)}


async def _blue_s(world: World) -> tuple[Order, dict[str, Product]]:
    _, skus = await _shirt(world)
    return await world.shipped_order(skus["Blue · S"]), skus


async def _ask(
    world: World, order: Order, sku: Product | None, *, actor: Actor = ME_BUYER, line: int | None = None
) -> Ticket:
    """The buyer (or ``actor``) asks to exchange the order's line (or ``line``) for ``sku`` (None: names none)."""
    bought = order.lines[0].product_id
    return await open_ticket(
        world.svc,
        actor=actor,
        order_id=order.id,
        kind=TicketKind.EXCHANGE,
        reason="wrong_item",
        text="Wrong size",
        exchange=None if sku is None else (line or bought, sku.id),
    )


async def test_the_choice_shows_every_sku_with_what_stands_in_the_way(world: World) -> None:
    order, _ = await _blue_s(world)

    choice = await exchange_choice(world.svc, actor=ME_BUYER, order_id=order.id)

    [line] = choice.lines
    by_label = {sku.sku.sku_label: sku for sku in line.skus}
    assert choice.has_options and line.price.amount == 40
    assert by_label["Blue · S"].same and by_label["Blue · S"].refusal is None
    assert by_label["Red · S"].price_differs and by_label["Red · S"].refusal.code is ErrorCode.EXCHANGE_PRICE_DIFFERS
    assert by_label["Blue · M"].sold_out and by_label["Blue · M"].refusal.code is ErrorCode.OUT_OF_STOCK
    assert by_label["Red · M"].refusal is None


async def test_another_sku_at_the_same_price_is_asked_for_and_the_shop_is_told_both(world: World) -> None:
    order, skus = await _blue_s(world)

    ticket = await _ask(world, order, skus["Red · M"])

    assert (ticket.exchange_product_id, ticket.wanted_sku_id, ticket.wanted_title) == (
        skus["Blue · S"].id,
        skus["Red · M"].id,
        "Shirt · Red · M",
    )
    told = world.message(MERCHANT, "aftersales.notify.opened.exchange_sku")
    assert (told.args["line"], told.args["wanted"]) == ("Shirt · Blue · S", "Shirt · Red · M")


async def test_the_same_again_is_told_as_such(world: World) -> None:
    order, skus = await _blue_s(world)

    ticket = await _ask(world, order, skus["Blue · S"])

    assert not ticket.swaps_sku and ticket.wanted_title == "Shirt · Blue · S"
    assert world.message(MERCHANT, "aftersales.notify.opened.exchange_same").args["line"] == "Shirt · Blue · S"


async def test_what_the_buttons_would_not_offer_is_refused_by_the_use_case(world: World) -> None:
    order, skus = await _blue_s(world)
    other = world.add_product(world.shop(order.shop_id), title="Socks", price=40, stock=9)

    with refused_unchanged(world, ErrorCode.EXCHANGE_PRICE_DIFFERS):
        await _ask(world, order, skus["Red · S"])
    with refused_unchanged(world, ErrorCode.OUT_OF_STOCK):
        await _ask(world, order, skus["Blue · M"])
    with refused_unchanged(world, ErrorCode.NOT_FOUND):  # not a SKU of the line's product
        await _ask(world, order, other)
    with refused_unchanged(world, ErrorCode.NOT_FOUND):  # not a line of the order
        await _ask(world, order, skus["Red · M"], line=skus["Red · M"].id)
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):  # a line with options: say which SKU
        await _ask(world, order, None)
    world.add_user(OTHER_BUYER)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await _ask(world, order, skus["Red · M"], actor=Actor.buyer(OTHER_BUYER))


async def _agreed(world: World) -> tuple[Ticket, dict[str, Product]]:
    order, skus = await _blue_s(world)
    ticket = await _ask(world, order, skus["Red · M"])
    await approve_ticket(world.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.REPLACE)
    return ticket, skus


async def test_the_shop_ships_from_the_sku_asked_for_and_only_the_buyers_line(world: World) -> None:
    ticket, skus = await _agreed(world)
    plan = await replacement_plan(world.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    assert plan.in_stock == 3 and plan.refusal is None and [line[0] for line in plan.lines] == [skus["Blue · S"].id]

    await ship_replacement(
        world.svc,
        actor=ME_MERCHANT,
        ticket_id=ticket.id,
        product_id=skus["Blue · S"].id,
        quantity=1,
        carrier="SF",
        tracking_number="SF777",
    )

    assert world.product(skus["Red · M"].id).stock == 2
    assert world.product(skus["Blue · S"].id).stock == 2  # the one sold; nothing came back (no return asked)
    told = world.message(BUYER, "aftersales.notify.replacement_shipped")
    assert told.args["title"] == "Shirt · Red · M"


async def test_another_shop_cannot_see_the_plan_and_a_sold_out_sku_is_refused_before_and_at_shipping(
    world: World,
) -> None:
    ticket, skus = await _agreed(world)
    world.add_shop(OTHER_MERCHANT, name="Other")
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await replacement_plan(world.svc, actor=Actor.merchant(OTHER_MERCHANT), ticket_id=ticket.id)

    async with world.svc.uow() as uow:  # the last Red · M went meanwhile
        await variants.set_skus(uow, world.svc, ME_MERCHANT, skus["Red · M"].parent_id, "Red / M = 40 0")
        await uow.commit()
    plan = await replacement_plan(world.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    assert plan.refusal is not None and plan.refusal.code is ErrorCode.EXCHANGE_SOLD_OUT
    with refused_unchanged(world, ErrorCode.EXCHANGE_SOLD_OUT):
        await ship_replacement(
            world.svc,
            actor=ME_MERCHANT,
            ticket_id=ticket.id,
            product_id=skus["Blue · S"].id,
            quantity=1,
            carrier="SF",
            tracking_number="SF777",
        )
    assert world.order(ticket.order_id).status is OrderStatus.SHIPPED
