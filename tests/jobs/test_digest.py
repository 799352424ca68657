"""The daily merchant digest: what each shop must do by the end of tomorrow, told once a day, only if anything."""

from __future__ import annotations

from datetime import timedelta

from builders import journeys
from domain.tickets import TicketReason
from domain.usecases.digest import queue_merchant_digests
from i18n import t
from tests.fakes import MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World


async def test_each_shop_hears_once_a_day_what_is_due_tomorrow() -> None:
    # given, yesterday, two paid orders (ship by tomorrow), one with a ticket (answer by tomorrow)
    world = World()
    shop = world.add_shop(MERCHANT)
    quiet_shop = world.add_shop(OTHER_MERCHANT, name="Quiet")
    product = world.add_product(shop)
    world.add_product(quiet_shop)
    world.clock.advance(-timedelta(days=1))
    due_one = await world.paid_order(product)
    due_two = await world.paid_order(product, buyer=OTHER_BUYER)
    ticket = await journeys.ask_after_sales(world.svc, due_two, reason=TicketReason.CHANGED_MIND, text="please")
    # and today, an order that must ship the day after tomorrow
    world.clock.advance(timedelta(days=1))
    later = await world.paid_order(product)

    # when the digest job runs, twice the same day
    first = await queue_merchant_digests(world.svc)
    second = await queue_merchant_digests(world.svc)

    # then only the busy shop's merchant is told, once, about tomorrow's two shipments and one ticket
    assert [entry.shop.id for entry in first] == [shop.id] and second == []
    assert (first[0].to_ship, first[0].to_answer, first[0].to_receive) == (
        sorted([due_one.id, due_two.id]),
        [ticket.id],
        [],
    )
    assert later.id not in first[0].to_ship
    digest = world.message(MERCHANT, "jobs.digest")
    assert "jobs.digest" not in [m.key for m in world.messages(OTHER_MERCHANT)]
    text = t("en", digest.key, **digest.args)
    assert "Orders to ship: 2" in text and "Tickets to answer: 1" in text and f"#{ticket.id}" in text
