"""Group buys of a product with options, through the use cases: a group is of the product, each member joins with
the SKU they pick at its group price; an open group keeps the amount off it opened with; a group's page names each
member's pick and the price from the cheapest SKU."""

from __future__ import annotations

from domain.errors import ErrorCode
from domain.events import Actor
from domain.usecases import variants
from domain.usecases.group_pages import group_page, product_groups, quote_group_order
from domain.usecases.products import set_group_buy
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, THIRD_BUYER, World
from tests.fakes.assertions import refused

MERCHANT_ACTOR = Actor.merchant(MERCHANT)


async def _shirts(world: World, *, off: int | None = 300, table: str = "* = 1200 5\nRed / S = 1000 1"):
    """A T-shirt in Colour Red/Blue × Size S/M, SKUs priced from ``table``, offered at ``off`` off each SKU in
    groups of three: (the product, label → SKU)."""
    for user_id, name in ((BUYER, "Li"), (OTHER_BUYER, "Wang"), (THIRD_BUYER, "Zhang")):
        user = world.db.get("users", user_id)
        user.first_name = name
        world.db.insert("users", user)
    shirt = world.add_product(world.add_shop(), title="T-shirt", price=1000, stock=5)
    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, MERCHANT_ACTOR, shirt.id, "Colour: Red, Blue\nSize: S, M")
        await variants.set_skus(uow, world.svc, MERCHANT_ACTOR, shirt.id, table)
        await uow.commit()
    if off is not None:
        await set_group_buy(
            world.svc,
            actor=MERCHANT_ACTOR,
            product_id=shirt.id,
            group_price=None,
            group_size=3,
            group_off=world.money(off),
        )
    async with world.svc.uow(read_only=True) as uow:
        skus = {sku.sku_label: sku for sku in await uow.products.skus(shirt.id)}
    return world.product(shirt.id), skus


async def test_each_member_joins_with_their_sku_at_its_group_price_and_the_page_names_their_picks() -> None:
    world = World()
    shirt, skus = await _shirts(world)
    leader = await world.pay(await world.join_group(skus["Red · S"], None, buyer=BUYER))
    group = world.group(leader.group_buy_id)
    assert group.product_id == shirt.id and group.group_off == world.money(300)

    joined = await world.pay(await world.join_group(skus["Blue · M"], group.id, buyer=OTHER_BUYER))

    assert (leader.total, joined.total) == (world.money(700), world.money(900))
    page = await group_page(world.svc, group_id=group.id, viewer_id=THIRD_BUYER)
    assert page.members == ("Li", "Wang") and page.member_skus == ("Red · S", "Blue · M")
    # the cheapest SKU in stock is what "from" shows: Red · S's last unit is gone, so 1200 - 300
    assert page.price == world.money(900) and page.from_price and page.joinable
    offer = page.sku(["Red", "S"])
    assert offer is not None and offer.sold_out
    listing = await product_groups(world.svc, product_id=shirt.id, viewer_id=THIRD_BUYER)
    assert listing.start_price == world.money(900) and [card.price for card in listing.groups] == [world.money(900)]


async def test_an_open_group_keeps_its_amount_off_when_the_merchant_changes_it_or_stops_new_groups() -> None:
    world = World()
    shirt, skus = await _shirts(world)
    group_id = (await world.pay(await world.join_group(skus["Blue · S"], None, buyer=BUYER))).group_buy_id
    await set_group_buy(
        world.svc, actor=MERCHANT_ACTOR, product_id=shirt.id, group_price=None, group_size=2, group_off=world.money(50)
    )
    await set_group_buy(world.svc, actor=MERCHANT_ACTOR, product_id=shirt.id, group_price=None, group_size=None)

    quote = await quote_group_order(
        world.svc, actor=Actor.buyer(OTHER_BUYER), group_id=group_id, product_id=skus["Blue · M"].id
    )
    joined = await world.join_group(skus["Blue · M"], group_id, buyer=OTHER_BUYER)

    assert quote.total == joined.total == world.money(900)
    assert world.group(group_id).size == 3
    with refused(ErrorCode.NO_GROUP_PRICE):
        await quote_group_order(world.svc, actor=Actor.buyer(THIRD_BUYER), product_id=skus["Blue · M"].id)


async def test_a_group_of_skus_is_joined_with_a_sku_of_its_own_product_in_stock() -> None:
    world = World()
    _, skus = await _shirts(world)
    group_id = (await world.pay(await world.join_group(skus["Blue · S"], None, buyer=BUYER))).group_buy_id
    other = world.add_product(world.add_shop(owner_id=MERCHANT), title="Socks", price=500)

    with refused(ErrorCode.CHOOSE_OPTIONS):
        await quote_group_order(world.svc, actor=Actor.buyer(OTHER_BUYER), group_id=group_id)
    with refused(ErrorCode.NOT_FOUND):
        await world.join_group(other, group_id, buyer=OTHER_BUYER)
    await world.paid_order(skus["Red · S"], buyer=THIRD_BUYER)  # its last unit
    with refused(ErrorCode.OUT_OF_STOCK):
        await quote_group_order(
            world.svc, actor=Actor.buyer(OTHER_BUYER), group_id=group_id, product_id=skus["Red · S"].id
        )
    assert world.group(group_id).member_count == 1


async def test_a_group_opened_before_the_product_had_options_cannot_be_joined_with_a_sku() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop, title="Tea", price=1000, stock=5, group_price=700, group_size=2)
    group_id = (await world.pay(await world.join_group(tea, None, buyer=BUYER))).group_buy_id
    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, MERCHANT_ACTOR, tea.id, "Size: S, M")
        await variants.set_skus(uow, world.svc, MERCHANT_ACTOR, tea.id, "* = 1000 5")
        await uow.commit()
        skus = await uow.products.skus(tea.id)

    with refused(ErrorCode.GROUP_CLOSED):
        await world.join_group(skus[0], group_id, buyer=OTHER_BUYER)
    assert not world.product(tea.id).has_group_buy  # the product's group price does not apply to its SKUs
    # and nobody is offered to join it: it waits for its deadline, which refunds its leader
    assert not (await group_page(world.svc, group_id=group_id, viewer_id=OTHER_BUYER)).joinable
    assert (await product_groups(world.svc, product_id=tea.id, viewer_id=OTHER_BUYER)).groups == ()
