"""The daily merchant digest: what each open shop must do by the end of tomorrow (UTC) before a deadline acts.

Counted: paid or accepted orders whose ship-by falls tomorrow (missing it cancels and refunds them and marks the
shop late), tickets waiting for the merchant's answer (they auto-approve) and returned parcels waiting for the
merchant's confirmation (they auto-refund). A shop with nothing due hears nothing. One digest per shop per day:
the dedupe key carries the date, so running the job twice the same day tells nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from domain.notifications import Notification
from domain.orders import Order, OrderStatus
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.tickets import Ticket, TicketStatus

PAGE = 100
LISTED = 10  # ids shown per line; the count says how many there are in all

SHIP_STATUSES = (OrderStatus.PAID, OrderStatus.ACCEPTED)
ANSWER_STATUSES = (TicketStatus.REQUESTED,)
RECEIVE_STATUSES = (TicketStatus.RETURNED,)


@dataclass
class DueTomorrow:
    shop: Shop
    day: date
    to_ship: list[int] = field(default_factory=list)  # order ids
    to_answer: list[int] = field(default_factory=list)  # ticket ids
    to_receive: list[int] = field(default_factory=list)  # ticket ids

    @property
    def empty(self) -> bool:
        return not (self.to_ship or self.to_answer or self.to_receive)


def tomorrow_window(now: datetime) -> tuple[date, datetime, datetime]:
    day = now.date() + timedelta(days=1)
    start = datetime.combine(day, time(), tzinfo=now.tzinfo)
    return day, start, start + timedelta(days=1)


async def queue_merchant_digests(svc: Services) -> list[DueTomorrow]:
    """Queue tomorrow's digest for every active shop with something due; returns what was queued."""
    day, start, end = tomorrow_window(svc.clock.now())
    queued: list[DueTomorrow] = []
    offset = 0
    while True:
        async with svc.uow(read_only=True) as uow:
            shops = await uow.shops.list(statuses=[ShopStatus.ACTIVE], offset=offset, limit=PAGE)
            page = [await _due_for(uow, shop, day, start, end) for shop in shops]
        due = [entry for entry in page if not entry.empty]
        if due:
            async with svc.uow() as uow:
                for entry in due:
                    if await uow.outbox.add(_digest(entry)):
                        queued.append(entry)
                await uow.commit()
        if len(shops) < PAGE:
            return queued
        offset += PAGE


async def _due_for(uow: UnitOfWork, shop: Shop, day: date, start: datetime, end: datetime) -> DueTomorrow:
    # Pages are read by offset while orders keep coming in, so one may be seen twice: keep ids, not rows.
    orders = {o.id for o in await _all_orders(uow, shop.id) if _in(o.deadline_at, start, end)}
    tickets = {t.id: t.status for t in await _all_tickets(uow, shop.id) if _in(t.deadline_at, start, end)}
    return DueTomorrow(
        shop=shop,
        day=day,
        to_ship=sorted(orders),
        to_answer=sorted(i for i, status in tickets.items() if status in ANSWER_STATUSES),
        to_receive=sorted(i for i, status in tickets.items() if status in RECEIVE_STATUSES),
    )


async def _all_orders(uow: UnitOfWork, shop_id: int) -> list[Order]:
    found: list[Order] = []
    while page := await uow.orders.for_shop(shop_id, statuses=SHIP_STATUSES, offset=len(found), limit=PAGE):
        found.extend(page)
        if len(page) < PAGE:
            break
    return found


async def _all_tickets(uow: UnitOfWork, shop_id: int) -> list[Ticket]:
    found: list[Ticket] = []
    statuses = ANSWER_STATUSES + RECEIVE_STATUSES
    while page := await uow.tickets.for_shop(shop_id, statuses=statuses, offset=len(found), limit=PAGE):
        found.extend(page)
        if len(page) < PAGE:
            break
    return found


def _in(when: datetime | None, start: datetime, end: datetime) -> bool:
    return when is not None and start <= when < end


def _ids(ids: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in sorted(ids)[:LISTED])
    return shown + (" …" if len(ids) > LISTED else "")


def _digest(entry: DueTomorrow) -> Notification:
    return Notification(
        chat_id=entry.shop.owner_id,
        key="jobs.digest",
        dedupe_key=f"digest:{entry.shop.id}:{entry.day.isoformat()}",
        args={
            "shop": entry.shop.name,
            "day": entry.day.isoformat(),
            "ship_count": len(entry.to_ship),
            "ship_ids": _ids(entry.to_ship) or "—",
            "answer_count": len(entry.to_answer),
            "answer_ids": _ids(entry.to_answer) or "—",
            "receive_count": len(entry.to_receive),
            "receive_ids": _ids(entry.to_receive) or "—",
        },
    )
