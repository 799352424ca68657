"""Deadline claims, as the sweeper sees them on each store: due rows only, the longest overdue first, a limit,
rows to step over; and a sweep fires each due deadline once."""

from __future__ import annotations

from datetime import timedelta

from builders import journeys
from domain.orders import OrderStatus
from domain.usecases.users import register_user
from jobs.deadlines import Sweeper, deadline_kinds
from tests.contract.store import Store, deadline_kind
from tests.integration import builders as b


async def orders_due_at(store: Store, *minutes: int | None) -> list[int]:
    """Orders of the minimal world whose deadline is ``minutes`` after b.T0 (None: no deadline), in that order."""
    world = await b.seed(store)
    async with store.uow() as uow:
        ids = []
        for offset in minutes:
            due = None if offset is None else b.T0 + timedelta(minutes=offset)
            placed = await uow.orders.add(
                b.order(b.BUYER_ID, world.shop_id, world.product_id, deadline_at=due, reminder_at=due)
            )
            ids.append(placed.id)
        await uow.commit()
    return ids


async def claimed(store: Store, kind: str, minutes: int, limit: int = 10, exclude: tuple[int, ...] = ()) -> list[int]:
    async with store.claims.claim(deadline_kind(kind), b.T0 + timedelta(minutes=minutes), limit, exclude) as ids:
        return list(ids)


async def test_a_claim_holds_the_due_rows_longest_overdue_first(store: Store) -> None:
    late, early, middle, never = await orders_due_at(store, 30, 10, 20, None)

    assert await claimed(store, "order", 25) == [early, middle]
    assert await claimed(store, "order", 30) == [early, middle, late]  # due at exactly now counts
    assert await claimed(store, "order", 9) == []
    assert never not in await claimed(store, "order", 10_000)


async def test_a_claim_takes_at_most_its_limit_and_steps_over_excluded_rows(store: Store) -> None:
    first, second, third = await orders_due_at(store, 1, 2, 3)

    assert await claimed(store, "order", 60, limit=2) == [first, second]
    assert await claimed(store, "order", 60, limit=2, exclude=(first,)) == [second, third]


async def test_reminders_are_claimed_by_their_own_time(store: Store) -> None:
    soon, later = await orders_due_at(store, 5, 50)

    assert await claimed(store, "order_reminder", 10) == [soon]
    async with store.uow() as uow:
        order = await uow.orders.get(soon)
        assert order is not None
        order.reminder_at = None  # sent
        await uow.orders.save(order)
        await uow.commit()
    assert await claimed(store, "order_reminder", 60) == [later]


async def test_a_sweep_fires_each_due_deadline_once(store: Store) -> None:
    # given two unpaid orders and a paid one
    svc = store.svc
    shop = await journeys.open_shop(svc, 100)
    product = await journeys.list_product(svc, shop, stock=5)
    await register_user(svc, user_id=200, first_name="Li Lei", username=None, language_code="en")
    unpaid = [await journeys.order_in(svc, product, OrderStatus.PENDING_PAYMENT, buyer_id=200) for _ in range(2)]
    paid = await journeys.order_in(svc, product, OrderStatus.PAID, buyer_id=200)
    sweeper = Sweeper(svc, deadline_kinds(), store.claims)

    # when the pay-by time passes and the sweeper runs twice
    store.clock.advance(svc.policy.deadlines.pay + timedelta(seconds=1))
    first = await sweeper.sweep()
    second = await sweeper.sweep()

    # then the unpaid orders were cancelled (their stock back) by the first sweep only, the paid one kept
    assert first.fired.get("order") == 2 and second.total_fired == 0
    async with store.uow(read_only=True) as uow:
        statuses = {order.id: order.status for order in [await uow.orders.get(o.id) for o in [*unpaid, paid]] if order}
        assert (await uow.products.get(product.id)).stock == 4
    assert statuses == {unpaid[0].id: OrderStatus.CANCELLED, unpaid[1].id: OrderStatus.CANCELLED, paid.id: paid.status}
