"""Search finds substrings in either language through the search indexes, and follows edits at once."""

from __future__ import annotations

from dataclasses import replace

from tests.contract.store import Store
from tests.integration import builders as b


async def found(store: Store, *words: str) -> list[int]:
    async with store.uow(read_only=True) as uow:
        ids = [p.id for p in await uow.products.search(list(words))]
        assert await uow.products.count_search(list(words)) == len(ids)
    return ids


async def test_chinese_and_english_substrings_of_any_length_are_found(store: Store) -> None:
    # given a phone with a Chinese title and a power bank described in English
    world = await b.seed(store, title="小米手机 14 Pro", brand="Xiaomi", description="大电池")
    bank = await b.seed_product(store, world.shop_id, title="Power bank", brand="Anker", description="charges")

    # then long and short substrings, in any case, in any field, are found
    assert await found(store, "米手机") == [world.product_id]
    assert await found(store, "手机") == [world.product_id]  # two characters: too short for trigrams
    assert await found(store, "电池") == [world.product_id]
    assert await found(store, "xiaomi", "14") == [world.product_id]
    assert await found(store, "ANKER") == [bank.id]
    assert await found(store, "arge") == [bank.id]
    assert await found(store, "o") == [world.product_id, bank.id]  # in title and brand beats title only
    assert await found(store, "手机", "bank") == []


async def test_search_syntax_in_a_query_is_matched_literally(store: Store) -> None:
    world = await b.seed(store, title='The "AND" OR NEAR(x) cable*', brand="", description="")
    await b.seed_product(store, world.shop_id, title="cable", brand="", description="")

    assert await found(store, '"and"') == [world.product_id]
    assert await found(store, "near(x)") == [world.product_id]
    assert await found(store, "cable*") == [world.product_id]
    assert await found(store, '"') == [world.product_id]
    assert await found(store, "and", "or") == [world.product_id]


async def test_an_edited_product_is_found_by_its_new_words_only(store: Store) -> None:
    # given a product found by its title
    world = await b.seed(store, title="Jasmine tea", brand="Yunnan", description="spring harvest")
    assert await found(store, "jasmine") == [world.product_id]

    # when the merchant renames it and rewrites its description
    async with store.uow() as uow:
        product = await uow.products.get(world.product_id)
        assert product is not None
        await uow.products.save(replace(product, title="Oolong tea", description="autumn harvest"))
        await uow.commit()

    # then the old words no longer find it and the new ones do
    assert await found(store, "jasmine") == []
    assert await found(store, "spring") == []
    assert await found(store, "oolong") == [world.product_id]
    assert await found(store, "autumn", "yunnan") == [world.product_id]


async def test_hidden_products_and_closed_shops_stay_out_of_results_and_counts(store: Store) -> None:
    world = await b.seed(store, title="Green tea", brand="", description="")
    hidden = await b.seed_product(store, world.shop_id, title="Green tea tin", brand="", description="")
    assert await found(store, "green") == [hidden.id, world.product_id]

    async with store.uow() as uow:
        product = await uow.products.get(hidden.id)
        assert product is not None
        await uow.products.save(replace(product, active=False))
        await uow.commit()

    assert await found(store, "green") == [world.product_id]
