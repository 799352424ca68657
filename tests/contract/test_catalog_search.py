"""Search finds substrings in either language through the search indexes, and follows edits at once."""

from __future__ import annotations

from dataclasses import replace

from domain.listing import Listing, Sort
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


async def listed(store: Store, listing: Listing, *, offset: int = 0, limit: int = 10, candidates: int = 4) -> list[int]:
    async with store.uow(read_only=True) as uow:
        return [p.id for p in await uow.products.listing(listing, offset=offset, limit=limit, candidates=candidates)]


async def counted(store: Store, listing: Listing, at_most: int) -> int:
    async with store.uow(read_only=True) as uow:
        return await uow.products.count_listing(listing, at_most=at_most)


async def test_words_of_one_and_two_characters_and_chinese_bigrams_are_found_and_follow_edits(store: Store) -> None:
    # given Bluetooth earphones named in Chinese, a tea and an XL jacket
    world = await b.seed(store, title="蓝牙耳机 Pro", brand="Anker", description="降噪")
    tea = await b.seed_product(store, world.shop_id, title="乌龙茶", brand="", description="Oolong")
    jacket = await b.seed_product(store, world.shop_id, title="Rain jacket XL", brand="", description="")

    # then words of one and two characters find them in any field, alone or with longer words
    assert await found(store, "耳机") == [world.product_id]
    assert await found(store, "茶") == [tea.id]
    assert await found(store, "xl") == [jacket.id]
    assert await found(store, "噪") == [world.product_id]
    assert await found(store, "x", "jacket") == [jacket.id]
    assert await found(store, "机", "an") == [world.product_id]
    assert await found(store, "xl", "茶") == []
    assert await found(store, "zq") == []

    # when the earphones become a speaker, the old short words no longer find them and the new ones do
    async with store.uow() as uow:
        product = await uow.products.get(world.product_id)
        assert product is not None
        await uow.products.save(replace(product, title="蓝牙音箱", description=""))
        await uow.commit()
    assert await found(store, "耳机") == []
    assert await found(store, "音箱") == [world.product_id]
    assert await found(store, "噪") == []


async def test_a_search_ranks_only_its_newest_candidates_and_pages_through_them_once(store: Store) -> None:
    # given seven teas, listed one after the other, the oldest selling best; two say tea only in the description
    world = await b.seed(store, title="Tea 茶 0", brand="", description="", sales_count=90)
    teas = [world.product_id]
    for n in range(1, 7):
        in_title = n not in (4, 5)
        title = f"Tea 茶 {n}" if in_title else f"Cup 杯 {n}"
        description = "" if in_title else "for tea 茶"
        added = await b.seed_product(
            store, world.shop_id, title=title, brand="", description=description, sales_count=n
        )
        teas.append(added.id)
    newest = sorted(teas, reverse=True)[:4]  # the four candidates: teas 6, 5, 4, 3

    for words in (("tea",), ("茶",), ("te",)):
        relevance = Listing.of(words=words)
        # then the count stops where it was told to, and is exact below it
        assert await counted(store, relevance, at_most=5) == 5
        assert await counted(store, relevance, at_most=8) == 7
        # and relevance ranks only the four newest: title hits first, then sales; the best seller is not among them
        ranked = await listed(store, relevance)
        assert ranked == [teas[6], teas[3], teas[5], teas[4]]
        assert set(ranked) == set(newest) and world.product_id not in ranked
        # pages of two laid end to end are the same four, each once, and asking again gives the same pages
        pages = [await listed(store, relevance, offset=offset, limit=2) for offset in (0, 2, 4)]
        assert pages == [ranked[:2], ranked[2:], []]
        assert [await listed(store, relevance, offset=offset, limit=2) for offset in (0, 2, 4)] == pages

        # other sorts order every match and show the first of that order
        by_sales = await listed(store, relevance.changed(sort=Sort.SALES), limit=3)
        assert by_sales == [teas[0], teas[6], teas[5]]
