"""What the admin console reads: counts, the application queue, shop lists, a shop's page; admins only."""

from __future__ import annotations

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.shops import ShopStatus
from domain.usecases.admin_console import (
    admin_overview,
    application_queue,
    list_shops,
    shop_overview,
    view_application,
)
from domain.usecases.evaluation import Standing
from tests.fakes import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, STRANGER, World
from tests.fakes.assertions import refused
from tests.unit.admin_fixtures import StubStats, with_stats

ADA = Actor.admin(ADMIN)


async def test_the_front_page_counts_what_waits_for_admins(world: World) -> None:
    world.add_shop(status=ShopStatus.PENDING_REVIEW)
    world.add_shop(OTHER_MERCHANT, name="Open")
    world.add_shop(STRANGER, name="Stopped", status=ShopStatus.SUSPENDED)

    overview = await admin_overview(world.svc, actor=Actor.admin(APPOINTED_ADMIN))

    assert (overview.pending_applications, overview.active_shops, overview.suspended_shops) == (1, 1, 1)
    assert overview.escalated_tickets == 0


async def test_the_queue_shows_one_application_at_a_time_oldest_first(world: World) -> None:
    first = world.add_shop(status=ShopStatus.PENDING_REVIEW, name="First")
    world.add_shop(OTHER_MERCHANT, name="Open")
    second = world.add_shop(STRANGER, status=ShopStatus.PENDING_REVIEW, name="Second")

    page_one = await application_queue(world.svc, actor=ADA)
    page_two = await application_queue(world.svc, actor=ADA, offset=1)
    past_the_end = await application_queue(world.svc, actor=ADA, offset=9)

    assert page_one.application is not None and page_one.application.shop.id == first.id
    assert page_one.application.applicant is not None and page_one.application.applicant.id == MERCHANT
    assert page_two.application is not None and page_two.application.shop.id == second.id
    assert (page_two.page.number, page_two.page.pages) == (2, 2)
    assert past_the_end.application is not None and past_the_end.application.shop.id == second.id


async def test_an_empty_queue(world: World) -> None:
    page = await application_queue(world.svc, actor=ADA)
    assert page.application is None and page.page.total == 0


async def test_shops_are_listed_by_status_or_found_by_name(world: World) -> None:
    world.add_shop(name="Tea House")
    world.add_shop(OTHER_MERCHANT, name="Coffee Corner", status=ShopStatus.SUSPENDED)
    world.add_shop(STRANGER, name="Teapot Palace", status=ShopStatus.SUSPENDED)

    suspended = await list_shops(world.svc, actor=ADA, status=ShopStatus.SUSPENDED)
    tea = await list_shops(world.svc, actor=ADA, query="  tea ")

    assert [shop.name for shop in suspended.shops] == ["Coffee Corner", "Teapot Palace"]
    assert [shop.name for shop in tea.shops] == ["Tea House", "Teapot Palace"] and tea.query == "tea"


async def test_a_shops_page_has_its_open_orders_and_its_score(world: World) -> None:
    shop = world.add_shop()
    product = world.add_product(shop)
    await world.paid_order(product)
    stub = StubStats()
    stub.ships_late(shop.id, orders=4, late=4)

    overview = await shop_overview(with_stats(world, stub), actor=ADA, shop_id=shop.id)

    assert overview.open_orders == 1 and overview.owner is not None and overview.owner.id == MERCHANT
    assert (overview.evaluation.score, overview.evaluation.standing) == (60, Standing.WARNING)


async def test_an_application_can_be_read_whatever_happened_to_it(world: World) -> None:
    shop = world.add_shop(status=ShopStatus.REJECTED, reject_reason="blurry licence")
    application = await view_application(world.svc, actor=ADA, shop_id=shop.id)
    assert application.shop.reject_reason == "blurry licence"
    with refused(ErrorCode.NOT_FOUND):
        await view_application(world.svc, actor=ADA, shop_id=999)


@pytest.mark.parametrize("actor", [Actor.buyer(BUYER), Actor.merchant(MERCHANT), Actor.admin(MERCHANT), Actor.system()])
async def test_nobody_but_an_admin_reads_the_console(world: World, actor: Actor) -> None:
    shop = world.add_shop(status=ShopStatus.PENDING_REVIEW)
    svc = with_stats(world, StubStats())
    for read in (
        admin_overview(svc, actor=actor),
        application_queue(svc, actor=actor),
        view_application(svc, actor=actor, shop_id=shop.id),
        list_shops(svc, actor=actor),
        shop_overview(svc, actor=actor, shop_id=shop.id),
    ):
        with refused(ErrorCode.FORBIDDEN):
            await read
