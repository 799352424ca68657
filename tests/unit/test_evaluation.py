"""Shop evaluation (店铺评估): the score, the warning and suspension lines, and what each run does to a shop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor, ActorRole
from domain.platform_stats_ports import ConductFigures
from domain.shops import ShopStatus
from domain.stats_ports import SalesFigures, ScoreFigures
from domain.usecases.evaluation import (
    SUSPENSION_LINE,
    WARNING_LINE,
    WINDOW,
    Figures,
    Outcome,
    Standing,
    evaluate_shop,
    evaluate_shops,
    score_of,
    standing_of,
)
from domain.usecases.orders import expire_order
from tests.fakes import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged
from tests.unit.admin_fixtures import StubStats, with_stats

# --- the score -------------------------------------------------------------------------------------------------


def test_a_shop_that_does_everything_right_scores_100() -> None:
    figures = Figures(paid_orders=5, shipments_due=5, reviews=5, review_average=5.0)
    assert score_of(figures) == 100 and standing_of(100) is Standing.GOOD


def test_a_shop_that_never_ships_falls_below_the_suspension_line() -> None:
    # every order timed out: all shipments late (−40) and all money refunded (−25)
    figures = Figures(paid_orders=3, shipments_due=3, late_shipments=3, refunded_orders=3)
    assert score_of(figures) == 35
    assert standing_of(35) is Standing.FAILING


def test_shipping_everything_late_is_a_warning_not_a_suspension() -> None:
    figures = Figures(paid_orders=4, shipments_due=4, late_shipments=4)
    assert score_of(figures) == 60
    assert standing_of(60) is Standing.WARNING


def test_the_lines_are_where_the_docstring_says() -> None:
    assert (WARNING_LINE, SUSPENSION_LINE) == (70, 40)
    assert standing_of(WARNING_LINE) is Standing.GOOD and standing_of(WARNING_LINE - 1) is Standing.WARNING
    assert standing_of(SUSPENSION_LINE) is Standing.WARNING and standing_of(SUSPENSION_LINE - 1) is Standing.FAILING


def test_too_few_orders_are_not_judged() -> None:
    figures = Figures(paid_orders=2, shipments_due=2, late_shipments=2, refunded_orders=2)
    assert score_of(figures) is None and standing_of(None) is Standing.UNRATED


def test_reviews_count_once_there_are_enough_of_them() -> None:
    few = Figures(paid_orders=3, shipments_due=3, reviews=2, review_average=1.0)
    enough = Figures(paid_orders=3, shipments_due=3, reviews=3, review_average=1.0)
    assert score_of(few) == 100
    assert score_of(enough) == 85  # one star on average costs the whole review weight


def test_complaints_cost_at_most_their_weight() -> None:
    figures = Figures(paid_orders=3, shipments_due=3, complaints=9)
    assert score_of(figures) == 80


# --- one shop's breakdown ---------------------------------------------------------------------------------------


async def test_a_declined_order_counts_as_a_cancelled_shipment(world: World) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.sales_of[shop.id] = SalesFigures(paid_orders=4, kept_orders=2, shipped=2, shipped_on_time=2, refunded_orders=2)
    stub.conduct_of[shop.id] = ConductFigures(declined=2)

    evaluation = await evaluate_shop(with_stats(world, stub), shop.id, actor=Actor.admin(ADMIN))

    assert (evaluation.figures.late_shipments, evaluation.figures.shipments_due) == (2, 4)
    assert (evaluation.penalties.late, evaluation.penalties.refunds) == (20.0, 12.5)
    assert evaluation.score == 68 and evaluation.standing is Standing.WARNING
    assert world.shop(shop.id).score == 100  # looking changes nothing
    assert stub.windows == [(world.clock.now() - WINDOW, world.clock.now())]


@pytest.mark.parametrize("actor", [Actor.buyer(BUYER), Actor.merchant(MERCHANT), Actor.admin(MERCHANT)])
async def test_only_admins_see_a_shops_breakdown(world: World, actor: Actor) -> None:
    shop = world.add_shop()
    with refused(ErrorCode.FORBIDDEN):
        await evaluate_shop(with_stats(world, StubStats()), shop.id, actor=actor)


# --- the nightly run --------------------------------------------------------------------------------------------


async def test_a_failing_shop_is_suspended_by_the_system_and_everyone_concerned_is_told(world: World) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.never_ships(shop.id)

    [result] = await evaluate_shops(with_stats(world, stub))

    assert (result.score, result.outcome) == (35, Outcome.SUSPENDED)
    suspended = world.shop(shop.id)
    assert suspended.status is ShopStatus.SUSPENDED and suspended.score == 35
    assert "35/100" in suspended.suspend_reason
    [event] = world.audit("shop", shop.id)
    assert (event.src, event.dst, event.actor_role, event.actor_id) == ("active", "suspended", ActorRole.SYSTEM, None)
    told = world.message(MERCHANT, "admin.notify.evaluation.suspended.merchant")
    assert told.args["score"] == 35 and told.args["late"] == 3
    for admin in (ADMIN, APPOINTED_ADMIN):
        alert = world.message(admin, "admin.notify.evaluation.suspended.admin")
        assert alert.buttons[0][0].data == f"a1:sh:{shop.id}"


async def test_a_shop_below_the_warning_line_is_warned_once_per_window(world: World) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.ships_late(shop.id)
    svc = with_stats(world, stub)

    [first] = await evaluate_shops(svc)
    world.clock.advance(timedelta(days=1))
    [second] = await evaluate_shops(svc)

    assert (first.outcome, second.outcome) == (Outcome.WARNED, Outcome.NONE)
    assert world.shop(shop.id).status is ShopStatus.ACTIVE and world.shop(shop.id).score == 60
    assert world.sent(MERCHANT) == ["admin.notify.evaluation.warning"]
    [event] = world.audit("shop", shop.id)
    assert (event.reason, event.data) == ("evaluation_warning", {"score": 60})

    world.clock.advance(WINDOW)
    [later] = await evaluate_shops(svc)
    assert later.outcome is Outcome.WARNED
    assert world.sent(MERCHANT) == ["admin.notify.evaluation.warning"] * 2


async def test_good_shops_get_their_score_and_unrated_ones_are_left_alone(world: World) -> None:
    good = world.add_shop(name="Good")
    quiet = world.add_shop(OTHER_MERCHANT, name="Quiet")
    stub = StubStats()
    stub.spotless(good.id)
    stub.sales_of[quiet.id] = SalesFigures(paid_orders=1, refunded_orders=1, ship_timeouts=1)

    results = {r.shop_id: r for r in await evaluate_shops(with_stats(world, stub))}

    assert (results[good.id].score, results[good.id].standing) == (100, Standing.GOOD)
    assert (results[quiet.id].score, results[quiet.id].standing) == (None, Standing.UNRATED)
    assert world.shop(quiet.id).version == quiet.version  # not even saved
    assert world.sent() == []


async def test_only_active_shops_are_evaluated_and_a_second_run_suspends_nobody_twice(world: World) -> None:
    failing = world.add_shop()
    world.add_shop(OTHER_MERCHANT, name="Already suspended", status=ShopStatus.SUSPENDED)
    stub = StubStats()
    stub.never_ships(failing.id)
    svc = with_stats(world, stub)

    first = await evaluate_shops(svc)
    second = await evaluate_shops(svc)

    assert [r.shop_id for r in first] == [failing.id] and second == []
    assert world.sent(MERCHANT) == ["admin.notify.evaluation.suspended.merchant"]


async def test_an_admin_may_run_it_on_demand_and_the_run_is_audited(world: World) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.never_ships(shop.id)

    await evaluate_shops(with_stats(world, stub), actor=Actor.admin(APPOINTED_ADMIN))

    [run] = world.audit("evaluation", 0)
    assert (run.actor_id, run.actor_role, run.data["suspended"]) == (APPOINTED_ADMIN, ActorRole.ADMIN, [shop.id])
    # the suspension itself is still the evaluation's (the system's) act
    assert world.audit("shop", shop.id)[0].actor_role is ActorRole.SYSTEM


@pytest.mark.parametrize("actor", [Actor.buyer(BUYER), Actor.merchant(MERCHANT), Actor.admin(BUYER)])
async def test_nobody_else_can_run_it(world: World, actor: Actor) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.never_ships(shop.id)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await evaluate_shops(with_stats(world, stub), actor=actor)


async def test_a_shop_that_let_its_orders_time_out_is_suspended_on_its_own_figures(world: World) -> None:
    # given a shop that never shipped three paid orders, which the ship deadline cancelled and refunded
    shop = world.add_shop()
    product = world.add_product(shop)
    orders = [await world.paid_order(product) for _ in range(3)]
    world.clock.advance(world.policy.deadlines.ship + timedelta(minutes=1))
    assert all([await expire_order(world.svc, order.id) for order in orders])

    # when the evaluation runs on the unit of work's own stats ports (no stand-ins)
    [result] = await evaluate_shops(world.svc)

    # then it counted those orders and suspended the shop
    figures = result.figures
    assert (figures.paid_orders, figures.late_shipments, figures.refunded_orders) == (3, 3, 3)
    assert result.outcome is Outcome.SUSPENDED and world.shop(shop.id).status is ShopStatus.SUSPENDED


async def test_review_scores_feed_the_evaluation(world: World) -> None:
    shop = world.add_shop()
    stub = StubStats()
    stub.spotless(shop.id, orders=4)
    stub.scores_of[shop.id] = ScoreFigures(reviews=4, quality=1.0, shipping=2.0, service=3.0)

    [result] = await evaluate_shops(with_stats(world, stub))

    assert result.figures.review_average == pytest.approx(2.0)
    assert result.score == 89  # (5 − 2) / 4 of the 15 review points lost
