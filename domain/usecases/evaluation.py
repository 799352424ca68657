"""Shop evaluation (店铺评估): every active shop is scored nightly from how it treated its buyers lately.

The window is the last ``WINDOW`` (30 days, rolling). A shop is judged only once it has ``MIN_ORDERS`` orders
paid inside the window; with fewer, one bad order would decide its fate, so it stays unrated (and untouched).

The score starts at 100 and loses up to the weight of each part, in proportion to how badly that part went:

====================  ======  =====================================================================================
part                  weight  what is measured (figures from domain/stats_ports.py and domain/platform_stats_ports.py)
====================  ======  =====================================================================================
late shipments        40      share of due shipments that were late: shipped after the ship-by time, cancelled
                              because the ship-by time passed, or declined by the merchant after payment
refunds               25      share of the orders paid in the window whose money went back to the buyer, in full
                              or for some lines (a refunded order is never a completed sale)
complaints            20      complaints and disputes taken to the platform per order paid (capped at 1)
reviews               15      how far the average review score (1-5, three scores per review) is below 5,
                              counted once the window holds ``MIN_REVIEWS`` reviews
====================  ======  =====================================================================================

So a shop that ships everything on time, refunds nothing, draws no complaints and earns five stars scores 100; one
that never ships (every order cancelled and refunded) scores at most 35.

- **Warning line, 70**: below it the merchant is told what pulled the score down; once per ``WINDOW`` at most.
- **Suspension line, 40**: below it the shop is suspended at once by the system (audited, reason given), the merchant
  is told why and every admin is told, with a button to the shop's page. An admin may reinstate it; the evaluation
  never reinstates a shop by itself.

``evaluate_shops(svc)`` is what the nightly APScheduler job calls (bot/scheduler.py); an admin may run it on demand
(``actor=`` the admin). ``evaluate_shop`` gives one shop's breakdown without changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from domain.authorization import Action, authorize
from domain.events import Actor, StateChanged
from domain.notifications import Button
from domain.platform_stats_ports import PlatformStatsQueries
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.stats_ports import ShopStatsQueries
from domain.usecases.orders_common import load_shop, retry_on_conflict, tell, tell_admins

WINDOW = timedelta(days=30)
MIN_ORDERS = 3
MIN_REVIEWS = 3

WEIGHT_LATE = 40
WEIGHT_REFUNDS = 25
WEIGHT_COMPLAINTS = 20
WEIGHT_REVIEWS = 15

WARNING_LINE = 70
SUSPENSION_LINE = 40

EVALUATION_REASON = "evaluation"


class EvaluationUnitOfWork(UnitOfWork, Protocol):
    shop_stats: ShopStatsQueries
    platform_stats: PlatformStatsQueries


class Standing(StrEnum):
    UNRATED = "unrated"  # too few orders in the window to judge
    GOOD = "good"
    WARNING = "warning"  # below the warning line
    FAILING = "failing"  # below the suspension line


class Outcome(StrEnum):
    """What this run did to the shop."""

    NONE = "none"
    WARNED = "warned"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class Figures:
    """What a score is computed from, counted over the window."""

    paid_orders: int = 0
    shipments_due: int = 0  # shipped, timed out, or declined after payment
    late_shipments: int = 0
    refunded_orders: int = 0
    tickets: int = 0
    complaints: int = 0
    reviews: int = 0
    review_average: float | None = None  # 1..5


@dataclass(frozen=True)
class Penalties:
    """Points lost to each part (0 up to its weight)."""

    late: float = 0.0
    refunds: float = 0.0
    complaints: float = 0.0
    reviews: float = 0.0

    @property
    def total(self) -> float:
        return self.late + self.refunds + self.complaints + self.reviews


@dataclass(frozen=True)
class ShopEvaluation:
    shop_id: int
    shop_name: str
    status: ShopStatus
    evaluated_at: datetime
    figures: Figures
    penalties: Penalties
    score: int | None  # None: unrated
    standing: Standing
    outcome: Outcome = Outcome.NONE


def _share(part: int, whole: int) -> float:
    return min(part / whole, 1.0) if whole > 0 else 0.0


def penalties(figures: Figures) -> Penalties:
    """The points each part costs; a part with nothing to measure costs nothing."""
    reviews = 0.0
    if figures.review_average is not None and figures.reviews >= MIN_REVIEWS:
        reviews = WEIGHT_REVIEWS * min(max((5.0 - figures.review_average) / 4.0, 0.0), 1.0)
    return Penalties(
        late=WEIGHT_LATE * _share(figures.late_shipments, figures.shipments_due),
        refunds=WEIGHT_REFUNDS * _share(figures.refunded_orders, figures.paid_orders),
        complaints=WEIGHT_COMPLAINTS * _share(figures.complaints, figures.paid_orders),
        reviews=reviews,
    )


def score_of(figures: Figures) -> int | None:
    """0..100, or None when the window holds too few orders to judge."""
    if figures.paid_orders < MIN_ORDERS:
        return None
    return max(0, min(100, round(100 - penalties(figures).total)))


def standing_of(score: int | None) -> Standing:
    if score is None:
        return Standing.UNRATED
    if score < SUSPENSION_LINE:
        return Standing.FAILING
    if score < WARNING_LINE:
        return Standing.WARNING
    return Standing.GOOD


async def shop_figures(uow: UnitOfWork, shop_id: int, now: datetime, currency: str) -> Figures:
    """The shop's figures over the window ending now, from the merchant's stats queries and the platform's."""
    sales_queries, platform = uow.shop_stats, uow.platform_stats
    since = now - WINDOW
    sales = await sales_queries.sales(shop_id, since, now, currency)
    scores = await sales_queries.scores(shop_id, since, now)
    conduct = await platform.conduct(shop_id, since, now)
    parts = [value for value in (scores.quality, scores.shipping, scores.service) if value is not None]
    late_shipped = sales.shipped - sales.shipped_on_time
    return Figures(
        paid_orders=sales.paid_orders,
        shipments_due=sales.shipped + sales.ship_timeouts + conduct.declined,
        late_shipments=late_shipped + sales.ship_timeouts + conduct.declined,
        refunded_orders=sales.refunded_orders,
        tickets=conduct.tickets,
        complaints=conduct.complaints,
        reviews=scores.reviews,
        review_average=sum(parts) / len(parts) if parts else None,
    )


async def current_score(uow: UnitOfWork, shop_id: int, now: datetime, currency: str) -> int | None:
    """The shop's score as things stand now: the one number every screen shows (the admins' list and shop page, the
    merchant's dashboard), the same the nightly evaluation stores. None, "not rated": fewer than ``MIN_ORDERS``
    orders paid in the last ``WINDOW``."""
    return score_of(await shop_figures(uow, shop_id, now, currency))


def judge(shop: Shop, figures: Figures, now: datetime, outcome: Outcome = Outcome.NONE) -> ShopEvaluation:
    score = score_of(figures)
    return ShopEvaluation(
        shop_id=shop.id,
        shop_name=shop.name,
        status=shop.status,
        evaluated_at=now,
        figures=figures,
        penalties=penalties(figures),
        score=score,
        standing=standing_of(score),
        outcome=outcome,
    )


async def evaluate_shop(svc: Services, shop_id: int, *, actor: Actor) -> ShopEvaluation:
    """One shop's score and the figures behind it, as things stand now (changes nothing)."""
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        shop = await load_shop(uow, shop_id)
        return judge(shop, await shop_figures(uow, shop.id, now, svc.policy.currency), now)


async def evaluate_shops(svc: Services, *, actor: Actor | None = None) -> list[ShopEvaluation]:
    """Score every active shop; warn those below the warning line, suspend those below the suspension line.

    Run by the nightly job (the system) or by an admin (``actor``); either way a suspension is the system's act.
    Safe to run twice: a shop already suspended is no longer active, and a warning goes out once per window.
    """
    who = actor or Actor.system()
    now = svc.clock.now()
    currency = svc.policy.currency
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.EVALUATE_SHOPS, who)
        shop_ids = await _active_shop_ids(uow)
        measured = [(shop_id, await shop_figures(uow, shop_id, now, currency)) for shop_id in shop_ids]
    results = []
    for shop_id, figures in measured:
        evaluation = await retry_on_conflict(lambda s=shop_id, f=figures: _apply(svc, s, f, now))
        if evaluation is not None:
            results.append(evaluation)
    if actor is not None:
        await _record_run(svc, actor, now, results)
    return results


async def _active_shop_ids(uow: UnitOfWork) -> list[int]:
    total = await uow.shops.count(statuses=[ShopStatus.ACTIVE])
    shops = await uow.shops.list(statuses=[ShopStatus.ACTIVE], limit=max(total, 1))
    return [shop.id for shop in shops]


async def _apply(svc: Services, shop_id: int, figures: Figures, now: datetime) -> ShopEvaluation | None:
    """Store the score and act on it, in one transaction per shop (a failing shop never blocks the others)."""
    system = Actor.system()
    async with svc.uow() as uow:
        shop = await uow.shops.get(shop_id, for_update=True)
        if shop is None or shop.status is not ShopStatus.ACTIVE:
            return None  # suspended or closed since it was measured
        evaluation = judge(shop, figures, now)
        if evaluation.score is None:
            return evaluation
        outcome = Outcome.NONE
        shop.score = evaluation.score
        if evaluation.standing is Standing.FAILING:
            await authorize(uow, svc.policy, Action.AUTO_SUSPEND_SHOP, system, shop=shop)
            await _suspend(uow, svc, shop, evaluation, now)
            outcome = Outcome.SUSPENDED
        elif evaluation.standing is Standing.WARNING and _may_warn(shop, now):
            await _warn(uow, shop, evaluation, now)
            outcome = Outcome.WARNED
        await uow.shops.save(shop)
        await uow.commit()
        return judge(shop, figures, now, outcome)


def _may_warn(shop: Shop, now: datetime) -> bool:
    return shop.warned_at is None or now - shop.warned_at >= WINDOW


def _reasons(evaluation: ShopEvaluation) -> dict[str, object]:
    """The figures a merchant or admin reads next to a score."""
    figures = evaluation.figures
    return {
        "score": evaluation.score,
        "late": figures.late_shipments,
        "due": figures.shipments_due,
        "refunded": figures.refunded_orders,
        "orders": figures.paid_orders,
        "complaints": figures.complaints,
        "rating": "—" if figures.review_average is None else f"{figures.review_average:.1f}",
        "days": WINDOW.days,
    }


async def _warn(uow: UnitOfWork, shop: Shop, evaluation: ShopEvaluation, now: datetime) -> None:
    shop.warned_at = now
    # No state changes, yet the warning belongs in the shop's audit trail (saved with the shop).
    shop.events.append(
        StateChanged(
            entity=Shop.ENTITY,
            entity_id=shop.id,
            src=shop.status.value,
            dst=shop.status.value,
            actor_id=None,
            actor_role=Actor.system().role,
            at=now,
            reason="evaluation_warning",
            data={"score": evaluation.score},
        )
    )
    await tell(
        uow,
        shop.owner_id,
        "admin.notify.evaluation.warning",
        f"shop:{shop.id}:evaluation_warning:{now.date().isoformat()}",
        name=shop.name,
        warning_line=WARNING_LINE,
        suspension_line=SUSPENSION_LINE,
        **_reasons(evaluation),
    )


async def _suspend(uow: UnitOfWork, svc: Services, shop: Shop, evaluation: ShopEvaluation, now: datetime) -> None:
    note = f"{EVALUATION_REASON}: {evaluation.score}/100 < {SUSPENSION_LINE}"
    shop.transition_to(ShopStatus.SUSPENDED, actor=Actor.system(), at=now, reason=note, score=evaluation.score)
    shop.suspend_reason = note
    key = f"shop:{shop.id}:evaluation_suspended:{shop.version}"
    await tell(
        uow,
        shop.owner_id,
        "admin.notify.evaluation.suspended.merchant",
        f"{key}:merchant",
        name=shop.name,
        suspension_line=SUSPENSION_LINE,
        **_reasons(evaluation),
    )
    await tell_admins(
        uow,
        svc,
        "admin.notify.evaluation.suspended.admin",
        key,
        buttons=[[Button(key="admin.btn.open_shop", data=Route.ADMIN_SHOP.with_id(shop.id))]],
        shop_id=shop.id,
        name=shop.name,
        suspension_line=SUSPENSION_LINE,
        **_reasons(evaluation),
    )


async def _record_run(svc: Services, actor: Actor, now: datetime, results: list[ShopEvaluation]) -> None:
    """An admin ran the evaluation by hand: that is an admin action, so it is audited."""
    suspended = [r.shop_id for r in results if r.outcome is Outcome.SUSPENDED]
    warned = [r.shop_id for r in results if r.outcome is Outcome.WARNED]
    async with svc.uow() as uow:
        await uow.audit.append(
            [
                StateChanged(
                    entity="evaluation",
                    entity_id=0,
                    src="",
                    dst="run",
                    actor_id=actor.user_id,
                    actor_role=actor.role,
                    at=now,
                    reason="on_demand",
                    data={"shops": len(results), "suspended": suspended, "warned": warned},
                )
            ]
        )
        await uow.commit()
