"""The daily price-drop note: one grouped note per opted-in buyer and day, whatever happens to the job, and the
rules around favourites (who may keep them, what may become one, how many)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.products import Product
from domain.usecases import favourites, price_drops
from domain.usecases.price_drops import LISTED, queue_price_drop_notes
from domain.usecases.products import update_product
from i18n import t
from jobs.rendering import render
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, THIRD_BUYER, World

NOTE = "favourites.drop.note"


async def _keep(world: World, buyer: int, *products: Product, alerts: bool = True) -> None:
    for product in products:
        await favourites.set_favourite(world.svc, actor=Actor.buyer(buyer), product_id=product.id, favourite=True)
    await favourites.set_price_alerts(world.svc, actor=Actor.buyer(buyer), on=alerts)


async def _price(world: World, product: Product, amount: int) -> None:
    await update_product(world.svc, actor=Actor.merchant(MERCHANT), product_id=product.id, price=world.money(amount))


def _notes(world: World, buyer: int) -> int:
    return sum(message.key == NOTE for message in world.messages(buyer))


async def test_a_job_that_dies_half_way_tells_everyone_once_when_it_runs_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # given two opted-in buyers and one who did not opt in, all keeping a tea that then gets cheaper
    world = World()
    tea = world.add_product(world.add_shop(), title="Longjing", price=200)
    await _keep(world, BUYER, tea)
    await _keep(world, OTHER_BUYER, tea)
    await _keep(world, THIRD_BUYER, tea, alerts=False)
    await _price(world, tea, 150)

    # when the job dies on the second buyer (after the first buyer's note was committed)
    real = price_drops._queue_note

    async def dying(svc: Any, user_id: int, day: Any) -> Any:
        if user_id == OTHER_BUYER:
            raise ConnectionError("the process went away")
        return await real(svc, user_id, day)

    monkeypatch.setattr(price_drops, "_queue_note", dying)
    with pytest.raises(ConnectionError):
        await queue_price_drop_notes(world.svc)
    assert (_notes(world, BUYER), _notes(world, OTHER_BUYER)) == (1, 0)

    # and it runs again (twice) the same day
    monkeypatch.setattr(price_drops, "_queue_note", real)
    again = await queue_price_drop_notes(world.svc)
    assert await queue_price_drop_notes(world.svc) == []

    # then the second buyer hears once, the first not twice, the one who did not ask not at all
    assert [note.user_id for note in again] == [OTHER_BUYER]
    assert (_notes(world, BUYER), _notes(world, OTHER_BUYER), _notes(world, THIRD_BUYER)) == (1, 1, 0)

    # and the day after, with the price where it was told, nobody hears
    world.clock.advance(timedelta(days=1))
    assert await queue_price_drop_notes(world.svc) == []


async def test_one_note_groups_every_drop_and_leaves_out_what_is_gone_or_dearer() -> None:
    # given a buyer keeping ten teas: nine get cheaper (one of them then unlisted), one dearer
    world = World()
    shop = world.add_shop()
    teas = [world.add_product(shop, title=f"Tea & <Co> {n}", price=100) for n in range(10)]
    await _keep(world, BUYER, *teas)
    for tea in teas[:9]:
        await _price(world, tea, 80)
    await _price(world, teas[9], 120)
    async with world.svc.uow() as uow:
        gone = await uow.products.get(teas[0].id)
        assert gone is not None
        gone.active = False
        await uow.products.save(gone)
        await uow.commit()

    (note,) = await queue_price_drop_notes(world.svc)

    # then one note names the eight cheaper ones still on sale, each with a button, and the list
    assert sorted(drop.product_id for drop in note.drops) == sorted(tea.id for tea in teas[1:9])
    message = world.message(BUYER, NOTE)
    rendered = render(message, "en")
    assert "8 of your favourites cost less today" in rendered.text
    buttons = [button.text for row in rendered.markup.inline_keyboard for button in row]
    assert len(buttons) == LISTED + 1 and buttons[-1] == "⭐ My favourites"
    assert all(label.startswith("Tea & <Co> ") and label.endswith(": 80 ⭐ (was 100 ⭐)") for label in buttons[:-1])
    assert "今天降价了" in t("zh", message.key, **message.args)


async def test_who_may_keep_favourites_and_what_may_become_one(monkeypatch: pytest.MonkeyPatch) -> None:
    world = World()
    shop = world.add_shop()
    tea, cup, unlisted = (world.add_product(shop, title=t_) for t_ in ("Tea", "Cup", "Pot"))
    async with world.svc.uow() as uow:
        product = await uow.products.get(unlisted.id)
        assert product is not None
        product.active = False
        await uow.products.save(product)
        await uow.commit()

    # the system and admins keep no favourites
    for actor in (Actor.system(), Actor.admin(ADMIN)):
        with pytest.raises(DomainError) as refused:
            await favourites.set_favourite(world.svc, actor=actor, product_id=tea.id, favourite=True)
        assert refused.value.code is ErrorCode.FORBIDDEN
    # a product off sale cannot become one, a product that never was is not found
    with pytest.raises(DomainError) as refused:
        await favourites.set_favourite(world.svc, actor=Actor.buyer(BUYER), product_id=unlisted.id, favourite=True)
    assert refused.value.code is ErrorCode.PRODUCT_INACTIVE
    with pytest.raises(DomainError) as refused:
        await favourites.set_favourite(world.svc, actor=Actor.buyer(BUYER), product_id=9999, favourite=False)
    assert refused.value.code is ErrorCode.NOT_FOUND

    # setting the same state twice changes nothing; past the limit is refused with the limit
    monkeypatch.setattr(favourites, "MAX_FAVOURITES", 1)
    buyer = Actor.buyer(BUYER)
    for _ in range(2):
        done = await favourites.set_favourite(world.svc, actor=buyer, product_id=tea.id, favourite=True)
        assert done.favourite
    with pytest.raises(DomainError) as refused:
        await favourites.set_favourite(world.svc, actor=buyer, product_id=cup.id, favourite=True)
    assert refused.value.code is ErrorCode.FAVOURITES_FULL and refused.value.params == {"max": 1}
    listed = await favourites.favourites(world.svc, actor=buyer)
    assert [item.product_id for item in listed.items] == [tea.id] and listed.page.total == 1
