"""Editing a product with options: its own price and stock are refused (they are its SKUs'), and option values
compare case aside — typed again in another case they are re-spelled and keep their SKUs, and CSV rows of one
product spelling a value two ways make one value."""

from __future__ import annotations

from domain.errors import ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.products import Product
from domain.usecases import variants
from domain.usecases.products import update_product
from tests.fakes import MERCHANT, World
from tests.fakes.assertions import refused_unchanged
from tests.unit.test_product_import_jobs import HEADER, run_to_end, start

ME = Actor.merchant(MERCHANT)


async def _shirt(world: World) -> Product:
    shop = world.add_shop()
    shirt = world.add_product(shop, title="Shirt", price=50)
    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, ME, shirt.id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with world.svc.uow() as uow:
        await variants.set_skus(uow, world.svc, ME, shirt.id, "* = 40 3\nRed / S = 60 1")
        await uow.commit()
    return world.product(shirt.id)


async def _skus(world: World, product_id: int) -> dict[str, tuple[int, str, int]]:
    async with world.svc.uow(read_only=True) as uow:
        return {sku.sku_label: (sku.id, sku.title, sku.stock) for sku in await uow.products.skus(product_id)}


async def test_the_price_and_stock_of_a_product_with_options_are_refused(world: World) -> None:
    shirt = await _shirt(world)

    with refused_unchanged(world, ErrorCode.PRICED_PER_SKU):
        await update_product(world.svc, actor=ME, product_id=shirt.id, price=Money(1, "CNY"))
    with refused_unchanged(world, ErrorCode.PRICED_PER_SKU):
        await update_product(world.svc, actor=ME, product_id=shirt.id, stock=99)
    assert (world.product(shirt.id).price.amount, world.product(shirt.id).stock) == (40, 0)


async def test_a_value_typed_again_in_another_case_is_re_spelled_and_keeps_its_skus(world: World) -> None:
    shirt = await _shirt(world)
    before = await _skus(world, shirt.id)

    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, ME, shirt.id, "Colour: red, Blue\nsize: s, M")
        await uow.commit()

    after = await _skus(world, shirt.id)
    assert set(after) == {"red · s", "red · M", "Blue · s", "Blue · M"}  # four SKUs, none retired or added
    assert after["red · s"] == (before["Red · S"][0], "Shirt · red · s", 1)  # the same SKU, its stock kept
    assert after["Blue · M"] == before["Blue · M"]
    assert world.product(shirt.id).options[0] == {"name": "Colour", "values": ["red", "Blue"]}


async def test_csv_rows_spelling_a_value_two_ways_make_one_value(world: World) -> None:
    world.add_shop()
    lines = [
        "Shirt,Cotton,Clothes,,50,2,Colour: Red,Size: S,",
        "Shirt,,Clothes,,50,1,Colour: red,Size: M,",
        "Shirt,,Clothes,,50,1,colour: RED,size: L,",
    ]
    data = ("\n".join([HEADER + ",option1,option2,sku", *lines]) + "\n").encode()
    job = await start(world, data)

    done = await run_to_end(world.svc, job.id, data, batch_rows=5)

    assert (done.imported, done.refused) == (3, 0)
    (shirt,) = [p for p in world.db.tables["products"].values() if p.title == "Shirt"]
    assert shirt.options == [{"name": "Colour", "values": ["Red"]}, {"name": "Size", "values": ["S", "M", "L"]}]
    assert set(await _skus(world, shirt.id)) == {"Red · S", "Red · M", "Red · L"}
